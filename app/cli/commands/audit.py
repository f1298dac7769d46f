"""`tillstone audit verify|export`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path

from app.audit.anchor import AnchorError, parse_anchor
from app.audit.verify import VerifyReport
from app.cli.context import domain_errors_as_cli, print_json, till_from_args
from app.cli.errors import CliError
from app.context import TillContext
from app.notify import alerts
from app.usecases import audit
from app.usecases.receipt_anchor import check_receipt


def _range(date_from: str | None, date_to: str | None, full: bool) -> tuple[str, str] | None:
    """--from/--to as ISO dates; None means every entry (--full, or no range given)."""
    if full and (date_from or date_to):
        raise CliError("Give either --full or --from/--to, not both.")
    if full or not (date_from or date_to):
        return None
    try:
        lo = date.fromisoformat(date_from).isoformat() if date_from else "0000-01-01"
        hi = date.fromisoformat(date_to).isoformat() if date_to else "9999-12-31"
    except ValueError:
        raise CliError("Write dates as YYYY-MM-DD.") from None
    if lo > hi:
        raise CliError("--from is after --to.")
    return lo, hi


def _limit_to_dates(ctx: TillContext, report: VerifyReport, lo: str, hi: str) -> None:
    """Keep problems of entries stamped within [lo, hi] (UTC dates). The chain is checked from the
    last checkpoint before `lo` that the till's key signed (or from entry 1 without one), because
    a link can only be trusted from a signed start."""
    kept = []
    with ctx.uow(read_only=True) as uow:
        for problem in report.problems:
            body = uow.audit.body(problem.seq) if problem.seq else None
            day = _day_of(body) if body else None
            if day is None or lo <= day <= hi:
                kept.append(problem)
    report.problems[:] = kept


def _day_of(body: bytes) -> str | None:
    """The UTC date an entry is stamped with; None for bytes that are not an entry (kept: damage
    is always shown)."""
    try:
        ts = json.loads(body).get("ts")
    except (ValueError, AttributeError, RecursionError):
        return None
    return ts[:10] if isinstance(ts, str) else None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="verify or export the audit log")
    asub = p.add_subparsers(dest="audit_command", required=True)
    v = asub.add_parser("verify", help="check the hash chain and every finalised record")
    v.add_argument("--json", action="store_true")
    v.add_argument("--from", "--start-date", dest="date_from",
                   help="report problems of entries from this date (YYYY-MM-DD)")
    v.add_argument("--to", "--end-date", dest="date_to", help="... up to this date; the chain is checked from the "
                   "last signed checkpoint before --from (entry 1 without one)")
    v.add_argument("--days", type=_days, help="the last N days up to today (UTC); instead of --from/--to")
    v.add_argument("--full", action="store_true", help="report every problem (the default without --from/--to)")
    v.add_argument("--receipt", metavar="LINE", help="check one receipt's audit line against the log, e.g. "
                   "\"S001-T01-20260105-0042 seq=812 h=3fa9c0d18e2b4a77\" (exit 0 match, 1 mismatch or missing)")
    v.add_argument("--alert-on-tampering", action="store_true", help="e-mail admin_emails when a problem is found")
    v.add_argument("--email", action="append", metavar="ADDR",
                   help="e-mail a found problem to ADDR instead of admin_emails (repeatable; implies the alert)")
    v.set_defaults(func=run_verify)
    e = asub.add_parser("export", help="write the audit log as JSON Lines")
    e.add_argument("--out", required=True, type=Path)
    e.set_defaults(func=domain_errors_as_cli(run_export))


def _days(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 36600:
        raise argparse.ArgumentTypeError("--days is a whole number of days from 1 to 36600")
    return int(value)


def _days_window(args: argparse.Namespace, ctx: TillContext) -> None:
    """--days N becomes --from today-N+1 --to today (UTC dates by the till's clock, as --from/--to
    are), so both paths check the same way."""
    if args.days is None:
        return
    if args.date_from or args.date_to or args.full:
        raise CliError("Give --days, or --from/--to, or --full; not two of them.")
    today = ctx.now().date()
    args.date_from = (today - timedelta(days=args.days - 1)).isoformat()
    args.date_to = today.isoformat()


def run_verify(args: argparse.Namespace) -> int:
    if args.receipt is not None:
        return _verify_receipt(args)
    ctx = till_from_args(args)
    _days_window(args, ctx)
    window = _range(args.date_from, args.date_to, args.full)
    if sys.stdout.isatty() and not args.json:
        from rich.console import Console

        with Console().status("Verifying the audit chain, records and checkpoints..."):
            report = audit.verify(ctx, since=window[0] if window else None)
    else:
        report = audit.verify(ctx, since=window[0] if window else None)
    if window is not None:
        _limit_to_dates(ctx, report, *window)
    if not report.ok and (args.alert_on_tampering or args.email):
        outcome = alerts.tampering_alert(ctx, report, recipients=args.email)
        if outcome.get("pending") and not args.json:
            print("The alert e-mail could not be sent yet; it stays queued and is retried on the next run.")
    if args.json:
        print_json(report.as_dict())
    elif report.ok:
        witnessed = (f"; {report.witnessed} checkpoints countersigned by head office still match "
                     f"(entries 1..{report.witnessed_size})" if report.witnessed else "")
        start = f" (from the signed checkpoint #{report.anchor.seq})" if report.anchor else ""
        print(f"OK: {report.entries} entries{start}, {report.records_checked} records match; head {report.head[:16]}"
              f"{witnessed}")
    else:
        print(f"TAMPERING OR DAMAGE FOUND: first bad entry is #{report.first_bad_seq}")
        for problem in report.problems[:20]:
            print(f"  #{problem.seq} {problem.kind}: {problem.message}")
    return 0 if report.ok else 1


def _verify_receipt(args: argparse.Namespace) -> int:
    try:
        receipt_no, seq, prefix = parse_anchor(args.receipt)
    except AnchorError as exc:
        raise CliError(str(exc)) from None
    result = check_receipt(till_from_args(args), receipt_no, seq, prefix)
    if args.json:
        print_json({"ok": result.ok, "receipt": receipt_no, "seq": seq, "message": result.message})
    else:
        print(result.message)
    return 0 if result.ok else 1


def run_export(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.exists() and out.is_dir():
        raise CliError(f"{out} is a directory; give a file name.")
    if not out.parent.is_dir():
        raise CliError(f"The folder {out.parent} does not exist.")
    count = audit.export(till_from_args(args), out)
    print(f"Wrote {count} entries to {out}")
    return 0
