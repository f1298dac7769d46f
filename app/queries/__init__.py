"""Read-only questions the till's screens ask, answered by the core.

Each function takes the TillContext, reads through one read-only unit of work and returns typed
records, so a screen only draws what it is handed and never works a business fact out itself.
They run on the GUI's database worker, never on the GUI thread.
"""
