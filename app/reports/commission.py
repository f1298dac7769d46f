"""Monthly commission per cashier (seed 002): net sales (kept sales minus refunds they gave)
times a rate. Rates are settings: `commission_rate` (percent, default 1) and
`commission_rate.<user id>` to override it for one cashier.

Status, as seed 002 splits it: *final* is commission on business days already closed by a Z
report (the figures can no longer change), *pending* on days still open (a void or refund may yet
change them), *cancelled* what voided sales would have earned. The till does not pay commission
(payroll does), so it reports no "paid" state of its own."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from app.context import TillContext
from kernel.errors import InvalidInput
from kernel.money import format_money, round_half_up


def _rate(settings: dict[str, str], user_id: str) -> Decimal:
    raw = settings.get(f"commission_rate.{user_id}", settings.get("commission_rate", "1"))
    try:
        rate = Decimal(raw)
    except InvalidOperation:
        rate = Decimal(1)
    return rate if rate.is_finite() and rate >= 0 else Decimal(1)


def previous_month(today: date) -> tuple[int, int]:
    """(month, year) of the month before `today`'s: the default, run on the 1st by cron."""
    return (12, today.year - 1) if today.month == 1 else (today.month - 1, today.year)


def _month_range(month: int | None, year: int | None, today: date) -> tuple[int, int, str, str]:
    if (month is None) != (year is None):
        raise InvalidInput("Give both the month and the year, or neither for the previous month.")
    if month is None or year is None:
        month, year = previous_month(today)
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise InvalidInput("The month is a number from 1 to 12.")
    if not isinstance(year, int) or not 2000 <= year <= 9999:
        raise InvalidInput("Give the year with four digits, e.g. 2026.")
    last_day = calendar.monthrange(year, month)[1]
    return month, year, f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last_day:02d}"


def commission_report(ctx: TillContext, month: int | None = None, year: int | None = None) -> dict[str, Any]:
    month, year, first, last = _month_range(month, year, date.fromisoformat(ctx.business_date()))
    exp = ctx.settings.exponent
    with ctx.uow(read_only=True) as uow:
        q = uow.reports
        per_user, names, settings = q.commission_figures(first, last), q.user_names(), uow.settings.all()
    rows: list[dict[str, Any]] = []
    totals = dict.fromkeys(("net", "tax", "commission", "transactions", "final", "pending", "cancelled"), 0)
    for user_id, fig in sorted(per_user.items()):
        rate = _rate(settings, user_id)

        def earn(amount: int, rate: Decimal = rate) -> int:
            return round_half_up(Decimal(amount) * rate / 100)

        final_net = fig["final_gross"] - fig["final_refund_gross"]
        pending_net = fig["pending_gross"] - fig["pending_refund_gross"]
        net = final_net + pending_net
        tax = fig["final_tax"] + fig["pending_tax"] - fig["final_refund_tax"] - fig["pending_refund_tax"]
        final, pending, cancelled = earn(final_net), earn(pending_net), earn(fig["cancelled_gross"])
        commission = final + pending
        refunds = fig["final_refund_count"] + fig["pending_refund_count"]
        transactions = fig["final_count"] + fig["pending_count"] + refunds
        for key, value in (("net", net), ("tax", tax), ("commission", commission), ("transactions", transactions),
                           ("final", final), ("pending", pending), ("cancelled", cancelled)):
            totals[key] += value
        rows.append({
            "user_id": user_id, "name": names.get(user_id, user_id),
            "sales_count": fig["final_count"] + fig["pending_count"], "refund_count": refunds,
            "transactions": transactions, "sales_net": format_money(net, exp),
            "tax_collected": format_money(tax, exp), "rate_percent": str(rate),
            "commission": format_money(commission, exp),
            "status": {"final": format_money(final, exp), "pending": format_money(pending, exp),
                       "cancelled": format_money(cancelled, exp)},
            "voided_count": fig["cancelled_count"],
        })
    return {"report_type": "commission", "till": ctx.settings.audit_till, "month": month, "year": year,
            "from": first, "to": last, "cashiers": rows, "total_transactions": totals["transactions"],
            "total_sales_net": format_money(totals["net"], exp),
            "total_tax_collected": format_money(totals["tax"], exp),
            "total_commission": format_money(totals["commission"], exp),
            "by_status": {k: format_money(totals[k], exp) for k in ("final", "pending", "cancelled")},
            "generate_date_time": ctx.now_iso()}


def commission_text(report: dict[str, Any]) -> str:
    """Plain text for the terminal and the e-mail body."""
    status = report["by_status"]
    lines = [f"Commission {report['from']} to {report['to']} ({report['till']})",
             f"Transactions {report['total_transactions']}, tax collected {report['total_tax_collected']}, "
             f"net {report['total_sales_net']}, commission {report['total_commission']}",
             f"  final {status['final']}  pending {status['pending']} (days without a Z yet)  "
             f"cancelled {status['cancelled']} (voided sales)", ""]
    for row in report["cashiers"]:
        s = row["status"]
        lines.append(f"  {row['name']:<20} {row['transactions']:>5} transactions  tax {row['tax_collected']:>10}  "
                     f"net {row['sales_net']:>12}  @ {row['rate_percent']}%  = {row['commission']:>10}  "
                     f"(final {s['final']}, pending {s['pending']}, cancelled {s['cancelled']})")
    if not report["cashiers"]:
        lines.append("  No sales in this month.")
    return "\n".join(lines) + "\n"
