"""`tillstone hq export-schedule add|list|remove|run`: exports head office takes on a timer and
e-mails (app/hq/export_schedule.py; cron and systemd examples in docs/operations.md)."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, date, datetime

import psycopg

from app.cli.context import CENTRAL_DB_HELP, central_url, domain_errors_as_cli, print_json
from app.cli.errors import CliError
from app.exports.files import FORMATS
from app.exports.registry import kinds
from app.hq import export_schedule as sched
from app.notify.mail import SmtpSettings
from db.central import schedule_repo


def register(hsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = hsub.add_parser("export-schedule", help="exports written and e-mailed on a timer (cron, systemd)")
    ssub = p.add_subparsers(dest="schedule_command", required=True)
    a = ssub.add_parser("add", help="a named export: kind, format, filters, range, recipients")
    a.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
    a.add_argument("--name", required=True)
    a.add_argument("--kind", required=True, choices=list(kinds()))
    a.add_argument("--format", required=True, choices=FORMATS)
    a.add_argument("--range", choices=sched.RANGES, help="business dates relative to the day of each run")
    a.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE",
                   help="a filter of the kind (as in hq export), e.g. payment=card (repeatable)")
    a.add_argument("--store", action="append", help="store id (repeatable; default: every store)")
    a.add_argument("--to", action="append", required=True, metavar="ADDRESS", help="recipient (repeatable)")
    a.add_argument("--by", default="hq", help="who at head office sets it up")
    a.set_defaults(func=domain_errors_as_cli(run_add))
    ls = ssub.add_parser("list", help="the schedules")
    ls.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)
    rm = ssub.add_parser("remove", help="remove a schedule")
    rm.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
    rm.add_argument("--name", required=True)
    rm.set_defaults(func=run_remove)
    r = ssub.add_parser("run", help="write each schedule's file, queue its mail, send what is queued; "
                                    "exit 1 when an export failed or mail is still queued")
    r.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
    r.add_argument("--name", help="only this schedule")
    r.add_argument("--dry-run", action="store_true", help="say what would be written; write and send nothing")
    r.add_argument("--mail-only", action="store_true", help="only send what is queued; write no export")
    r.add_argument("--today", type=date.fromisoformat, help="the day relative ranges count from (default: today, UTC)")
    r.add_argument("--smtp-host", default=os.environ.get("TILLSTONE_SMTP_HOST", ""))
    r.add_argument("--smtp-port", type=int, default=int(os.environ.get("TILLSTONE_SMTP_PORT", "25") or 25))
    r.add_argument("--smtp-from", default=os.environ.get("TILLSTONE_SMTP_FROM", "tillstone@localhost"))
    r.add_argument("--smtp-timeout", type=float, default=10.0)
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=domain_errors_as_cli(run_run))


def _filters(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key.strip():
            raise CliError(f"--filter '{pair[:40]}' is not KEY=VALUE.")
        out[key.strip().replace("-", "_")] = value.strip()
    return out


def _connect(url: str) -> psycopg.Connection:
    from app.cli.commands.hq import _connect as connect

    return connect(url)


def run_add(args: argparse.Namespace) -> int:
    today = datetime.now(UTC).date()
    schedule = sched.check(args.name, args.kind, args.format, args.range, _filters(args.filter), args.to,
                           args.store, args.by, today)
    with _connect(args.db) as conn:
        if not schedule_repo.add(conn, schedule):
            raise CliError(f"An export schedule named '{schedule.name}' exists; remove it first.")
    print(f"export schedule {schedule.name}: {schedule.kind} as {schedule.format} to {', '.join(schedule.recipients)}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with _connect(args.db) as conn:
        found = schedule_repo.schedules(conn)
    rows = [{"name": s.name, "kind": s.kind, "format": s.format, "range": s.range, "filters": s.filters,
             "stores": s.stores, "recipients": s.recipients, "created_by": s.created_by} for s in found]
    if args.json:
        print_json({"schedules": rows})
    for s in [] if args.json else found:
        print(f"{s.name}: {s.kind} {s.format} {s.range or ''} {s.filters or ''} -> {', '.join(s.recipients)}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    with _connect(args.db) as conn:
        if not schedule_repo.remove(conn, args.name):
            raise CliError(f"There is no export schedule named '{args.name[:60]}'.")
    print(f"export schedule {args.name} removed")
    return 0


def run_run(args: argparse.Namespace) -> int:
    today = args.today or datetime.now(UTC).date()
    smtp = SmtpSettings(host=args.smtp_host, port=args.smtp_port, sender=args.smtp_from, timeout=args.smtp_timeout,
                        user=os.environ.get("TILLSTONE_SMTP_USER", ""),
                        password=os.environ.get("TILLSTONE_SMTP_PASSWORD", ""),
                        starttls=os.environ.get("TILLSTONE_SMTP_STARTTLS", "0") == "1")
    with _connect(args.db) as conn:
        results = [] if args.mail_only else sched.run(conn, today, name=args.name, dry_run=args.dry_run)
        flushed = None if args.dry_run else sched.flush(conn, smtp)
    out = {"today": today.isoformat(), "dry_run": args.dry_run,
           "exports": [{"name": r.name, "file": r.file, "rows": r.rows, "sha256": r.sha256,
                        "filters": r.filters, "error": r.error} for r in results],
           "mail": None if flushed is None else {"sent": flushed.sent, "pending": flushed.pending,
                                                 "errors": flushed.errors}}
    if args.json:
        print_json(out)
    else:
        for r in results:
            what = r.error or ("would write" if r.file is None else f"{r.file}: {r.rows} rows")
            print(f"{r.name}: {what} {r.filters}")
        if flushed is not None:
            print(f"mail: {flushed.sent} sent, {flushed.pending} queued" +
                  (f" ({flushed.errors[-1]})" if flushed.errors else ""))
    failed = any(r.error for r in results) or (flushed is not None and flushed.pending > 0)
    return 1 if failed else 0
