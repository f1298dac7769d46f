"""`tillstone shift close-expired` and `shift reconciliation-remind` (seed 002's operational
commands): run from cron; each says what it did, `--dry-run` changes nothing, `--json` for tools."""

from __future__ import annotations

import argparse
import sys

from app.cli.context import domain_errors_as_cli, print_json, till_from_args
from app.cli.errors import CliError
from app.context import TillContext
from app.notify import mail, reminders
from app.queries import people
from app.usecases import discrepancies, shifts
from kernel.money import format_money


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("shift", help="operational shift commands")
    ssub = p.add_subparsers(dest="shift_command", required=True)
    c = ssub.add_parser("close-expired", help="close shifts open longer than --hours with their expected cash")
    c.add_argument("--hours", type=float, default=12.0)
    c.add_argument("--dry-run", action="store_true")
    c.add_argument("--force", action="store_true", help="close even when the shift has open or parked sales")
    c.add_argument("--no-notify", action="store_true",
                   help="do not e-mail supervisor_emails (or admin_emails) about the shifts closed")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=domain_errors_as_cli(run_close_expired))
    r = ssub.add_parser("reconciliation-remind", help="list closed shifts with unresolved discrepancies")
    r.add_argument("--days", type=int, default=1, help="only discrepancies at least this many days old")
    r.add_argument("--dry-run", action="store_true")
    r.add_argument("--email-admins", action="store_true", help="e-mail the summary to admin_emails over SMTP")
    r.add_argument("--email-cashiers", action="store_true",
                   help="e-mail each cashier their own list and totals (setting user_email.<user id>)")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=domain_errors_as_cli(run_remind))


def _names(ctx: TillContext) -> dict[str, str]:
    return {u.id: u.name for u in people.users(ctx)}


def _report_pending(errors: list[str]) -> int:
    if errors:
        print(f"tillstone: mail not sent yet, kept in the queue: {errors[-1]}", file=sys.stderr)
        return 1
    return 0


def run_close_expired(args: argparse.Namespace) -> int:
    if not 0 < args.hours <= 24 * 365:
        raise CliError("--hours must be more than 0.")
    ctx = till_from_args(args)
    outcomes = shifts.close_expired(ctx, args.hours, dry_run=args.dry_run, force=args.force)
    notice = None if args.dry_run or args.no_notify else \
        reminders.notify_closed_shifts(ctx, outcomes, _names(ctx), args.hours)
    code = _report_pending(reminders.pending_mail({"admins": notice}) if notice else [])
    if args.json:
        print_json({"dry_run": args.dry_run, "shifts": outcomes, "mail": notice})
        return code
    if not outcomes:
        print(f"No shift has been open longer than {args.hours:g} hours.")
    for o in outcomes:
        why = f" ({o['why']}; use --force)" if o.get("why") else ""
        print(f"{o['action']}: shift {o['shift_id']} of {o['user_id']} opened {o['opened_at']}{why}")
    if notice and notice["sent"]:
        print("Supervisors were told by e-mail.")
    elif notice and notice.get("skipped"):
        print("No supervisor_emails or admin_emails are set: nobody was e-mailed.")
    return code


def run_remind(args: argparse.Namespace) -> int:
    if args.days < 0:
        raise CliError("--days cannot be negative.")
    ctx = till_from_args(args)
    groups = discrepancies.unreconciled_by_cashier(ctx, args.days)
    exp, names = ctx.settings.exponent, _names(ctx)
    result: dict[str, object] = {
        "dry_run": args.dry_run, "cashiers": {
            c: [{"discrepancy_id": d.id, "shift_id": d.shift_id, "business_date": d.business_date,
                 "kind": d.kind, "amount": format_money(d.amount, exp), "detail": d.detail} for d in items]
            for c, items in sorted(groups.items())}}
    code = 0
    wants_mail = (args.email_admins or args.email_cashiers) and not args.dry_run
    if wants_mail and groups:
        outcome = reminders.send_reminders(ctx, groups, names, admins=args.email_admins,
                                           cashiers=args.email_cashiers)
        result["mail"] = outcome
        code = _report_pending(reminders.pending_mail(outcome))
        if outcome.get("admins", {}).get("skipped"):
            print("tillstone: no admin_emails are set; the summary was not sent", file=sys.stderr)
        for user_id in outcome["no_address"]:
            print(f"tillstone: no e-mail address for {user_id} (setting user_email.{user_id})", file=sys.stderr)
    elif wants_mail:
        result["mail"] = mail.flush(ctx)  # nothing new to say; still retry anything queued before
    if args.json:
        print_json(result)
    elif not groups:
        print("Every closed shift is reconciled.")
    else:
        print(reminders.admin_text(groups, names, ctx.settings.audit_till, exp), end="")
    return code
