"""Who is in a report (seed 001): each cashier by name with their sales and average sale, the
day's average sale, and the staff member who ran the report. Ids alone mean nothing to the
supervisor reading a printed Z."""

from __future__ import annotations

from typing import Any

from db.uow import UnitOfWork
from kernel.money import format_money

COMMAND_LINE = "command line"  # `run_by` of a report asked for at the CLI, where no one logs in


def cashiers(uow: UnitOfWork, business_date: str, exp: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(per cashier, the day's average sale). Kept sales only: a voided sale is no sale; gross is
    what customers paid."""
    names = uow.reports.user_names()
    rows, count_all, gross_all = [], 0, 0
    for user_id, fig in sorted(uow.reports.commission_figures(business_date, business_date).items()):
        count = fig["final_count"] + fig["pending_count"]
        gross = fig["final_gross"] + fig["pending_gross"]
        count_all, gross_all = count_all + count, gross_all + gross
        rows.append({"user_id": user_id, "name": names.get(user_id, user_id), "count": count,
                     "amount": format_money(gross, exp), "average_sale": _average(gross, count, exp),
                     "refunds": fig["final_refund_count"] + fig["pending_refund_count"]})
    return rows, {"count": count_all, "amount": _average(gross_all, count_all, exp)}


def run_by(uow: UnitOfWork, user_id: str | None) -> dict[str, Any]:
    if user_id is None:
        return {"user_id": None, "name": COMMAND_LINE}
    user = uow.people.user(user_id)
    return {"user_id": user_id, "name": user.name if user is not None else user_id}


def name_of(uow: UnitOfWork, user_id: str | None) -> str | None:
    if user_id is None:
        return None
    user = uow.people.user(user_id)
    return user.name if user is not None else user_id


def _average(gross: int, count: int, exp: int) -> str:
    """Rounded half up to the minor unit; 0.00 for no sales."""
    return format_money((2 * gross + count) // (2 * count) if count else 0, exp)
