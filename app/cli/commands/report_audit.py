"""`tillstone report audit|activity [--from D --to D] [--user U] [--hours H] [--json]` at the till
and `tillstone hq report audit|activity --db URL [--store S] ...` at head office. Each read is
audited (`export.created`, kind `report:...`) with the SHA-256 of what is printed, then printed."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from app.cli.context import CENTRAL_DB_HELP, central_url, domain_errors_as_cli, till_from_args
from app.reports.activity import activity_text
from app.reports.audit_report import audit_text
from app.reports.registry import make_report
from app.usecases.report_reads import record_read

TEXTS: dict[str, Callable[[dict[str, Any]], str]] = {"audit": audit_text, "activity": activity_text}
HELP = {"audit": "audit report: totals, users, high-risk actions, actions by type and by user",
        "activity": "per-user activity over a window (default the last 30 days)"}


def _options(p: argparse.ArgumentParser, name: str, *, central: bool = False) -> None:
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first local date YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last local date YYYY-MM-DD")
    p.add_argument("--user", help="only this user")
    if name == "activity":
        default = "06:00-22:00, head office keeps no hours" if central else "setting business_hours"
        p.add_argument("--hours", help=f"business hours HH:MM-HH:MM in local time (default: {default})")
    p.add_argument("--json", action="store_true")


def register(rsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Under `tillstone report`."""
    for name in ("audit", "activity"):
        r = rsub.add_parser(name, help=HELP[name])
        _options(r, name)
        r.set_defaults(func=domain_errors_as_cli(run_till), report_type=name)


def register_hq(rsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Under `tillstone hq report`."""
    for name in ("audit", "activity"):
        r = rsub.add_parser(name, help=HELP[name] + " of what head office holds")
        r.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
        r.add_argument("--store", action="append", help="store id (repeatable; HQ: head office's own log; "
                                                        "default: every store and HQ)")
        r.add_argument("--by", default="hq", help="who at head office reads it (in hq_audit)")
        _options(r, name, central=True)
        r.set_defaults(func=domain_errors_as_cli(run_hq), report_type=name)


def _params(args: argparse.Namespace) -> dict[str, Any]:
    params = {"date_from": args.date_from, "date_to": args.date_to, "user": args.user}
    if args.report_type == "activity":
        params["hours"] = args.hours
    return params


def render(report: dict[str, Any], as_json: bool) -> str:
    """Exactly what is printed (and hashed into the audit entry)."""
    if as_json:
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    return TEXTS[report["report_type"]](report)


def rows_of(report: dict[str, Any]) -> int:
    """The rows a report covers: entries for the audit report, users for the activity report."""
    return report["summary"]["total_actions"] if report["report_type"] == "audit" else len(report["users"])


def run_till(args: argparse.Namespace) -> int:
    ctx = till_from_args(args)
    report = make_report(args.report_type, ctx, **_params(args))
    output = render(report, args.json)
    record_read(ctx, args.report_type, "json" if args.json else "text", output, rows_of(report), report["filters"])
    sys.stdout.write(output)
    return 0


def run_hq(args: argparse.Namespace) -> int:
    from app.cli.commands.hq import _connect
    from app.hq import activity as hq_activity

    with _connect(args.db) as conn:
        report = hq_activity.make(conn, args.report_type, stores=args.store, **_params(args))
        output = render(report, args.json)
        hq_activity.record_read(conn, args.report_type, "json" if args.json else "text", output, rows_of(report),
                                report["filters"], stores=args.store, actor=args.by)
    sys.stdout.write(output)
    return 0
