"""The events' pages. Each area keeps its views in a module of its own; urls.py names them all."""
