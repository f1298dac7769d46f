"""Reports: one calculation (calc.py) behind X, Z and shift reports, text rendering, report makers."""
