"""A sale end to end on a real till file: one transaction writes everything, receipts are
gap-free per business day, business days roll over at the configured hour."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from app.usecases import audit, cart_lifecycle, cart_lines, checkout, shifts
from kernel.errors import StateError
from tests.support.till import BARCODES, START, make_till

LINE_KEYS = {"sku", "name", "qty", "unit_price", "discount", "net", "tax", "gross", "tax_code"}
SALE_KEYS = {"sale_id", "receipt_no", "shift_id", "customer_id", "lines", "subtotal_discount", "net", "tax", "gross",
             "payments", "change", "business_date"}


def sell(till, user="anna", codes=("milk",), pay=(("cash", 5000),)):
    ctx = till.ctx
    cart_id = cart_lifecycle.start_cart(ctx, user)
    for code in codes:
        cart_lines.add_item(ctx, cart_id, user, BARCODES.get(code, code))
    result = None
    for method, amount in pay:
        result = checkout.add_payment(ctx, cart_id, user, method, amount)
    return result


def entry(till, seq):
    with till.ctx.uow(read_only=True) as uow:
        return json.loads(uow.audit.body(seq))


def scalar(till, sql, **params):
    with till.ctx.uow(read_only=True) as uow:
        return uow.conn.execute(text(sql), params).scalar_one()


def test_a_completed_sale_writes_everything_together(till):
    shifts.open_shift(till.ctx, "anna", 10000)
    audit_before = scalar(till, "SELECT COUNT(*) FROM audit_log")
    result = sell(till, codes=("milk", "milk", "cheese"), pay=(("card", 1000), ("cash", 2000)))
    assert result.status == "COMPLETED"
    sale = result.sale
    assert sale.gross == 119 * 2 + 1290 == 1528
    assert sale.change == 1000 + 2000 - 1528
    assert [ln.qty_milli for ln in sale.lines] == [2000, 1000]
    assert sum(p.amount for p in sale.payments) - sale.change == sale.gross
    assert scalar(till, "SELECT COUNT(*) FROM sales WHERE id = :i", i=sale.id) == 1
    assert scalar(till, "SELECT COUNT(*) FROM sale_lines WHERE sale_id = :i", i=sale.id) == 2
    assert scalar(till, "SELECT COUNT(*) FROM sale_payments WHERE sale_id = :i", i=sale.id) == 2
    assert scalar(till, "SELECT COUNT(*) FROM stock_movements WHERE ref_id = :i AND reason = 'sale'", i=sale.id) == 2
    assert scalar(till, "SELECT on_hand_milli FROM stock WHERE product_id = 'p-milk'") == 48_000
    assert scalar(till, "SELECT status FROM carts WHERE sale_id = :i", i=sale.id) == "COMPLETED"
    assert scalar(till, "SELECT COUNT(*) FROM stock_reservations WHERE status = 'ACTIVE'") == 0
    # every action is audited: 3 scans + the sale (the first payment left the sale PARTIAL)
    assert scalar(till, "SELECT COUNT(*) FROM audit_log") == audit_before + 4

    e = entry(till, sale.audit_seq)
    assert e["type"] == "sale.completed" and e["actor"] == "anna" and e["till"] == "S001-T01" and e["v"] == 1
    data = e["data"]
    assert set(data) >= SALE_KEYS
    assert data["sale_id"] == sale.id and data["receipt_no"] == sale.receipt_no
    assert data["business_date"] == "2026-03-02"
    assert data["gross"] == "15.28" and data["change"] == "14.72"
    assert data["payments"] == [{"method": "card", "amount": "10.00", "reference": None},
                                {"method": "cash", "amount": "20.00", "reference": None}]
    assert all(set(line) >= LINE_KEYS for line in data["lines"])
    assert data["lines"][0]["qty"] == "2.000" and data["lines"][0]["unit_price"] == "1.19"
    assert data["lines"][1]["name"] == "Comté cheese"


def test_receipt_numbers_are_gap_free_per_business_day(till):
    shifts.open_shift(till.ctx, "anna", 0)
    day1 = [sell(till).sale.receipt_no for _ in range(3)]
    assert day1 == [f"S001-T01-20260302-000{n}" for n in (1, 2, 3)]
    shifts.close_shift(till.ctx, "anna", shifts_expected(till))
    till.clock.advance(days=1)
    shifts.open_shift(till.ctx, "ben", 0)
    day2 = [sell(till, user="ben").sale.receipt_no for _ in range(2)]
    assert day2 == ["S001-T01-20260303-0001", "S001-T01-20260303-0002"]


def shifts_expected(till):
    with till.ctx.uow(read_only=True) as uow:
        return uow.shifts.expected_cash(uow.shifts.open_shift().id)


def test_business_day_rolls_over_at_the_configured_hour(tmp_path):
    from kernel.clock import ManualClock

    clock = ManualClock(datetime(2026, 3, 3, 2, 30, tzinfo=UTC))  # 02:30, before the 04:00 rollover
    till = make_till(tmp_path / "t", clock=clock)
    shift = shifts.open_shift(till.ctx, "anna", 0)
    assert shift.business_date == "2026-03-02"
    assert sell(till).sale.receipt_no == "S001-T01-20260302-0001"
    shifts.close_shift(till.ctx, "anna", shifts_expected(till))
    clock.set(datetime(2026, 3, 3, 4, 0, tzinfo=UTC))
    assert shifts.open_shift(till.ctx, "anna", 0).business_date == "2026-03-03"
    assert sell(till).sale.receipt_no == "S001-T01-20260303-0001"


def test_the_business_day_follows_the_store_time_zone(tmp_path):
    from app.bootstrap import reload_settings
    from kernel.clock import ManualClock

    clock = ManualClock(datetime(2026, 3, 3, 2, 59, tzinfo=UTC))  # 03:59 in Berlin (UTC+1 in March)
    till = make_till(tmp_path / "t", clock=clock)
    with till.ctx.uow() as uow:
        uow.settings.set("timezone", "Europe/Berlin")
        uow.commit()
    till.ctx = reload_settings(till.ctx)
    assert shifts.open_shift(till.ctx, "anna", 0).business_date == "2026-03-02"
    shifts.close_shift(till.ctx, "anna", 0)
    clock.advance(minutes=1)  # 04:00 in Berlin: the rollover
    assert shifts.open_shift(till.ctx, "anna", 0).business_date == "2026-03-03"


def test_a_clock_set_backwards_keeps_numbering_and_the_chain(till):
    shifts.open_shift(till.ctx, "anna", 0)
    first = sell(till).sale
    till.clock.set(START.replace(hour=7))  # someone sets the clock back two hours
    second = sell(till).sale
    assert second.receipt_no == "S001-T01-20260302-0002"
    assert second.completed_at < first.completed_at
    assert audit.verify(till.ctx).ok


def test_cash_rounding_applies_to_cash_only(tmp_path):
    till = make_till(tmp_path / "t", cash_rounding=5)
    shifts.open_shift(till.ctx, "anna", 0)
    cash_sale = sell(till, pay=(("cash", 200),)).sale  # milk 1.19 -> 1.20 in cash
    assert (cash_sale.gross, cash_sale.rounding, cash_sale.change) == (120, 1, 80)
    card_sale = sell(till, pay=(("card", 119),)).sale
    assert (card_sale.gross, card_sale.rounding, card_sale.change) == (119, 0, 0)
    assert entry(till, cash_sale.audit_seq)["data"]["gross"] == "1.20"
    assert audit.verify(till.ctx).ok


def test_selling_needs_an_open_shift(till):
    with pytest.raises(StateError, match="Open a shift"):
        cart_lifecycle.start_cart(till.ctx, "anna")


def test_a_whole_day_adds_up_and_verifies(till):
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 10000)
    sales = [sell(till, codes=("milk", "bread"), pay=(("cash", 1000),)).sale for _ in range(5)]
    sales.append(sell(till, codes=("cheese",), pay=(("card", 1290),)).sale)
    shifts.cash_in(ctx, "anna", 500, "change from bank")
    shifts.cash_out(ctx, "anna", 300, "window cleaner", approval=till.approval())
    cash_taken = sum(s.gross for s in sales[:5])
    closed = shifts.close_shift(ctx, "anna", 10000 + cash_taken + 500 - 300)
    assert closed["expected"] == 10000 + cash_taken + 200 and closed["difference"] == 0
    report = audit.verify(ctx)
    assert report.ok, report.as_dict()
    assert report.records_checked == 6 + 2 + 1 + 1  # sales, cash movements, the shift, its close
    with ctx.uow(read_only=True) as uow:
        assert uow.sales.receipts_of_day("2026-03-02") == [f"S001-T01-20260302-{n:04d}" for n in range(1, 7)]


def test_a_shift_cannot_close_with_an_open_sale(till):
    shifts.open_shift(till.ctx, "anna", 0)
    cart_id = cart_lifecycle.start_cart(till.ctx, "anna")
    cart_lines.add_item(till.ctx, cart_id, "anna", BARCODES["milk"])
    with pytest.raises(StateError, match="still open"):
        shifts.close_shift(till.ctx, "anna", 0)
