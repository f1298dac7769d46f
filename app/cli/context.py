"""Turning CLI arguments into an opened till, and printing results."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from app.bootstrap import open_till, resolve_data_dir
from app.cli.errors import CliError
from app.context import TillContext
from db.migrate import SchemaTooNewError
from kernel.errors import DomainError

Handler = Callable[[argparse.Namespace], int]  # a sub-command: parsed arguments in, exit code out


def till_from_args(args: argparse.Namespace) -> TillContext:
    try:
        return open_till(resolve_data_dir(args.data_dir))
    except (DomainError, SchemaTooNewError) as exc:
        raise CliError(str(exc)) from None


CENTRAL_DB_HELP = "PostgreSQL URL of the central database, e.g. postgresql://admin@db.example/tillstone"
_CENTRAL_SCHEMES = ("postgresql://", "postgres://")


def central_url(value: str) -> str:
    """argparse type of every `--db`: a PostgreSQL URL. A till's data directory or a bare word is a
    natural mistake; it gets one sentence (exit 2) instead of the driver's parse error."""
    if not value.startswith(_CENTRAL_SCHEMES) or len(value) <= len("postgres://"):
        raise CliError(f"--db expects a PostgreSQL URL such as postgresql://user@host/dbname, not '{value[:80]}'")
    return value


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, indent=2, ensure_ascii=False, sort_keys=False)
    sys.stdout.write("\n")


def domain_errors_as_cli(func: Handler) -> Handler:
    """A refused business action is bad input for the CLI: one sentence, exit 2."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except DomainError as exc:
            raise CliError(str(exc)) from None

    return wrapper
