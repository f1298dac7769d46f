"""`tillstone shift close-expired` and `shift reconciliation-remind` (seed 002's operational
commands): run from cron; each says what it did, `--dry-run` changes nothing, `--json` for tools."""

from __future__ import annotations

import argparse
import sys

from app.cli.context import domain_errors_as_cli, print_json, till_from_args
from app.cli.errors import CliError
from app.notify import mail
from app.usecases import discrepancies, shifts
from kernel.money import format_money


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("shift", help="operational shift commands")
    ssub = p.add_subparsers(dest="shift_command", required=True)
    c = ssub.add_parser("close-expired", help="close shifts open longer than --hours with their expected cash")
    c.add_argument("--hours", type=float, default=12.0)
    c.add_argument("--dry-run", action="store_true")
    c.add_argument("--force", action="store_true", help="close even when the shift has open or parked sales")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=domain_errors_as_cli(run_close_expired))
    r = ssub.add_parser("reconciliation-remind", help="list closed shifts with unresolved discrepancies")
    r.add_argument("--days", type=int, default=1, help="only discrepancies at least this many days old")
    r.add_argument("--dry-run", action="store_true")
    r.add_argument("--email-admins", action="store_true", help="e-mail the list to admin_emails over SMTP")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=domain_errors_as_cli(run_remind))


def run_close_expired(args: argparse.Namespace) -> int:
    if not 0 < args.hours <= 24 * 365:
        raise CliError("--hours must be more than 0.")
    outcomes = shifts.close_expired(till_from_args(args), args.hours, dry_run=args.dry_run, force=args.force)
    if args.json:
        print_json({"dry_run": args.dry_run, "shifts": outcomes})
        return 0
    if not outcomes:
        print(f"No shift has been open longer than {args.hours:g} hours.")
    for o in outcomes:
        why = f" ({o['why']}; use --force)" if o.get("why") else ""
        print(f"{o['action']}: shift {o['shift_id']} of {o['user_id']} opened {o['opened_at']}{why}")
    return 0


def _reminder_text(groups: dict[str, list[discrepancies.DiscrepancyInfo]], till: str, exp: int) -> str:
    lines = [f"Closed shifts on till {till} still have unresolved discrepancies:", ""]
    for cashier, items in sorted(groups.items()):
        lines.append(f"{cashier}:")
        lines += [f"  shift {d.shift_id} ({d.business_date}) {d.kind} {format_money(d.amount, exp)} - {d.detail}"
                  for d in items]
    lines += ["", "A supervisor resolves each one with a note on the till."]
    return "\n".join(lines) + "\n"


def run_remind(args: argparse.Namespace) -> int:
    if args.days < 0:
        raise CliError("--days cannot be negative.")
    ctx = till_from_args(args)
    groups = discrepancies.unreconciled_by_cashier(ctx, args.days)
    exp = ctx.settings.exponent
    result: dict[str, object] = {
        "dry_run": args.dry_run, "cashiers": {
            c: [{"discrepancy_id": d.id, "shift_id": d.shift_id, "business_date": d.business_date,
                 "kind": d.kind, "amount": format_money(d.amount, exp), "detail": d.detail} for d in items]
            for c, items in sorted(groups.items())}}
    code = 0
    if args.email_admins and groups and not args.dry_run:
        outcome = mail.send(ctx, mail.admin_recipients(ctx), f"Reconciliation reminder: {ctx.settings.audit_till}",
                            _reminder_text(groups, ctx.settings.audit_till, ctx.settings.exponent))
        result["mail"] = outcome
        if outcome["pending"]:
            code = 1
            print(f"tillstone: mail not sent yet, kept in the queue: {outcome['errors'][-1]}", file=sys.stderr)
    elif args.email_admins and not args.dry_run:
        result["mail"] = mail.flush(ctx)  # nothing new to say; still retry anything queued before
    if args.json:
        print_json(result)
    elif not groups:
        print("Every closed shift is reconciled.")
    else:
        print(_reminder_text(groups, ctx.settings.audit_till, ctx.settings.exponent), end="")
    return code
