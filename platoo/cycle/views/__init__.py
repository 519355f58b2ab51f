"""Pages of the cycle, one module per part: items in the cycle and panels, syntheses and applications,
manuals and curricula, the hub's dashboard."""
