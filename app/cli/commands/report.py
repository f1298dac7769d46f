"""`tillstone report x|z [--business-date D] [--json]`, `report shift SHIFT_ID`,
`report commission [--month M --year Y] [--email ADDR|--send] [--dry-run]`,
`report audit|activity [--from D --to D] [--user U] [--json]` (app/cli/commands/report_audit.py).
Report makers come from app.reports.registry."""

from __future__ import annotations

import argparse
import sys

from app.cli.commands import report_audit
from app.cli.context import domain_errors_as_cli, print_json, till_from_args
from app.cli.errors import CliError
from app.notify import mail
from app.reports.commission import commission_text
from app.reports.registry import make_report
from app.reports.text import WIDTHS


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="X, Z, shift, commission, audit and user activity reports")
    rsub = p.add_subparsers(dest="report_command", required=True)
    for name, helptext in (("x", "flash report: any time, changes nothing"),
                           ("z", "daily report: closes the business day (again: a marked copy)")):
        r = rsub.add_parser(name, help=helptext)
        r.add_argument("--business-date", help="YYYY-MM-DD (default: the current business date)")
        r.add_argument("--width", type=int, choices=WIDTHS, help="receipt columns")
        r.add_argument("--json", action="store_true")
        r.set_defaults(func=domain_errors_as_cli(run_day), report_type=name)
    s = rsub.add_parser("shift", help="one shift: summary, hourly, payments, discrepancies, performance")
    s.add_argument("shift_id")
    s.add_argument("--width", type=int, choices=WIDTHS)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=domain_errors_as_cli(run_shift))
    c = rsub.add_parser("commission", help="per-cashier net sales, tax and commission for a month "
                        "(default: the previous month)")
    c.add_argument("--month", type=int)
    c.add_argument("--year", type=int)
    c.add_argument("--email", action="append", metavar="ADDR",
                   help="e-mail the report to ADDR (repeatable); without it, --send mails admin_emails")
    c.add_argument("--send", action="store_true", help="e-mail the report to the till's admin_emails")
    c.add_argument("--dry-run", action="store_true", help="make the report, send nothing")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=domain_errors_as_cli(run_commission))
    report_audit.register(rsub)


def run_day(args: argparse.Namespace) -> int:
    report = make_report(args.report_type, till_from_args(args), business_date=args.business_date, width=args.width)
    if args.json:
        print_json(report)
    else:
        print(report["receipt_text"], end="")
    return 0


def run_shift(args: argparse.Namespace) -> int:
    report = make_report("shift", till_from_args(args), shift_id=args.shift_id, width=args.width)
    if args.json:
        print_json(report)
        return 0
    print(report["receipt_text"], end="")
    perf = report["performance"]
    print(f"Sales/hour {perf['sales_per_hour']}  transactions/hour {perf['transactions_per_hour']}  "
          f"avg transaction {perf['average_transaction_seconds']} s")
    print(f"Hourly ({report['timezone']}):")
    for row in report["hourly"]:
        print(f"  {row['hour']}  {row['count']:>4}  {row['amount']:>12}")
    for d in report["discrepancies"]:
        state = f"resolved by {d['resolved_by']}: {d['note']}" if d["resolved_at"] else "UNRESOLVED"
        print(f"  {d['kind']:<15} {d['amount']:>10}  {state}")
    return 0


def run_commission(args: argparse.Namespace) -> int:
    if args.month is not None and not 1 <= args.month <= 12:
        raise CliError("--month is 1 to 12.")
    if (args.month is None) != (args.year is None):
        raise CliError("Give both --month and --year, or neither for the previous month.")
    ctx = till_from_args(args)
    report = make_report("commission", ctx, month=args.month, year=args.year)
    text = commission_text(report)
    code = 0
    if (args.email or args.send) and not args.dry_run:
        recipients = args.email or mail.admin_recipients(ctx)
        outcome = mail.send(ctx, recipients, f"Commission {report['from']} to {report['to']}: {report['till']}", text)
        report["mail"] = outcome
        if outcome["pending"]:
            code = 1
            print(f"tillstone: mail not sent yet, kept in the queue: {outcome['errors'][-1]}", file=sys.stderr)
    if args.json:
        print_json(report)
    else:
        print(text, end="")
        if args.dry_run and (args.email or args.send):
            print("Dry run: nothing was sent.")
    return code
