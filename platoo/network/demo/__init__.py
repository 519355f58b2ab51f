"""The demo network: a fictional Thai KM network written for Platoo, loaded by `manage.py load_demo`."""
