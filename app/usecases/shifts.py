"""Shifts and the cash drawer: open with a float, cash in and out, no-sale, close with a count."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from app.audit import projections
from app.context import TillContext
from app.domain.errors import InvalidInput, NotFound, StateError
from app.domain.permissions import Approval
from app.domain.records import ShiftInfo
from app.money import format_money
from app.usecases.auth import authorize, require


def _clean(text: str, what: str) -> str:
    cleaned = "".join(ch for ch in text if ch.isprintable()).strip()[:200]
    if not cleaned:
        raise InvalidInput(f"Give a {what}.")
    return cleaned


def _active(uow) -> ShiftInfo:  # type: ignore[no-untyped-def]
    shift = uow.shifts.open_shift()
    if shift is None:
        raise StateError("No shift is open on this till.")
    if shift.status != "ACTIVE":
        raise StateError("The shift is suspended. Resume it first.")
    return shift


def open_shift(ctx: TillContext, user_id: str, opening_float: int) -> ShiftInfo:
    if opening_float < 0:
        raise InvalidInput("The opening float cannot be negative.")
    with ctx.uow() as uow:
        require(uow, user_id, "shift_open")
        if uow.shifts.open_shift() is not None:
            raise StateError("A shift is already open on this till. Close it first.")
        shift = ShiftInfo(id=str(uuid.uuid4()), user_id=user_id, status="ACTIVE", business_date=ctx.business_date(),
                          opened_at=ctx.now_iso(), opening_float=opening_float,
                          open_counter=uow.shifts.next_open_counter())
        seq = uow.audit.append(ts=shift.opened_at, type_="shift.opened", actor=user_id, data={
            "shift_id": shift.id, "business_date": shift.business_date, "user_id": user_id,
            "opening_float": format_money(opening_float, ctx.settings.exponent), "open_counter": shift.open_counter,
        })
        uow.shifts.insert_shift(shift, seq)
        uow.commit()
    return shift


def current_shift(ctx: TillContext) -> ShiftInfo | None:
    with ctx.uow(read_only=True) as uow:
        return uow.shifts.open_shift()


def _cash_move(ctx: TillContext, user_id: str, kind: str, amount: int, reason: str,
               approval: Approval | None) -> str:
    if amount <= 0:
        raise InvalidInput("The amount must be more than zero.")
    reason = _clean(reason, "reason")
    with ctx.uow() as uow:
        if kind == "out":
            authorize(uow, ctx, user_id, "cash_out", approval)
        else:
            require(uow, user_id, "cash_in")
        shift = _active(uow)
        if kind == "out" and amount > uow.shifts.expected_cash(shift.id):
            raise InvalidInput("There is not that much cash in the drawer.")
        row = {"id": str(uuid.uuid4()), "shift_id": shift.id, "business_date": shift.business_date, "kind": kind,
               "amount": amount, "reason": reason, "user_id": user_id, "created_at": ctx.now_iso()}
        seq = uow.audit.append(ts=row["created_at"], type_=f"cash.{kind}", actor=user_id,
                               data=projections.cash_movement(SimpleNamespace(**row), ctx.settings.exponent))
        uow.shifts.insert_cash_movement(**row, audit_seq=seq)
        uow.commit()
    return row["id"]


def cash_in(ctx: TillContext, user_id: str, amount: int, reason: str) -> str:
    return _cash_move(ctx, user_id, "in", amount, reason, None)


def cash_out(ctx: TillContext, user_id: str, amount: int, reason: str, approval: Approval | None = None) -> str:
    return _cash_move(ctx, user_id, "out", amount, reason, approval)


def no_sale(ctx: TillContext, user_id: str, reason: str, approval: Approval | None = None) -> str:
    """Open the drawer without a sale: audited and counted on the reports."""
    reason = _clean(reason, "reason")
    with ctx.uow() as uow:
        authorize(uow, ctx, user_id, "no_sale", approval)
        shift = _active(uow)
        opening_id, now = str(uuid.uuid4()), ctx.now_iso()
        seq = uow.audit.append(ts=now, type_="drawer.opened", actor=user_id, data={
            "shift_id": shift.id, "business_date": shift.business_date, "reason": reason,
        })
        uow.shifts.insert_drawer_opening(id=opening_id, shift_id=shift.id, business_date=shift.business_date,
                                         reason=reason, user_id=user_id, created_at=now, audit_seq=seq)
        uow.commit()
    return opening_id


def close_shift(ctx: TillContext, user_id: str, counted: int, note: str | None = None,
                approval: Approval | None = None) -> dict:
    """Close the open shift with the counted cash; returns expected, counted and difference."""
    if counted < 0:
        raise InvalidInput("Counted cash cannot be negative.")
    with ctx.uow() as uow:
        shift = uow.shifts.open_shift()
        if shift is None:
            raise NotFound("No shift is open on this till.")
        if shift.user_id != user_id:
            authorize(uow, ctx, user_id, "shift_close_other", approval)
        else:
            require(uow, user_id, "shift_close")
        open_carts = uow.carts.open_carts(shift_id=shift.id)
        if open_carts:
            raise StateError(
                f"{len(open_carts)} sale(s) of this shift are still open or parked: finish or cancel them."
            )
        expected = uow.shifts.expected_cash(shift.id)
        now, exp = ctx.now_iso(), ctx.settings.exponent
        seq = uow.audit.append(ts=now, type_="shift.closed", actor=user_id, data={
            "shift_id": shift.id, "business_date": shift.business_date,
            "expected_cash": format_money(expected, exp), "counted_cash": format_money(counted, exp),
            "difference": format_money(counted - expected, exp), "note": note,
        })
        uow.shifts.insert_close(shift_id=shift.id, closed_at=now, closed_by=user_id, expected=expected,
                                counted=counted, note=note, audit_seq=seq)
        uow.commit()
    return {"shift_id": shift.id, "expected": expected, "counted": counted, "difference": counted - expected}
