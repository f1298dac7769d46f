"""`tillstone catalogue import FILE` and `catalogue template FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.catalogue.importer import write_template_csv
from app.cli.context import domain_errors_as_cli, print_json, till_from_args
from app.cli.errors import CliError
from app.usecases.setup import import_catalogue

SUFFIXES = (".csv", ".xlsx")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("catalogue", help="import products from CSV or XLSX")
    csub = p.add_subparsers(dest="catalogue_command", required=True)
    imp = csub.add_parser("import", help="import a CSV or XLSX file; bad rows are reported, never half-imported")
    imp.add_argument("file", type=Path)
    imp.add_argument("--strict", action="store_true", help="import nothing if any row is bad")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(func=domain_errors_as_cli(run_import))
    tpl = csub.add_parser("template", help="write an example CSV with the expected columns")
    tpl.add_argument("file", type=Path)
    tpl.set_defaults(func=run_template)


def run_import(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        raise CliError(f"{path} is not a file.")
    if path.suffix.lower() not in SUFFIXES:
        raise CliError("The catalogue must be a .csv or .xlsx file.")
    report = import_catalogue(till_from_args(args), path, strict=args.strict)
    errors = [{"row": e.row_number, "column": e.column, "message": e.message} for e in report.errors]
    if args.json:
        print_json({"imported": report.imported, "errors": errors})
    else:
        print(f"Imported {report.imported} products; {len(errors)} row(s) rejected.")
        for e in report.errors[:50]:
            where = f"row {e.row_number}" if e.row_number else "file"
            print(f"  {where}{' / ' + e.column if e.column else ''}: {e.message}")
    return 1 if errors else 0


def run_template(args: argparse.Namespace) -> int:
    write_template_csv(args.file)
    print(f"Wrote {args.file}")
    return 0
