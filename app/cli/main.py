"""The `tillstone` command. Every sub-command module is listed in COMMANDS; each registers its
own sub-commands on the parser (`register(sub)`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from app.cli.commands import (
    audit,
    catalogue,
    central,
    devices,
    export,
    hq,
    init,
    promotions,
    receipt,
    report,
    shift,
    simulate,
    stock,
    sync,
)
from app.cli.errors import CliError
from kernel.errors import DatabaseDamaged

EXIT_PROBLEM, EXIT_USAGE = 1, 2  # 0 is success; see docs/design.md, CLI contract
# In the order `tillstone --help` lists them.
COMMANDS: tuple[ModuleType, ...] = (
    audit, catalogue, central, devices, export, hq, init, promotions, receipt, report, shift, simulate, stock, sync,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tillstone", description="Tillstone point of sale")
    parser.add_argument("--data-dir", help="till data directory (default: TILLSTONE_DATA_DIR or the user data dir)")
    parser.add_argument("--demo", action="store_true", help="fill demo data on first run")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    code = EXIT_PROBLEM  # unless the command got as far as returning its own
    try:
        code = _run(argv)
        sys.stdout.flush()  # inside the try: a reader that went away shows up here, not at exit
    except BrokenPipeError:
        _reader_gone()
    return code


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    except CliError as exc:  # an argument type that explains itself in one line (e.g. --db)
        print(f"tillstone: {exc}", file=sys.stderr)
        return exc.exit_code
    if not getattr(args, "func", None):
        from app.cli.gui_launch import launch_gui

        return launch_gui(args)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"tillstone: {exc}", file=sys.stderr)
        return exc.exit_code
    except DatabaseDamaged as exc:
        print(f"tillstone: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("tillstone: interrupted", file=sys.stderr)
        return 130


def _reader_gone() -> None:
    """`tillstone ... | head`: the reader closed the pipe. Stop quietly, and point stdout at
    /dev/null so the interpreter's last flush does not print a traceback of its own."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is not a real file (a test's capture): nothing to flush later
        pass


if __name__ == "__main__":
    sys.exit(main())
