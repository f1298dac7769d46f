"""The shift-close anomaly rules (app/reports/anomalies.py) run as each event lands.

Each check runs inside the transaction of the event that can set it off (a sale's completion, a
void, a refund, a wrong PIN) and writes its `anomaly.flagged` entry there, right after the
event's own entry: the flag exists exactly when its event does (a crash between two commits
cannot lose it or leave it without its cause), it reaches head office in the same push, and it
adds no transaction of its own. The cost is one aggregate query on those actions, which already
wait for the disk; the scan path runs none of this. The close runs the rules again over the whole
shift and flags only what was not flagged yet (one flag per kind and ref); voids and refunds
still raise their discrepancies there, to be resolved.
"""

from __future__ import annotations

from typing import Any

from app.context import TillContext
from app.reports import anomalies
from app.reports.anomalies import Finding, Getter
from db.uow import UnitOfWork
from kernel.money import format_money
from kernel.records import ShiftInfo


def _getter(uow: UnitOfWork) -> Getter:
    settings = uow.settings.all()
    return lambda key: settings.get(key, anomalies.THRESHOLDS.get(key, ""))


def flag(uow: UnitOfWork, ctx: TillContext, shift: ShiftInfo, finding: Finding, actor: str | None,
         now: str | None = None) -> int | None:
    """Write the `anomaly.flagged` entry of a finding not flagged yet for this shift; its seq."""
    if any((f.get("kind"), f.get("ref")) == (finding.kind, finding.ref) for f in uow.reports.anomaly_flags(shift.id)):
        return None
    data: dict[str, Any] = {
        "shift_id": shift.id, "business_date": shift.business_date, "kind": finding.kind,
        "amount": format_money(finding.amount, ctx.settings.exponent), "detail": finding.detail, "ref": finding.ref,
    }
    return uow.audit.append(ts=now or ctx.now_iso(), type_="anomaly.flagged", actor=actor, data=data)


def after_sale(uow: UnitOfWork, ctx: TillContext, shift: ShiftInfo, sale_id: str, gross: int, completed_at: str,
               actor: str) -> None:
    """A large sale against the shift's average so far (this sale included), and a sale after hours."""
    get = _getter(uow)
    count, total = uow.reports.kept_totals(shift.id)
    big = anomalies.large_sale(gross, count, total, get, ctx.settings.exponent, sale_id)
    if big is not None:
        flag(uow, ctx, shift, big, actor, completed_at)
    late = anomalies.local_time_outside(completed_at, get, ctx.settings.timezone)
    if late is not None:
        flag(uow, ctx, shift, Finding("AFTER_HOURS", 0, f"sale outside business hours at {late}", shift.id), actor,
             completed_at)


def after_void(uow: UnitOfWork, ctx: TillContext, shift: ShiftInfo, actor: str) -> None:
    count, total = uow.reports.void_totals(shift.id)
    finding = anomalies.voids(count, total, _getter(uow), ctx.settings.exponent, shift.id)
    if finding is not None:
        flag(uow, ctx, shift, finding, actor)


def after_refund(uow: UnitOfWork, ctx: TillContext, shift: ShiftInfo, refund_id: str, gross: int,
                 actor: str) -> None:
    finding = anomalies.large_refund(gross, _getter(uow), ctx.settings.exponent, refund_id)
    if finding is not None:
        flag(uow, ctx, shift, finding, actor)


def after_failed_login(uow: UnitOfWork, ctx: TillContext, user_id: str) -> None:
    """Wrong PINs for one user during the open shift (the entry of this one already written)."""
    shift = uow.shifts.open_shift()
    if shift is None:
        return
    count = uow.reports.failed_logins_between(shift.opened_at, ctx.now_iso()).get(user_id, 0)
    finding = anomalies.failed_logins(user_id, count, _getter(uow))
    if finding is not None:
        flag(uow, ctx, shift, finding, None)
