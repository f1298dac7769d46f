"""Reports name people (#15 item 7, seed 001): each cashier by name with their sales and average
sale, the day's average sale, and who ran the report, in the JSON and on the printed text."""

from __future__ import annotations

import random
from decimal import Decimal

from app.reports.daily import x_report, z_report
from app.reports.shift_report import shift_report
from app.usecases import audit
from tests.support.days import run_shift
from tests.support.till import Till


def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


def test_x_and_z_name_the_cashiers_and_who_ran_them(till: Till) -> None:
    day = till.ctx.business_date()
    rng = random.Random(7)
    first = run_shift(till, rng, "anna", 6)
    run_shift(till, rng, "ben", 4)
    x = x_report(till.ctx, day, user_id="sofia")
    by_id = {c["user_id"]: c for c in x["cashiers"]}
    assert set(by_id) == {"anna", "ben"} and by_id["anna"]["name"] == "Anna" and by_id["ben"]["name"] == "Ben"
    count = sum(c["count"] for c in x["cashiers"])
    gross = sum(_cents(c["amount"]) for c in x["cashiers"])
    assert x["average_sale"]["count"] == count > 0
    assert abs(_cents(x["average_sale"]["amount"]) * count - gross) <= count  # rounded once, to the cent
    for c in x["cashiers"]:
        assert abs(_cents(c["average_sale"]) * c["count"] - _cents(c["amount"])) <= c["count"]
    assert x["run_by"] == {"user_id": "sofia", "name": "Sofia"}
    assert "Run by" in x["receipt_text"] and "Sofia" in x["receipt_text"] and "Anna (" in x["receipt_text"]
    z = z_report(till.ctx, day, user_id="sofia")
    assert z["cashiers"] == x["cashiers"] and "Ben (" in z["receipt_text"]
    shift = shift_report(till.ctx, first["shift_id"])
    assert shift["shift"]["cashier_name"] == "Anna" and "Cashier" in shift["receipt_text"]
    assert shift["run_by"]["name"] == "command line"
    assert audit.verify(till.ctx).ok  # the Z's stored report, names included, still hashes to its entry


def test_a_day_without_sales_averages_zero(till: Till) -> None:
    x = x_report(till.ctx)
    assert x["cashiers"] == [] and x["average_sale"] == {"count": 0, "amount": "0.00"}
    assert x["run_by"]["user_id"] is None
