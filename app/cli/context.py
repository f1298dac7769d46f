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
