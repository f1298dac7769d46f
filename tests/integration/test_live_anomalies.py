"""The shift-close anomaly rules also run as each event lands (app/usecases/live_anomalies.py):
the `anomaly.flagged` entry is written in the event's own transaction, the close flags nothing
twice, and the shift report lists what was flagged. The clock is a ManualClock."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.reports.shift_report import shift_report
from app.usecases import audit, auth, cart_lifecycle, cart_lines, checkout, discrepancies, returns, shifts
from kernel.errors import PermissionDenied
from tests.support.till import BARCODES


def log(ctx):
    with ctx.uow(read_only=True) as uow:
        return [json.loads(r[0]) for r in uow.conn.execute(text("SELECT body FROM audit_log ORDER BY seq"))]


def flags(ctx):
    return [e for e in log(ctx) if e["type"] == "anomaly.flagged"]


def settings(till, **values):
    with till.ctx.uow() as uow:
        for key, value in values.items():
            uow.settings.set(key, value)
        uow.commit()


def sell(till, code="milk", times=1, method="card"):
    ctx = till.ctx
    cart = cart_lifecycle.start_cart(ctx, "anna")
    for _ in range(times):
        cart_lines.add_item(ctx, cart, "anna", BARCODES[code])
    return checkout.add_payment(ctx, cart, "anna", method, checkout.amount_due(ctx, cart).due).sale


def close(till):
    with till.ctx.uow(read_only=True) as uow:
        expected = uow.shifts.expected_cash(uow.shifts.open_shift().id)
    return shifts.close_shift(till.ctx, "anna", expected)


def test_a_large_sale_is_flagged_as_it_lands_and_shows_in_the_shift_report(till):
    settings(till, anomaly_min_sales="3", anomaly_sale_multiple="3")
    shift = shifts.open_shift(till.ctx, "anna", 0)
    small = [sell(till) for _ in range(3)]
    assert flags(till.ctx) == []  # three small sales: nothing is large against their average
    till.clock.advance(minutes=5)
    big = sell(till, "cheese", times=10)
    [flag] = flags(till.ctx)
    sale_entry = next(e for e in log(till.ctx) if e["type"] == "sale.completed" and e["data"]["sale_id"] == big.id)
    assert flag["seq"] == sale_entry["seq"] + 1  # in the sale's own transaction, right after its entry
    assert flag["ts"] == sale_entry["ts"] and flag["actor"] == "anna"
    assert flag["data"]["kind"] == "LARGE_SALE" and flag["data"]["ref"] == big.id
    assert flag["data"]["amount"] == "129.00" and flag["data"]["shift_id"] == shift.id
    assert small[0].gross * 3 < big.gross
    report = shift_report(till.ctx, shift.id)
    [shown] = report["anomalies"]
    assert (shown["kind"], shown["receipt_no"], shown["amount"]) == ("LARGE_SALE", big.receipt_no, "129.00")
    assert "LARGE_SALE " + big.receipt_no[-4:] in report["receipt_text"]
    assert "anomaly LARGE_SALE: sale of 129.00" in report["journal_text"]
    close(till)
    assert [f["data"]["kind"] for f in flags(till.ctx)] == ["LARGE_SALE"]  # the close does not flag it again
    assert audit.verify(till.ctx).ok


def test_a_sale_below_the_minimum_count_is_not_compared(till):
    settings(till, anomaly_min_sales="5")
    shifts.open_shift(till.ctx, "anna", 0)
    sell(till)
    sell(till, "cheese", times=10)
    assert flags(till.ctx) == []


def test_after_hours_is_flagged_once_per_shift_by_the_store_clock(till):
    settings(till, business_hours="08:00-20:00")
    shifts.open_shift(till.ctx, "anna", 0)
    sell(till)
    assert flags(till.ctx) == []  # 09:00
    till.clock.advance(hours=12)  # 21:00
    sell(till)
    till.clock.advance(minutes=10)
    sell(till)
    [flag] = flags(till.ctx)
    assert flag["data"]["kind"] == "AFTER_HOURS" and flag["data"]["detail"] == "sale outside business hours at 21:00"
    close(till)
    assert len(flags(till.ctx)) == 1


def test_voids_over_the_count_are_flagged_at_once_and_still_raise_a_discrepancy_at_close(till):
    settings(till, anomaly_void_count="1")
    shift = shifts.open_shift(till.ctx, "anna", 0)
    first, second = sell(till), sell(till)
    returns.void_sale(till.ctx, first.receipt_no, "anna", "wrong", approval=till.approval())
    assert flags(till.ctx) == []
    returns.void_sale(till.ctx, second.receipt_no, "anna", "wrong", approval=till.approval())
    [flag] = flags(till.ctx)
    assert flag["data"]["kind"] == "VOID_ANOMALY" and flag["data"]["detail"].startswith("2 sale(s) voided")
    close(till)
    assert {d.kind for d in discrepancies.for_shift(till.ctx, shift.id)} == {"VOID_ANOMALY"}


def test_a_large_refund_is_flagged_as_it_is_given(till):
    settings(till, anomaly_refund_amount="1000")
    shifts.open_shift(till.ctx, "anna", 0)
    sale = sell(till, "cheese", times=2)
    refund = returns.refund(till.ctx, sale.receipt_no, "anna", [(sale.lines[0].id, 2000)], approval=till.approval())
    [flag] = flags(till.ctx)
    assert (flag["data"]["kind"], flag["data"]["ref"], flag["data"]["amount"]) == (
        "REFUND_ANOMALY", refund.id, "25.80")


def test_failed_logins_are_flagged_when_they_reach_the_threshold_once(till):
    settings(till, anomaly_failed_logins="3")  # the lock-out comes at the fifth
    shifts.open_shift(till.ctx, "anna", 0)
    for n in range(4):
        till.clock.advance(seconds=30)
        with pytest.raises(PermissionDenied):
            auth.login(till.ctx, "ben", "0000")
        assert len(flags(till.ctx)) == (1 if n >= 2 else 0)
    [flag] = flags(till.ctx)
    assert flag["data"]["kind"] == "FAILED_LOGINS" and flag["actor"] is None
    assert flag["data"]["detail"] == "3 failed log-ins for ben during the shift"


def test_no_flag_without_its_event_a_refused_sale_writes_none(till):
    settings(till, anomaly_min_sales="1", anomaly_sale_multiple="0")  # every sale would be "large"
    shifts.open_shift(till.ctx, "anna", 0)
    cart = cart_lifecycle.start_cart(till.ctx, "anna")
    cart_lines.add_item(till.ctx, cart, "anna", BARCODES["milk"])
    cart_lines.add_item(till.ctx, cart, "anna", BARCODES["milk"])
    assert flags(till.ctx) == []  # scans run no rule
    with pytest.raises(Exception, match="cannot be more than"):
        checkout.add_payment(till.ctx, cart, "anna", "card", 10**6)
    assert flags(till.ctx) == []
    checkout.add_payment(till.ctx, cart, "anna", "card", checkout.amount_due(till.ctx, cart).due)
    assert [f["data"]["kind"] for f in flags(till.ctx)] == ["LARGE_SALE"]
