"""`tillstone init`: create the till database with its identity, and optionally demo data."""

from __future__ import annotations

import argparse

from app.bootstrap import init_till, machine_timezone, resolve_data_dir
from app.cli.context import domain_errors_as_cli


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="set up a till (store id, till id, currency)")
    p.add_argument("--store", required=True, help="store id, e.g. S001")
    p.add_argument("--till", required=True, help="till id, e.g. T01")
    p.add_argument("--currency", default="EUR")
    p.add_argument("--timezone", help="IANA zone for business dates and report hours, e.g. Europe/Berlin "
                   "(default: the machine's zone)")
    p.add_argument("--demo", action="store_true", dest="init_demo", help="load demo catalogue, users, customers")
    p.set_defaults(func=domain_errors_as_cli(run))


def run(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    ctx = init_till(data_dir, store=args.store, till=args.till, currency=args.currency,
                    timezone=args.timezone or machine_timezone())
    print(f"Till {ctx.settings.audit_till} ready in {data_dir} (time zone {ctx.settings.timezone})")
    if args.init_demo or args.demo:
        from app.usecases.setup import load_demo

        report = load_demo(ctx)
        print(f"Demo data loaded: {report.imported} products, {len(report.errors)} rejected rows")
    return 0
