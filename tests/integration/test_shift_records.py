"""Seed 001's records of a shift's life: the open and close entries carry the transaction count,
the last receipt number, the cash-operation count and the last cash operation's time; `report z`
holds the close's figures against what the till holds and refuses on a difference."""

from __future__ import annotations

import json
import random
import sqlite3

import pytest

from app.reports.daily import z_report
from app.usecases import cart_lifecycle, cart_lines, checkout, shifts
from kernel.errors import StateError
from tests.support.days import run_shift
from tests.support.tamper import tamper
from tests.support.till import BARCODES, Till


def _entries(till: Till, type_: str) -> list[dict]:
    db = sqlite3.connect(till.data_dir / "till.sqlite")
    try:
        return [json.loads(body)["data"] for (body,) in
                db.execute("SELECT body FROM audit_log WHERE type = ? ORDER BY seq", (type_,))]
    finally:
        db.close()


def _one(till: Till, query: str) -> object:
    db = sqlite3.connect(till.data_dir / "till.sqlite")
    try:
        return db.execute(query).fetchone()[0]
    finally:
        db.close()


def test_open_and_close_entries_carry_the_counters(till: Till) -> None:
    shift = shifts.open_shift(till.ctx, "anna", 5_000)
    cart_id = cart_lifecycle.start_cart(till.ctx, "anna")
    cart_lines.add_item(till.ctx, cart_id, "anna", BARCODES["milk"])
    first = checkout.add_payment(till.ctx, cart_id, "anna", "cash", 500).sale
    till.clock.advance(minutes=3)
    shifts.cash_in(till.ctx, "anna", 1_000, "change")
    till.clock.advance(minutes=3)
    cart_id = cart_lifecycle.start_cart(till.ctx, "anna")
    cart_lines.add_item(till.ctx, cart_id, "anna", BARCODES["bread"])
    last = checkout.add_payment(till.ctx, cart_id, "anna", "card", 349).sale
    till.clock.advance(minutes=3)
    drawer_id = shifts.no_sale(till.ctx, "anna", "change for a customer", approval=till.approval())
    with till.ctx.uow(read_only=True) as uow:
        expected = uow.shifts.expected_cash(shift.id)
    closed = shifts.close_shift(till.ctx, "anna", expected)

    [opened] = _entries(till, "shift.opened")
    assert opened["counters"] == {"transaction_count": 0, "last_receipt_no": None, "cash_operation_count": 0,
                                  "last_cash_operation_at": None}
    [close] = _entries(till, "shift.closed")
    last_op = _one(till, f"SELECT created_at FROM drawer_openings WHERE id = '{drawer_id}'")
    assert close["counters"] == closed["counters"] == {
        "transaction_count": 2, "last_receipt_no": last.receipt_no, "cash_operation_count": 2,
        "last_cash_operation_at": last_op}
    assert first.receipt_no != last.receipt_no

    shifts.open_shift(till.ctx, "ben", expected)  # the next shift opens on the till's counters so far
    assert _entries(till, "shift.opened")[1]["counters"]["transaction_count"] == 2
    assert _entries(till, "shift.opened")[1]["counters"]["last_receipt_no"] == last.receipt_no


def test_z_refuses_when_the_records_do_not_match_the_close(till: Till) -> None:
    day = till.ctx.business_date()
    run_shift(till, random.Random(11), "anna", 8)  # sales, a void, a refund, cash in and out, a no-sale
    tamper(till.data_dir, "DELETE FROM cash_movements WHERE kind = 'out'")
    with pytest.raises(StateError, match="cash operation count 4.*holds 3"):
        z_report(till.ctx, day, user_id="sofia")
    assert _entries(till, "report.z") == []  # refused: nothing written


def test_z_passes_when_every_record_is_there(till: Till) -> None:
    day = till.ctx.business_date()
    run_shift(till, random.Random(12), "anna", 8)
    run_shift(till, random.Random(13), "ben", 5)
    z = z_report(till.ctx, day, user_id="sofia")
    assert z["copy"] is False and len(_entries(till, "report.z")) == 1
