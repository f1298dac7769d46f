"""`tillstone promotions import FILE`: a standalone till's promotions and price lists."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.context import domain_errors_as_cli, print_json, till_from_args
from app.cli.errors import CliError
from app.usecases.promotions import PromotionsRefused, import_promotions

SUFFIXES = (".csv", ".xlsx")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("promotions", help="import promotions and price lists from CSV or XLSX")
    psub = p.add_subparsers(dest="promotions_command", required=True)
    imp = psub.add_parser("import", help="import a CSV or XLSX file: every row or none")
    imp.add_argument("file", type=Path)
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(func=domain_errors_as_cli(run_import))


def run_import(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        raise CliError(f"{path} is not a file.")
    if path.suffix.lower() not in SUFFIXES:
        raise CliError("The promotions file must be a .csv or .xlsx file.")
    try:
        done = import_promotions(till_from_args(args), path)
    except PromotionsRefused as exc:
        for e in exc.errors[:50]:
            print(f"  {e}", file=sys.stderr)
        raise CliError(f"The promotions file was refused and nothing was imported: {len(exc.errors)} "
                       "problem(s), listed above.") from None
    if args.json:
        print_json({"imported": done.count, "ids": list(done.ids), "audit_seq": done.audit_seq})
    else:
        print(f"Imported {done.count} promotion(s).")
    return 0
