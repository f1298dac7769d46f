"""What the operational commands mail (seed 002): the reconciliation reminder, one per cashier
with their own shifts and totals plus the admins' summary, and the notice that shifts were
closed automatically. Addresses are settings: `admin_emails`, `supervisor_emails` (falls back
to `admin_emails`) and `user_email.<user id>` for a cashier's own address."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from app.context import TillContext
from app.notify import mail
from app.usecases.discrepancies import DiscrepancyInfo
from kernel.errors import InvalidInput
from kernel.money import format_money


def _addresses(raw: str | None) -> list[str]:
    return [a.strip() for a in (raw or "").split(",") if a.strip()]


def supervisor_recipients(ctx: TillContext) -> list[str]:
    with ctx.uow(read_only=True) as uow:
        raw = uow.settings.get("supervisor_emails", "") or uow.settings.get("admin_emails", "")
    return _addresses(raw)


def cashier_address(ctx: TillContext, user_id: str) -> list[str]:
    with ctx.uow(read_only=True) as uow:
        return _addresses(uow.settings.get(f"user_email.{user_id}", ""))


def _totals(items: list[DiscrepancyInfo], exp: int) -> str:
    by_kind: dict[str, int] = defaultdict(int)
    for d in items:
        by_kind[d.kind] += d.amount
    parts = ", ".join(f"{kind} {format_money(amount, exp)}" for kind, amount in sorted(by_kind.items()))
    shifts = len({d.shift_id for d in items})
    return f"{len(items)} discrepancies on {shifts} shift(s): {parts}"


def _lines(items: list[DiscrepancyInfo], exp: int) -> list[str]:
    return [f"  shift {d.shift_id} ({d.business_date}, detected {d.detected_at}) {d.kind} "
            f"{format_money(d.amount, exp)} - {d.detail}" for d in items]


def cashier_text(name: str, items: list[DiscrepancyInfo], till: str, exp: int) -> str:
    lines = [f"{name}, these closed shifts of yours on till {till} are not reconciled yet:", "",
             *_lines(items, exp), "", f"Total: {_totals(items, exp)}",
             "Please see a supervisor, who resolves each one with a note on the till."]
    return "\n".join(lines) + "\n"


def admin_text(groups: dict[str, list[DiscrepancyInfo]], names: dict[str, str], till: str, exp: int) -> str:
    every = [d for items in groups.values() for d in items]
    lines = [f"Closed shifts on till {till} still have unresolved discrepancies.",
             f"Overall: {_totals(every, exp)}; {len(groups)} cashier(s).", ""]
    for cashier, items in sorted(groups.items()):
        lines += [f"{names.get(cashier, cashier)} ({cashier}): {_totals(items, exp)}", *_lines(items, exp)]
    lines += ["", "Action required: a supervisor resolves each one with a note on the till."]
    return "\n".join(lines) + "\n"


def _send(ctx: TillContext, recipients: list[str], subject: str, body: str) -> dict[str, Any]:
    """Queue and send; no address configured is not a failure (the command still did its work),
    a malformed one is (`refused`), and a down server leaves the message queued (`pending`)."""
    if not recipients:
        return {"sent": 0, "pending": 0, "errors": [], "skipped": "no address is configured"}
    try:
        return dict(mail.send(ctx, recipients, subject, body))
    except InvalidInput as exc:
        return {"sent": 0, "pending": 0, "errors": [str(exc)], "refused": True}


def send_reminders(ctx: TillContext, groups: dict[str, list[DiscrepancyInfo]], names: dict[str, str], *,
                   admins: bool, cashiers: bool) -> dict[str, Any]:
    """Mail each cashier their own list (if they have an address) and the admins the summary.
    A cashier without an address is named in the outcome; the admins' summary still lists them."""
    till, exp = ctx.settings.audit_till, ctx.settings.exponent
    outcome: dict[str, Any] = {"cashiers": {}, "no_address": []}
    if cashiers:
        for user_id, items in sorted(groups.items()):
            address = cashier_address(ctx, user_id)
            if not address:
                outcome["no_address"].append(user_id)
                continue
            outcome["cashiers"][user_id] = _send(ctx, address, f"Your unreconciled shifts on till {till}",
                                                 cashier_text(names.get(user_id, user_id), items, till, exp))
    if admins:
        outcome["admins"] = _send(ctx, mail.admin_recipients(ctx), f"Reconciliation reminder: {till}",
                                  admin_text(groups, names, till, exp))
    return outcome


def pending_mail(outcome: dict[str, Any]) -> list[str]:
    """The errors of every message that is still queued (or could not be queued)."""
    results = [*outcome.get("cashiers", {}).values(), *([outcome["admins"]] if "admins" in outcome else [])]
    return [r["errors"][-1] for r in results if r["pending"] or r.get("refused")]


def closed_shifts_text(outcomes: list[dict[str, Any]], names: dict[str, str], till: str, exp: int,
                       hours: float) -> str:
    lines = [f"Shifts on till {till} were closed automatically after more than {hours:g} hours open.",
             "Counted cash was set to the expected cash: count the drawer and resolve any difference.", ""]
    for o in outcomes:
        lines.append(f"  shift {o['shift_id']} of {names.get(o['user_id'], o['user_id'])} ({o['user_id']}), "
                     f"opened {o['opened_at']}, business date {o['business_date']}, "
                     f"expected cash {format_money(o['expected'], exp)}")
    return "\n".join(lines) + "\n"


def notify_closed_shifts(ctx: TillContext, outcomes: list[dict[str, Any]], names: dict[str, str],
                         hours: float) -> dict[str, Any] | None:
    """Tell the supervisors which shifts were closed for them; None when none was."""
    closed = [o for o in outcomes if o["action"] == "closed"]
    if not closed:
        return None
    till = ctx.settings.audit_till
    return _send(ctx, supervisor_recipients(ctx), f"Shifts closed automatically on till {till}",
                 closed_shifts_text(closed, names, till, ctx.settings.exponent, hours))
