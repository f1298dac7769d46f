"""X, Z, shift and commission reports: keys per docs/design.md, the identity to the cent, Z rules,
text layouts, the report registry, and anomaly rules."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.reports import registry
from app.reports.daily import x_report, z_report
from app.usecases import audit, auth, cart_lifecycle, cart_lines, checkout, discrepancies, returns, shifts
from kernel.errors import InvalidInput, PermissionDenied, StateError
from tests.support.days import run_shift
from tests.support.till import BARCODES, Till

KEYS = {"sales_gross", "sales_net", "discount_for_lineitems", "discount_for_subtotal", "returns", "taxes",
        "payments", "cash", "business_date", "till", "report_scope", "receipt_text", "journal_text"}


def test_x_any_time_z_refused_while_open_then_copy(till: Till) -> None:
    import random

    day = till.ctx.business_date()
    shifts.open_shift(till.ctx, "anna", 5_000)
    x = x_report(till.ctx)
    assert set(x) >= KEYS and x["report_scope"] == "flash" and x["till"] == "S001-T01"
    with pytest.raises(StateError, match="still open"):
        z_report(till.ctx, day)
    shifts.close_shift(till.ctx, "anna", 5_000)
    run_shift(till, random.Random(1), "ben", 8)
    with pytest.raises(PermissionDenied):
        z_report(till.ctx, day, user_id="anna")
    z = z_report(till.ctx, day, user_id="sofia")
    assert set(z) >= KEYS and z["report_scope"] == "daily" and z["copy"] is False
    amounts = {k: Decimal(z[k]["amount"]) for k in ("sales_gross", "discount_for_lineitems",
                                                     "discount_for_subtotal", "returns", "sales_net")}
    assert (amounts["sales_gross"] - amounts["discount_for_lineitems"] - amounts["discount_for_subtotal"]
            - amounts["returns"]) == amounts["sales_net"]
    assert all(isinstance(p["amount"], str) for p in z["payments"])
    assert z["checkpoint_short"] in z["receipt_text"] and "Z REPORT" in z["receipt_text"]
    copy = z_report(till.ctx, day, user_id="sofia")
    assert copy["copy"] is True and "COPY" in copy["receipt_text"] and "COPY" in copy["journal_text"]
    assert copy["sales_net"] == z["sales_net"] and copy["business_counter"] == z["business_counter"] == 1
    # The day is closed: no new shift may open on it.
    with pytest.raises(StateError, match="already closed"):
        shifts.open_shift(till.ctx, "anna", 5_000)
    assert audit.verify(till.ctx).ok


def test_z_refuses_a_future_or_malformed_date(till: Till) -> None:
    with pytest.raises(InvalidInput):
        z_report(till.ctx, "2099-01-01")
    with pytest.raises(InvalidInput):
        z_report(till.ctx, "yesterday")


@pytest.mark.parametrize("width", [32, 42, 48])
def test_receipt_text_fits_its_width(till: Till, width: int) -> None:
    import random

    run_shift(till, random.Random(2), "anna", 6)
    x = x_report(till.ctx, width=width)
    assert max(len(line) for line in x["receipt_text"].splitlines()) <= width
    assert x["journal_text"].startswith("S001-T01 ")


def test_registry_lists_every_report_and_refuses_unknown(till: Till) -> None:
    assert sorted(registry.REPORTS) == ["activity", "audit", "commission", "shift", "x", "z"]
    with pytest.raises(KeyError, match="known: activity, audit, commission, shift, x, z"):
        registry.make_report("nope", till.ctx)
    assert registry.make_report("x", till.ctx)["report_scope"] == "flash"
    with pytest.raises(TypeError):  # the listing is read-only: nothing registers itself at import
        registry.REPORTS["test_hours"] = lambda ctx: {}  # type: ignore[index]


def test_commission_per_cashier(till: Till) -> None:
    import random

    with till.ctx.uow() as uow:
        uow.settings.set("commission_rate", "2")
        uow.settings.set("commission_rate.ben", "5")
        uow.commit()
    run_shift(till, random.Random(3), "anna", 5)
    run_shift(till, random.Random(4), "ben", 5)
    report = registry.make_report("commission", till.ctx, month=3, year=2026)
    rows = {r["user_id"]: r for r in report["cashiers"]}
    assert rows["anna"]["rate_percent"] == "2" and rows["ben"]["rate_percent"] == "5"
    net = Decimal(rows["ben"]["sales_net"])
    assert Decimal(rows["ben"]["commission"]) == (net * 5 / 100).quantize(Decimal("0.01"))
    with pytest.raises(InvalidInput):
        registry.make_report("commission", till.ctx, month=13, year=2026)


def test_anomaly_rules_raise_void_and_refund_discrepancies_and_flag_the_rest(till: Till) -> None:
    with till.ctx.uow() as uow:
        for key, value in {"anomaly_void_count": "0", "anomaly_refund_amount": "100",
                           "anomaly_failed_logins": "2", "business_hours": "10:00-18:00",
                           "anomaly_min_sales": "3"}.items():
            uow.settings.set(key, value)
        uow.commit()
    shift = shifts.open_shift(till.ctx, "anna", 5_000)  # 09:00: before business hours
    receipts = []
    for code in (BARCODES["milk"], BARCODES["milk"], BARCODES["milk"], BARCODES["milk"]):
        cart_id = cart_lifecycle.start_cart(till.ctx, "anna")
        cart_lines.add_item(till.ctx, cart_id, "anna", code)
        receipts.append(checkout.add_payment(till.ctx, cart_id, "anna", "cash", 500).sale)
    cart_id = cart_lifecycle.start_cart(till.ctx, "anna")
    for _ in range(3):
        cart_lines.add_item(till.ctx, cart_id, "anna", BARCODES["cheese"])
    big = checkout.add_payment(till.ctx, cart_id, "anna", "card", 3870).sale
    returns.void_sale(till.ctx, receipts[0].receipt_no, "anna", "wrong item", approval=till.approval())
    returns.refund(till.ctx, big.receipt_no, "anna", [(big.lines[0].id, 1000)], approval=till.approval())
    for _ in range(2):
        with pytest.raises(PermissionDenied):
            auth.login(till.ctx, "ben", "0000")
    result = shifts.close_shift(till.ctx, "anna", shifts_expected(till))
    kinds = {d.kind for d in discrepancies.for_shift(till.ctx, shift.id)}
    assert kinds == {"VOID_ANOMALY", "REFUND_ANOMALY"} and len(result["discrepancies"]) == 2
    with till.ctx.uow(read_only=True) as uow:
        flagged = [json.loads(body)["data"]["kind"] for _s, body, _p, _h in uow.audit.iter_raw()
                   if b'"type":"anomaly.flagged"' in body]
    assert {"LARGE_SALE", "AFTER_HOURS", "FAILED_LOGINS"} <= set(flagged)


def shifts_expected(till: Till) -> int:
    with till.ctx.uow(read_only=True) as uow:
        return uow.shifts.expected_cash(uow.shifts.open_shift().id)
