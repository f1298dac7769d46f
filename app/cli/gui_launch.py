"""Opening the GUI from the CLI without importing Qt into the core at import time."""

from __future__ import annotations

import argparse


def launch_gui(args: argparse.Namespace) -> int:
    """Imported lazily so that every other command runs without Qt installed or a display."""
    from ui.main import run  # noqa: PLC0415 - the GUI is optional for the core

    return run(data_dir=args.data_dir, demo=args.demo)
