"""Discrepancies of a shift: cash over/short beyond the tolerance, void and refund anomalies.

A discrepancy is never edited: a supervisor resolves it with a note, which is a new record and
a new audit entry. A closed shift is reconciled when every discrepancy it has is resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.context import TillContext
from app.domain.permissions import Approval
from app.domain.text import printable
from app.usecases.auth import authorize
from db.uow import UnitOfWork
from kernel.errors import InvalidInput, NotFound, StateError
from kernel.ids import new_id
from kernel.money import format_money

DEFAULT_TOLERANCE = "0"  # minor units; setting `cash_tolerance`


@dataclass(frozen=True)
class DiscrepancyInfo:
    id: str
    shift_id: str
    business_date: str
    kind: str
    amount: int
    detail: str
    detected_at: str
    resolved_by: str | None
    resolved_at: str | None
    note: str | None


def _info(row: Any) -> DiscrepancyInfo:  # a discrepancies_repo row
    return DiscrepancyInfo(row.id, row.shift_id, row.business_date, row.kind, row.amount, row.detail,
                           row.detected_at, row.resolved_by, row.resolved_at, row.note)


def tolerance(uow: UnitOfWork) -> int:
    try:
        return max(0, int(uow.settings.get("cash_tolerance", DEFAULT_TOLERANCE) or 0))
    except ValueError:
        return 0


def raise_discrepancy(uow: UnitOfWork, ctx: TillContext, *, shift_id: str, business_date: str, kind: str,
                      amount: int, detail: str, actor: str | None) -> str:
    """Record a discrepancy and its audit entry inside the caller's transaction."""
    disc_id, now, detail = new_id(), ctx.now_iso(), detail[:300]
    seq = uow.audit.append(ts=now, type_="discrepancy.raised", actor=actor, data={
        "discrepancy_id": disc_id, "shift_id": shift_id, "business_date": business_date, "kind": kind,
        "amount": format_money(amount, ctx.settings.exponent), "detail": detail,
    })
    uow.discrepancies.insert(id=disc_id, shift_id=shift_id, business_date=business_date, kind=kind, amount=amount,
                             detail=detail, detected_at=now, audit_seq=seq)
    return disc_id


def cash_discrepancy(uow: UnitOfWork, ctx: TillContext, *, shift_id: str, business_date: str,
                     difference: int, actor: str | None) -> str | None:
    """CASH_OVER / CASH_SHORT when |counted - expected| is beyond the `cash_tolerance` setting."""
    if abs(difference) <= tolerance(uow) or difference == 0:
        return None
    kind = "CASH_OVER" if difference > 0 else "CASH_SHORT"
    exp = ctx.settings.exponent
    return raise_discrepancy(uow, ctx, shift_id=shift_id, business_date=business_date, kind=kind,
                             amount=abs(difference),
                             detail=f"counted cash differs from expected by {format_money(difference, exp)}",
                             actor=actor)


def resolve(ctx: TillContext, user_id: str, discrepancy_id: str, note: str,
            approval: Approval | None = None) -> DiscrepancyInfo:
    """A supervisor (or a cashier with a supervisor's one-shot approval) resolves with a note."""
    cleaned = printable(note or "").strip()[:500]
    if not cleaned:
        raise InvalidInput("Write a note that says how the difference was resolved.")
    with ctx.uow() as uow:
        approver = authorize(uow, ctx, user_id, "resolve_discrepancy", approval)
        repo = uow.discrepancies
        row = repo.get(discrepancy_id)
        if row is None:
            raise NotFound("That discrepancy does not exist.")
        if row.resolved_at is not None:
            raise StateError(f"That discrepancy was already resolved by {row.resolved_by}.")
        shift = uow.shifts.shift(row.shift_id)
        if shift is None or shift.status != "CLOSED":
            raise StateError("Close the shift before resolving its discrepancies.")
        now = ctx.now_iso()
        seq = uow.audit.append(ts=now, type_="discrepancy.resolved", actor=user_id, data={
            "discrepancy_id": row.id, "shift_id": row.shift_id, "business_date": row.business_date,
            "resolved_by": approver, "note": cleaned,
        })
        repo.insert_resolution(discrepancy_id=row.id, resolved_by=approver, resolved_at=now, note=cleaned,
                               audit_seq=seq)
        result = _info(repo.get(row.id))
        uow.commit()
    return result


def for_shift(ctx: TillContext, shift_id: str) -> list[DiscrepancyInfo]:
    with ctx.uow(read_only=True) as uow:
        return [_info(r) for r in uow.discrepancies.find(shift_id=shift_id)]


def unresolved(ctx: TillContext) -> list[DiscrepancyInfo]:
    with ctx.uow(read_only=True) as uow:
        return [_info(r) for r in uow.discrepancies.find(unresolved=True)]


def is_reconciled(ctx: TillContext, shift_id: str) -> bool:
    """Closed, and every discrepancy of the shift resolved."""
    with ctx.uow(read_only=True) as uow:
        shift = uow.shifts.shift(shift_id)
        if shift is None:
            raise NotFound("That shift does not exist.")
        return shift.status == "CLOSED" and not uow.discrepancies.find(shift_id=shift_id, unresolved=True)


def unreconciled_by_cashier(ctx: TillContext, days: int = 1) -> dict[str, list[DiscrepancyInfo]]:
    """Unresolved discrepancies of closed shifts detected at least `days` days ago, by cashier."""
    cutoff = ctx.later_iso(days=-days) if days > 0 else ctx.later_iso(seconds=1)
    out: dict[str, list[DiscrepancyInfo]] = {}
    with ctx.uow(read_only=True) as uow:
        for row in uow.discrepancies.find(unresolved=True):
            shift = uow.shifts.shift(row.shift_id)
            if shift is None or shift.status != "CLOSED" or row.detected_at > cutoff:
                continue
            out.setdefault(shift.user_id, []).append(_info(row))
    return out


__all__ = ["DiscrepancyInfo", "resolve", "for_shift", "unresolved", "is_reconciled", "unreconciled_by_cashier"
           ]

