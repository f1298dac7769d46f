"""`tillstone audit verify|export`."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.context import print_json, till_from_args
from app.cli.errors import CliError
from app.usecases import audit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="verify or export the audit log")
    asub = p.add_subparsers(dest="audit_command", required=True)
    v = asub.add_parser("verify", help="check the hash chain and every finalised record")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=run_verify)
    e = asub.add_parser("export", help="write the audit log as JSON Lines")
    e.add_argument("--out", required=True, type=Path)
    e.set_defaults(func=run_export)


def run_verify(args: argparse.Namespace) -> int:
    report = audit.verify(till_from_args(args))
    if args.json:
        print_json(report.as_dict())
    elif report.ok:
        print(f"OK: {report.entries} entries, {report.records_checked} records match; head {report.head[:16]}")
    else:
        print(f"TAMPERING OR DAMAGE FOUND: first bad entry is #{report.first_bad_seq}")
        for problem in report.problems[:20]:
            print(f"  #{problem.seq} {problem.kind}: {problem.message}")
    return 0 if report.ok else 1


def run_export(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.exists() and out.is_dir():
        raise CliError(f"{out} is a directory; give a file name.")
    if not out.parent.exists():
        raise CliError(f"The folder {out.parent} does not exist.")
    count = audit.export(till_from_args(args), out)
    print(f"Wrote {count} entries to {out}")
    return 0
