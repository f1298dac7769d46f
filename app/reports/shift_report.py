"""The shift report (seed 000): shift info, financial summary (the same calculation as X/Z, over
one shift), hourly breakdown, payments by method, discrepancies, performance."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.context import TillContext
from app.reports import calc, people, text
from app.reports.daily import width_of
from db.uow import UnitOfWork
from kernel.errors import NotFound
from kernel.money import format_money


def _dt(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def _performance(times: list[tuple[str | None, str, int, bool]], opened_at: str, end: str, exp: int) -> dict[str, Any]:
    hours = max((_dt(end) - _dt(opened_at)).total_seconds() / 3600, 1 / 60)
    kept = [t for t in times if not t[3]]
    durations = [(_dt(done) - _dt(start)).total_seconds() for start, done, _g, _v in kept if start]
    return {
        "hours_open": f"{hours:.2f}",
        "sales_per_hour": format_money(round(sum(g for _s, _c, g, _v in kept) / hours), exp),
        "transactions_per_hour": f"{len(kept) / hours:.2f}",
        "average_transaction_seconds": f"{sum(durations) / len(durations):.1f}" if durations else None,
    }


def _hourly(times: list[tuple[str | None, str, int, bool]], exp: int, tz: str) -> list[dict[str, Any]]:
    """Sales by hour of the store's wall clock (the `timezone` setting): a till opened at 08:00 in
    Berlin shows 08:00, not the UTC hour the timestamps carry."""
    zone = ZoneInfo(tz)
    buckets: dict[str, list[int]] = {}
    for _start, done, gross, voided in times:
        if voided:
            continue
        bucket = buckets.setdefault(_dt(done).astimezone(zone).strftime("%H:00"), [0, 0])
        bucket[0] += 1
        bucket[1] += gross
    return [{"hour": h, "count": c, "amount": format_money(a, exp)} for h, (c, a) in sorted(buckets.items())]


def _anomalies(uow: UnitOfWork, flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The shift's `anomaly.flagged` entries (as each event landed, and at the close), a large sale
    with its receipt number, so the report shows what the chain holds."""
    out = []
    for f in flags:
        sale = uow.sales.sale(f["ref"]) if f.get("kind") == "LARGE_SALE" and isinstance(f.get("ref"), str) else None
        out.append({"kind": f.get("kind"), "amount": f.get("amount"), "detail": f.get("detail"),
                    "flagged_at": f["ts"], "seq": f["seq"], "receipt_no": sale.receipt_no if sale else None})
    return out


def shift_report(ctx: TillContext, shift_id: str, width: int | None = None,
                 user_id: str | None = None) -> dict[str, Any]:
    exp = ctx.settings.exponent
    with ctx.uow(read_only=True) as uow:
        shift = uow.shifts.shift(shift_id)
        if shift is None:
            raise NotFound(f"There is no shift {shift_id}.")
        q = uow.reports
        close = uow.shifts.close_of(shift_id)
        expected = close.expected_cash if close else uow.shifts.expected_cash(shift_id)
        counts = {kind: {format_money(d, exp): n for d, n in sorted(uow.cash_counts.of(shift_id, kind).items())}
                  for kind in ("open", "close")}
        body = calc.sales_report(q.figures(shift_id=shift_id), q.tax_names(), exp)
        times = q.sale_times(shift_id)
        discrepancies = uow.discrepancies.find(shift_id=shift_id)
        end = close.closed_at if close else ctx.now_iso()
        report: dict[str, Any] = {
            "report_type": "shift", "report_scope": "shift", "till": ctx.settings.audit_till,
            "business_date": shift.business_date, "open_counter": shift.open_counter,
            "generate_date_time": ctx.now_iso(),
            "run_by": people.run_by(uow, user_id),
            "shift": {
                "shift_id": shift.id, "cashier": shift.user_id, "cashier_name": people.name_of(uow, shift.user_id),
                "status": shift.status, "opened_at": shift.opened_at,
                "closed_at": close.closed_at if close else None, "closed_by": close.closed_by if close else None,
                "closed_by_name": people.name_of(uow, close.closed_by if close else None),
                "opening_float": format_money(shift.opening_float, exp),
                "expected_cash": format_money(expected, exp),
                "counted_cash": format_money(close.counted_cash, exp) if close else None,
                "note": close.note if close else None,
                "opening_counts": counts["open"],
                "closing_counts": counts["close"],
            },
            **body,
            "timezone": ctx.settings.timezone,
            "hourly": _hourly(times, exp, ctx.settings.timezone),
            "discrepancies": [
                {"id": d.id, "kind": d.kind, "amount": format_money(d.amount, exp), "detail": d.detail,
                 "detected_at": d.detected_at, "resolved_by": d.resolved_by, "resolved_at": d.resolved_at,
                 "note": d.note} for d in discrepancies
            ],
            "anomalies": _anomalies(uow, q.anomaly_flags(shift_id)),
            "reconciled": bool(close) and all(d.resolved_at for d in discrepancies),
            "performance": _performance(times, shift.opened_at, end, exp),
        }
        w = width or width_of(uow)
    report["receipt_text"] = text.receipt_text(report, w, ctx.settings.store_name)
    report["journal_text"] = text.journal_text(report)
    return report
