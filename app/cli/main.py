"""The `tillstone` command. Each module in app/cli/commands registers its own sub-commands,
so a new command never needs an edit here."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from app.cli import commands
from app.cli.errors import CliError

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tillstone", description="Tillstone point of sale")
    parser.add_argument("--data-dir", help="till data directory (default: TILLSTONE_DATA_DIR or the user data dir)")
    parser.add_argument("--demo", action="store_true", help="fill demo data on first run")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser



def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        from app.cli.gui_launch import launch_gui

        return launch_gui(args)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"tillstone: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tillstone: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
