"""`tillstone hq promotions import --db URL FILE [--store S]`: head office publishes promotions
and price lists; the tills' next pull applies them. A bad row: every problem listed, exit 2,
nothing written."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

import psycopg

from app.cli.commands.hq_master import _db, _run
from app.cli.context import domain_errors_as_cli
from app.hq import promotions


def register(hsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = hsub.add_parser("promotions", help="publish promotions and price lists")
    psub = p.add_subparsers(dest="hq_promotions", required=True)
    imp = psub.add_parser("import", help="a .csv or .xlsx promotions file, all or nothing")
    _db(imp)
    imp.add_argument("file", type=Path)
    imp.add_argument("--store", help="for this store only (default: every store)")
    imp.set_defaults(func=domain_errors_as_cli(run_import))


def run_import(args: argparse.Namespace) -> int:
    def act(conn: psycopg.Connection, now: datetime) -> dict[str, object]:
        r = promotions.import_promotions(conn, args.file, store=args.store, now=now, actor=args.by)
        return {"promotions": r.promotions, "active": r.active, "hq_audit_seq": r.audit_seq}
    return _run(args, act)
