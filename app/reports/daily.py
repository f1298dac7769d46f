"""X (flash) and Z (daily) reports for one till and business date.

Both run `calc.sales_report` over the same queries. A Z closes the day: it is refused while a
shift of that date is still open, it is stored with a signed checkpoint, and asking for it again
returns the stored report marked as a copy (never a recomputed new one).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from app.audit import projections
from app.context import TillContext
from app.domain.permissions import Approval, allowed
from app.domain.text import plural
from app.reports import calc, people, text
from app.usecases import business_day, checkpoints
from app.usecases.auth import authorize, require
from db.uow import UnitOfWork
from kernel.errors import InvalidInput, StateError


def _date(ctx: TillContext, business_date: str | None) -> str:
    if business_date is None:  # the till's day: the calendar's, or the next one opened after a Z
        with ctx.uow(read_only=True) as uow:
            return business_day.till_date(uow, ctx)
    try:
        return date.fromisoformat(business_date).isoformat()
    except (TypeError, ValueError):
        raise InvalidInput(f"'{business_date}' is not a date; write it as YYYY-MM-DD.") from None


def width_of(uow: UnitOfWork) -> int:
    try:
        width = int(uow.settings.get("receipt_width", "42") or 42)
    except ValueError:
        return 42
    return width if width in text.WIDTHS else 42


def _build(ctx: TillContext, uow: UnitOfWork, business_date: str, scope: str,
           user_id: str | None = None) -> dict[str, Any]:
    q, exp = uow.reports, ctx.settings.exponent
    body = calc.sales_report(q.figures(business_date=business_date), q.tax_names(), exp)
    shifts = uow.shifts.shifts(business_date=business_date)
    cashiers, average = people.cashiers(uow, business_date, exp)
    return {
        "report_type": "sales",
        "report_scope": scope,
        "business_date": business_date,
        "till": ctx.settings.audit_till,
        "store_name": ctx.settings.store_name,
        "open_counter": shifts[-1].open_counter if shifts else None,
        "business_counter": uow.z_reports.next_business_counter(),
        "generate_date_time": ctx.now_iso(),
        **body,
        "average_sale": average,
        "cashiers": cashiers,
        "run_by": people.run_by(uow, user_id),
    }


def _render(report: dict[str, Any], width: int) -> dict[str, Any]:
    report["receipt_text"] = text.receipt_text(report, width, report.get("store_name", ""))
    report["journal_text"] = text.journal_text(report)
    return report


def blind(report: dict[str, Any]) -> dict[str, Any]:
    """The report without the expected cash and the difference: what a cashier may see before
    counting, so the count cannot be bent to match (the close stays blind)."""
    cash = {k: v for k, v in report["cash"].items() if k not in ("logical_amount", "difference_amount")}
    return {**report, "cash": cash, "blind": True}


def x_report(
    ctx: TillContext,
    business_date: str | None = None,
    width: int | None = None,
    *,
    user_id: str | None = None,
    reveal: bool = False,
    approval: Approval | None = None,
) -> dict[str, Any]:
    """Flash report: any time, writes nothing (but a supervisor's approval to reveal it).

    `user_id` is the GUI's logged-in user: one without the `expected_cash` right (a cashier) gets
    the blind report. With `reveal` the full report is asked for: a supervisor's approval
    (`approval`, else ApprovalRequired) is recorded as `override.granted`. The CLI passes no user.
    """
    day = _date(ctx, business_date)
    sees = True
    if user_id is not None:
        with ctx.uow(read_only=True) as uow:
            actor = require(uow, user_id, "sell")
            sees = allowed(actor.role, "expected_cash")
        if not sees and reveal:
            with ctx.uow() as uow:
                authorize(uow, ctx, user_id, "expected_cash", approval)
                uow.commit()
            sees = True
    with ctx.uow(read_only=True) as uow:
        report = _build(ctx, uow, day, "flash", user_id)
        report["copy"] = False
        return _render(report if sees else blind(report), width or width_of(uow))


def _counter_mismatches(uow: UnitOfWork, day: str) -> list[str]:
    """Each closed shift's close entry states its transaction and cash-operation counts (seed 001);
    the Z holds them against the sales, refunds and cash movements the till holds now."""
    out = []
    for shift in uow.shifts.shifts(business_date=day, status="CLOSED"):
        close = uow.shifts.close_of(shift.id)
        body = uow.audit.body(close.audit_seq) if close is not None else None
        try:
            stated = json.loads(body)["data"].get("counters") if body else None
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            stated = None
        if not isinstance(stated, dict):
            continue  # closed before shift records carried counters
        held = uow.shifts.life_counts(shift.id)
        for key in ("transaction_count", "last_receipt_no", "cash_operation_count", "last_cash_operation_at"):
            if stated.get(key) != held[key]:
                out.append(f"shift {shift.id} closed with {key.replace('_', ' ')} {stated.get(key)!r}, "
                           f"the till now holds {held[key]!r}")
    return out


def z_report(ctx: TillContext, business_date: str | None = None, user_id: str | None = None,
             width: int | None = None) -> dict[str, Any]:
    """Close the business day (or return the marked copy if it was closed already).

    `user_id` is the GUI's logged-in user (needs the z_report right); the CLI passes None because
    whoever runs the command already holds the till's data directory.
    """
    day = _date(ctx, business_date)
    exp = ctx.settings.exponent
    with ctx.uow() as uow:
        if user_id is not None:
            require(uow, user_id, "z_report")
        stored = uow.z_reports.get(day)
        w = width or width_of(uow)
        if stored is not None:
            report = json.loads(stored.report_json)
            report.update(copy=True, copy_printed_at=ctx.now_iso())
            uow.audit.append(
                ts=ctx.now_iso(),
                type_="report.z_copy",
                actor=user_id,
                data={"business_date": day, "business_counter": stored.business_counter},
            )
            uow.commit()
            return _render(report, w)
        if day > business_day.till_date(uow, ctx):
            raise InvalidInput(f"{day} has not started yet; a Z report closes a day that has begun.")
        still_open = [s for s in uow.shifts.shifts(business_date=day) if s.status != "CLOSED"]
        if still_open:
            raise StateError(
                f"{plural(len(still_open), 'shift', 'shifts')} of {day} still open: close them before the Z report."
            )
        mismatch = _counter_mismatches(uow, day)
        if mismatch:
            raise StateError("The shift records do not match what is logged: " + "; ".join(mismatch)
                             + ". Run `audit verify` before the Z report.")
        report = _build(ctx, uow, day, "daily", user_id)
        if not calc.check_identity(report, exp):
            raise StateError("The day's figures do not add up; run `audit verify` before the Z report.")
        now = ctx.now_iso()
        seq = uow.audit.append(
            ts=now,
            type_="report.z",
            actor=user_id,
            data={
                "business_date": day,
                "business_counter": report["business_counter"],
                "sales_net": report["sales_net"]["amount"],
                "sales_gross": report["sales_gross"]["amount"],
                "returns": report["returns"]["amount"],
                "cash_logical": report["cash"]["logical_amount"],
                "cash_physical": report["cash"]["physical_amount"],
                "report_sha256": projections.z_report_sha256(report),
            },
        )
        checkpoint = checkpoints.write_checkpoint(uow, ctx, user_id, f"Z report {day}")
        report.update(
            copy=False,
            checkpoint_root=checkpoint["root"],
            checkpoint_size=checkpoint["tree_size"],
            checkpoint_short=checkpoints.short_root(checkpoint["root"]),
        )
        uow.z_reports.insert(
            business_date=day,
            business_counter=report["business_counter"],
            created_at=now,
            created_by=user_id,
            report_json=json.dumps(report, sort_keys=True),
            checkpoint_root=checkpoint["root"],
            audit_seq=seq,
        )
        uow.commit()
    return _render(report, w)
