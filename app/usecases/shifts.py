"""Shifts and the cash drawer: open with a counted float, suspend and resume, cash in and out,
drops and top-ups, no-sale, and a blind close by denomination that raises discrepancies and
writes a signed checkpoint.

Blind close: the GUI asks for the count (by denomination) first and calls `close_shift`; only its
result carries the expected figure, so the cashier never sees what they "should" have counted.

Cash in and out store their slip and drawer kick, and a cashier's close its slip, in the same
transaction as the record (`printing.spool_slip`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from types import SimpleNamespace
from typing import Any, TypedDict

from app.audit import projections
from app.context import TillContext
from app.domain.amounts import exact_minor
from app.domain.permissions import Approval, allowed
from app.domain.text import plural, printable
from app.reports import anomalies
from app.usecases import business_day, cash_count, checkpoints, discrepancies, live_anomalies, printing, slips
from app.usecases.auth import authorize, require
from db.uow import UnitOfWork
from kernel.errors import InvalidInput, NotFound, PermissionDenied, StateError
from kernel.ids import new_id
from kernel.money import format_money
from kernel.records import ShiftInfo


class ShiftClosed(TypedDict):
    """What a close found, in minor units, and the ids of the discrepancies it raised."""

    shift_id: str
    expected: int
    counted: int
    difference: int
    discrepancies: list[str]
    checkpoint_root: str
    counters: dict[str, Any]


def _clean(text: str, what: str) -> str:
    cleaned = printable(text).strip()[:200]
    if not cleaned:
        raise InvalidInput(f"Give a {what}.")
    return cleaned


def _active(uow: UnitOfWork) -> ShiftInfo:
    shift = uow.shifts.open_shift()
    if shift is None:
        raise StateError("No shift is open on this till.")
    if shift.status != "ACTIVE":
        raise StateError("The shift is suspended. Resume it first.")
    return shift


def _counted(
    ctx: TillContext, uow: UnitOfWork, amount: int | None, counts: Mapping[Any, Any] | None, what: str
) -> tuple[int, dict[int, int]]:
    parsed: dict[int, int] = {}
    if counts is not None:
        parsed = cash_count.parse_counts(ctx, counts, uow.settings.get("denominations"))
        summed = cash_count.total(parsed)
        if amount is not None and amount != summed:
            raise InvalidInput(
                f"The {what} by denomination adds up to {format_money(summed, ctx.settings.exponent)}, "
                f"not {format_money(amount, ctx.settings.exponent)}."
            )
        amount = summed
    if amount is None:
        raise InvalidInput(f"Count the {what}.")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidInput(f"The {what} must be an amount of money.")
    if amount < 0:
        raise InvalidInput(f"The {what} cannot be negative.")
    exact_minor(amount, what)
    return amount, parsed


def opening_float_warning(ctx: TillContext, opening_float: int) -> str | None:
    """A sentence when the float differs from what the last close left in the drawer, else None."""
    with ctx.uow(read_only=True) as uow:
        return _float_warning(ctx, uow, opening_float)


def _float_warning(ctx: TillContext, uow: UnitOfWork, opening_float: int) -> str | None:
    last = uow.shifts.last_close()
    if last is None or last.counted_cash == opening_float:
        return None
    exp = ctx.settings.exponent
    return (
        f"The float counted now ({format_money(opening_float, exp)}) differs from what the last close left in "
        f"the drawer ({format_money(last.counted_cash, exp)})."
    )


def open_shift(
    ctx: TillContext, user_id: str, opening_float: int | None = None, *, counts: Mapping[Any, Any] | None = None
) -> ShiftInfo:
    """Open a shift with a float given as a total, or counted by denomination (`counts`:
    {denomination: pieces}, denomination in minor units or as "20.00"). A difference from the last
    close is recorded in the audit entry; `opening_float_warning` shows it before opening."""
    with ctx.uow() as uow:
        require(uow, user_id, "shift_open")
        amount, parsed = _counted(ctx, uow, opening_float, counts, "opening float")
        if uow.shifts.open_shift() is not None:
            raise StateError("A shift is already open on this till. Close it first.")
        today = business_day.till_date(uow, ctx)
        if uow.z_reports.get(today) is not None:
            raise StateError(f"The day {today} is already closed with a Z report; no shift can open on it.")
        shift = ShiftInfo(
            id=new_id(),
            user_id=user_id,
            status="ACTIVE",
            business_date=today,
            opened_at=ctx.now_iso(),
            opening_float=amount,
            open_counter=uow.shifts.next_open_counter(),
        )
        exp = ctx.settings.exponent
        data: dict[str, Any] = {
            "shift_id": shift.id,
            "business_date": shift.business_date,
            "user_id": user_id,
            "opening_float": format_money(amount, exp),
            "open_counter": shift.open_counter,
        }
        if parsed:
            data["counts"] = cash_count.as_text_map(parsed, exp)
        warning = _float_warning(ctx, uow, amount)
        if warning:
            data["float_warning"] = warning
        data["counters"] = uow.shifts.life_counts()  # the till's counters as the shift starts
        seq = uow.audit.append(ts=shift.opened_at, type_="shift.opened", actor=user_id, data=data)
        uow.shifts.insert_shift(shift, seq)
        uow.cash_counts.insert(shift.id, "open", parsed)
        _open_slip(uow, ctx, shift, data, seq)
        uow.commit()
    return shift


def _open_slip(uow: UnitOfWork, ctx: TillContext, shift: ShiftInfo, data: dict[str, Any], seq: int) -> None:
    """The paper of the opening: who, the float (by denomination when counted), and the till's
    counters, so the next close can be held against them. No drawer kick: the float was counted
    into the drawer before the shift was opened on the screen."""
    s = ctx.settings
    slip = partial(slips.open_slip, till=s.audit_till, when=slips.local_time(shift.opened_at, s.timezone),
                   cashier=_name(uow, shift.user_id), business_date=shift.business_date,
                   opening_float=data["opening_float"], counts=data.get("counts", {}), counters=data["counters"],
                   warning=data.get("float_warning"), audit_seq=seq)
    printing.spool_slip(uow, ctx, "SHIFT OPEN", lambda width: slip(width=width), ref=shift.id, kick=False)


def current_shift(ctx: TillContext) -> ShiftInfo | None:
    with ctx.uow(read_only=True) as uow:
        return uow.shifts.open_shift()


def suspend_shift(ctx: TillContext, user_id: str, reason: str = "break") -> ShiftInfo:
    """Lock the till for a break: nothing sells until the same cashier or a supervisor resumes."""
    with ctx.uow() as uow:
        shift = _active(uow)
        actor = require(uow, user_id, "sell")
        if shift.user_id != user_id and not allowed(actor.role, "shift_close_other"):
            raise PermissionDenied("Only the shift's cashier or a supervisor can suspend it.")
        uow.audit.append(
            ts=ctx.now_iso(),
            type_="shift.suspended",
            actor=user_id,
            data={"shift_id": shift.id, "business_date": shift.business_date, "reason": _clean(reason, "reason")},
        )
        uow.shifts.set_status(shift.id, "SUSPENDED")
        result = replace(shift, status="SUSPENDED")
        uow.commit()
    return result


def resume_shift(ctx: TillContext, user_id: str, approval: Approval | None = None) -> ShiftInfo:
    """Unlock: the shift's own cashier, a supervisor, or anyone with a supervisor's approval."""
    with ctx.uow() as uow:
        shift = uow.shifts.open_shift()
        if shift is None or shift.status != "SUSPENDED":
            raise StateError("No suspended shift to resume on this till.")
        if shift.user_id == user_id:
            require(uow, user_id, "sell")
            approver = user_id
        else:
            approver = authorize(uow, ctx, user_id, "shift_close_other", approval)
        uow.audit.append(
            ts=ctx.now_iso(),
            type_="shift.resumed",
            actor=user_id,
            data={"shift_id": shift.id, "business_date": shift.business_date, "approved_by": approver},
        )
        uow.shifts.set_status(shift.id, "ACTIVE")
        result = replace(shift, status="ACTIVE")
        uow.commit()
    return result


def _cash_move(ctx: TillContext, user_id: str, kind: str, amount: int, reason: str, approval: Approval | None) -> str:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidInput("The amount must be more than zero.")
    exact_minor(amount)
    reason = _clean(reason, "reason")
    with ctx.uow() as uow:
        if kind == "out":
            authorize(uow, ctx, user_id, "cash_out", approval)
        else:
            require(uow, user_id, "cash_in")
        shift = _active(uow)
        if kind == "out" and amount > uow.shifts.expected_cash(shift.id):
            raise InvalidInput("There is not that much cash in the drawer.")
        movement_id, now = new_id(), ctx.now_iso()
        row: dict[str, Any] = {
            "id": movement_id,
            "shift_id": shift.id,
            "business_date": shift.business_date,
            "kind": kind,
            "amount": amount,
            "reason": reason,
            "user_id": user_id,
            "created_at": now,
        }
        seq = uow.audit.append(
            ts=now,
            type_=f"cash.{kind}",
            actor=user_id,
            data=projections.cash_movement(SimpleNamespace(**row), ctx.settings.exponent),
        )
        uow.shifts.insert_cash_movement(**row, audit_seq=seq)
        _cash_slip(uow, ctx, row, seq)
        uow.commit()
    return movement_id


def _name(uow: UnitOfWork, user_id: str | None) -> str:
    user = uow.people.user(user_id) if user_id else None
    return user.name if user else (user_id or "system")


def _cash_slip(uow: UnitOfWork, ctx: TillContext, row: dict[str, Any], seq: int) -> None:
    s = ctx.settings
    fields = {
        "till": s.audit_till,
        "when": slips.local_time(row["created_at"], s.timezone),
        "cashier": _name(uow, row["user_id"]),
        "amount": format_money(row["amount"], s.exponent),
        "reason": row["reason"],
        "audit_seq": seq,
        "signature": row["kind"] == "out",
    }
    printing.spool_slip(
        uow,
        ctx,
        "CASH IN" if row["kind"] == "in" else "CASH OUT",
        lambda width: slips.cash_slip(**fields, width=width),
        ref=row["id"],
        kick=True,
    )


def cash_in(ctx: TillContext, user_id: str, amount: int, reason: str) -> str:
    return _cash_move(ctx, user_id, "in", amount, reason, None)


def cash_out(ctx: TillContext, user_id: str, amount: int, reason: str, approval: Approval | None = None) -> str:
    """A payout with a reason (supervisor or approval)."""
    return _cash_move(ctx, user_id, "out", amount, reason, approval)


def float_top_up(ctx: TillContext, user_id: str, amount: int, reason: str = "from the safe") -> str:
    """More change into the drawer: a cash-in the reports show as such."""
    return _cash_move(ctx, user_id, "in", amount, f"Float top-up: {reason}", None)


def cash_drop(
    ctx: TillContext, user_id: str, amount: int, reason: str = "to the safe", approval: Approval | None = None
) -> str:
    """Notes taken out to the safe during the shift: a cash-out, so the close still adds up."""
    return _cash_move(ctx, user_id, "out", amount, f"Drop: {reason}", approval)


def no_sale(ctx: TillContext, user_id: str, reason: str, approval: Approval | None = None) -> str:
    """Open the drawer without a sale: audited and counted on the reports."""
    reason = _clean(reason, "reason")
    with ctx.uow() as uow:
        authorize(uow, ctx, user_id, "no_sale", approval)
        shift = _active(uow)
        opening_id, now = new_id(), ctx.now_iso()
        row = {
            "id": opening_id,
            "shift_id": shift.id,
            "business_date": shift.business_date,
            "reason": reason,
            "user_id": user_id,
            "created_at": now,
        }
        seq = uow.audit.append(
            ts=now, type_="drawer.opened", actor=user_id, data=projections.drawer_opened(SimpleNamespace(**row))
        )
        uow.shifts.insert_drawer_opening(**row, audit_seq=seq)
        uow.commit()
    return opening_id


def close_shift(
    ctx: TillContext,
    user_id: str,
    counted: int | None = None,
    note: str | None = None,
    approval: Approval | None = None,
    *,
    counts: Mapping[Any, Any] | None = None,
) -> ShiftClosed:
    """Blind close with the counted cash (a total, or `counts` by denomination). Returns expected,
    counted, difference and the ids of any discrepancies raised; writes a signed checkpoint."""
    with ctx.uow() as uow:
        shift = uow.shifts.open_shift()
        if shift is None:
            raise NotFound("No shift is open on this till.")
        if shift.user_id != user_id:
            authorize(uow, ctx, user_id, "shift_close_other", approval)
        else:
            require(uow, user_id, "shift_close")
        amount, parsed = _counted(ctx, uow, counted, counts, "counted cash")
        open_carts = uow.carts.open_carts(shift_id=shift.id)
        if open_carts:
            raise StateError(
                f"{plural(len(open_carts), 'sale', 'sales')} of this shift still open or parked: finish or cancel them."
            )
        result = _close(ctx, uow, shift, user_id, amount, parsed, note)
        _close_slip(uow, ctx, shift, user_id, result, parsed, note)
        uow.commit()
    return result


def _note(note: str | None) -> str | None:
    return printable(note).strip()[:200] or None if note else None


def _close_slip(
    uow: UnitOfWork,
    ctx: TillContext,
    shift: ShiftInfo,
    actor: str,
    result: ShiftClosed,
    parsed: dict[int, int],
    note: str | None,
) -> None:
    """The cashier's paper of the close; no drawer kick (the drawer is open for the count)."""
    s, exp = ctx.settings, ctx.settings.exponent
    slip = partial(slips.close_slip, till=s.audit_till, when=slips.local_time(ctx.now_iso(), s.timezone),
                   cashier=_name(uow, actor), business_date=shift.business_date,
                   counted=format_money(result["counted"], exp), expected=format_money(result["expected"], exp),
                   difference=format_money(result["difference"], exp), counts=cash_count.as_text_map(parsed, exp),
                   note=_note(note), raised=result["discrepancies"], counters=result["counters"])
    printing.spool_slip(uow, ctx, "SHIFT CLOSE", lambda width: slip(width=width), ref=shift.id, kick=False)


def _close(
    ctx: TillContext,
    uow: UnitOfWork,
    shift: ShiftInfo,
    actor: str | None,
    counted: int,
    parsed: dict[int, int],
    note: str | None,
) -> ShiftClosed:
    expected = uow.shifts.expected_cash(shift.id)
    now, exp = ctx.now_iso(), ctx.settings.exponent
    note = _note(note)
    data: dict[str, Any] = {
        "shift_id": shift.id,
        "business_date": shift.business_date,
        "expected_cash": format_money(expected, exp),
        "counted_cash": format_money(counted, exp),
        "difference": format_money(counted - expected, exp),
        "note": note,
    }
    if parsed:
        data["counts"] = cash_count.as_text_map(parsed, exp)
    data["counters"] = uow.shifts.life_counts(shift.id)  # held against what is logged at the Z report
    seq = uow.audit.append(ts=now, type_="shift.closed", actor=actor, data=data)
    uow.shifts.insert_close(
        shift_id=shift.id,
        closed_at=now,
        closed_by=actor or "system",
        expected=expected,
        counted=counted,
        note=note,
        audit_seq=seq,
    )
    uow.cash_counts.insert(shift.id, "close", parsed)
    raised: list[str] = []
    cash_id = discrepancies.cash_discrepancy(
        uow, ctx, shift_id=shift.id, business_date=shift.business_date, difference=counted - expected, actor=actor
    )
    if cash_id:
        raised.append(cash_id)
    raised += _run_anomaly_rules(ctx, uow, shift, now, actor)
    checkpoint = checkpoints.write_checkpoint(uow, ctx, actor, f"shift close {shift.id}")
    return {"shift_id": shift.id, "expected": expected, "counted": counted, "difference": counted - expected,
            "discrepancies": raised, "checkpoint_root": checkpoint["root"], "counters": data["counters"]}


def _run_anomaly_rules(ctx: TillContext, uow: UnitOfWork, shift: ShiftInfo, now: str, actor: str | None) -> list[str]:
    exp, raised = ctx.settings.exponent, []
    settings = uow.settings.all()
    findings = anomalies.evaluate(
        uow.reports,
        shift.id,
        shift.opened_at,
        now,
        lambda key: settings.get(key, anomalies.THRESHOLDS.get(key, "")),
        exp,
        ctx.settings.timezone,
    )
    for finding in findings:
        if finding.is_discrepancy:
            raised.append(
                discrepancies.raise_discrepancy(
                    uow,
                    ctx,
                    shift_id=shift.id,
                    business_date=shift.business_date,
                    kind=finding.kind,
                    amount=finding.amount,
                    detail=finding.detail,
                    actor=actor,
                )
            )
        else:  # a finding already flagged as its event landed is not flagged again
            live_anomalies.flag(uow, ctx, shift, finding, actor, now)
    return raised


def close_expired(
    ctx: TillContext, hours: float = 12, *, dry_run: bool = False, force: bool = False
) -> list[dict[str, Any]]:
    """Close shifts open longer than `hours` with their expected balance as the count and a note.

    Without `force`, a shift with an open or parked cart is skipped (and said so): closing it
    would strand a customer's sale. With `force` such carts stay as they are and the shift closes.
    """
    if hours <= 0:
        raise InvalidInput("The limit must be more than zero hours.")
    outcomes: list[dict[str, Any]] = []
    with ctx.uow(read_only=dry_run) as uow:
        for shift in uow.shifts.open_older_than(ctx.later_iso(hours=-hours)):
            carts = uow.carts.open_carts(shift_id=shift.id)
            expected = uow.shifts.expected_cash(shift.id)
            item = {
                "shift_id": shift.id,
                "user_id": shift.user_id,
                "opened_at": shift.opened_at,
                "business_date": shift.business_date,
                "open_carts": len(carts),
                "expected": expected,
            }
            if carts and not force:
                outcomes.append({**item, "action": "skipped", "why": f"{len(carts)} open or parked sale(s)"})
                continue
            if dry_run:
                outcomes.append({**item, "action": "would close"})
                continue
            note = f"Closed automatically after more than {hours:g} hours open; counted = expected, not counted"
            _close(ctx, uow, shift, None, expected, {}, note)
            outcomes.append({**item, "action": "closed"})
        if not dry_run:
            uow.commit()
    return outcomes
