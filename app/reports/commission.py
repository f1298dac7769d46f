"""Monthly commission per cashier (seed 002): net sales (kept sales minus refunds they gave)
times a rate. Rates are settings: `commission_rate` (percent, default 1) and
`commission_rate.<user id>` to override it for one cashier."""

from __future__ import annotations

import calendar
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


def commission_report(ctx: TillContext, month: int, year: int) -> dict[str, Any]:
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise InvalidInput("The month is a number from 1 to 12.")
    if not isinstance(year, int) or not 2000 <= year <= 9999:
        raise InvalidInput("Give the year with four digits, e.g. 2026.")
    first = f"{year:04d}-{month:02d}-01"
    last = f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    exp = ctx.settings.exponent
    with ctx.uow(read_only=True) as uow:
        q = uow.reports
        per_user, names, settings = q.sales_by_user(first, last), q.user_names(), uow.settings.all()
    rows, total_net, total_commission = [], 0, 0
    for user_id, fig in sorted(per_user.items()):
        net = fig["gross"] - fig["refunds"]
        rate = _rate(settings, user_id)
        commission = round_half_up(Decimal(net) * rate / 100)
        total_net += net
        total_commission += commission
        rows.append({"user_id": user_id, "name": names.get(user_id, user_id), "sales_count": fig["count"],
                     "sales_net": format_money(net, exp), "rate_percent": str(rate),
                     "commission": format_money(commission, exp)})
    return {"report_type": "commission", "till": ctx.settings.audit_till, "month": month, "year": year,
            "from": first, "to": last, "cashiers": rows, "total_sales_net": format_money(total_net, exp),
            "total_commission": format_money(total_commission, exp), "generate_date_time": ctx.now_iso()}
