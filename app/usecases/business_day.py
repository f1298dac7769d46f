"""The till's business day: the day its shifts, sales and Z report belong to.

It is the calendar's business date (`ctx.business_date()`: time zone and rollover hour) until a
supervisor, after the Z report, opens the next business date on the till (`day.opened`); from then
on the till's day is that date, even while the calendar still shows the closed one, so a Z at
18:00 does not stop the shop selling until midnight. The newest `day.opened` entry in the audit log
is the record; nothing else stores it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from app.context import TillContext
from app.usecases.auth import require
from db.uow import UnitOfWork
from kernel.errors import StateError


@dataclass(frozen=True)
class DayStatus:
    """What the Z confirmation shows: the day it closes and what is still open on it."""

    business_date: str
    open_shifts: int
    parked_carts: int
    closed: bool  # a Z report of this day exists
    next_date: str


def till_date(uow: UnitOfWork, ctx: TillContext) -> str:
    """The till's business date: the newest opened one, or the calendar's when that is later."""
    calendar = ctx.business_date()
    body = uow.audit.last_body("day.opened")
    if body is None:
        return calendar
    try:  # a damaged entry is audit verify's to report; the till then goes by the calendar
        opened = date.fromisoformat(str(json.loads(body)["data"]["business_date"])).isoformat()
    except (ValueError, KeyError, TypeError):
        return calendar
    return max(opened, calendar)


def _next(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def day_status(ctx: TillContext) -> DayStatus:
    with ctx.uow(read_only=True) as uow:
        day = till_date(uow, ctx)
        open_shifts = sum(1 for s in uow.shifts.shifts(business_date=day) if s.status != "CLOSED")
        return DayStatus(
            business_date=day,
            open_shifts=open_shifts,
            parked_carts=len(uow.carts.open_carts(parked=True)),
            closed=uow.z_reports.get(day) is not None,
            next_date=_next(day),
        )


def open_next_day(ctx: TillContext, user_id: str) -> DayStatus:
    """After the Z report, make the next date the till's business day (audited as `day.opened`)."""
    with ctx.uow() as uow:
        require(uow, user_id, "z_report")
        day = till_date(uow, ctx)
        if uow.z_reports.get(day) is None:
            raise StateError(f"The business day {day} is still open; close it with the Z report first.")
        nxt = _next(day)
        uow.audit.append(
            ts=ctx.now_iso(), type_="day.opened", actor=user_id, data={"business_date": nxt, "previous": day}
        )
        uow.commit()
    return DayStatus(business_date=nxt, open_shifts=0, parked_carts=0, closed=False, next_date=_next(nxt))
