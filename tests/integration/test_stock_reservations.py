"""Stock held by carts: available = on hand - active reservations; expired holds free the stock
and are never revived; two processes on one file never reserve more than is on hand."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import text

from app.bootstrap import open_till
from app.usecases import audit, cart_lifecycle, cart_lines, checkout, shifts
from kernel.clock import ManualClock
from kernel.errors import StockError
from tests.support.till import BARCODES, START

SCARCE_UNITS = 7


def set_stock(till, product_id, milli):
    with till.ctx.uow() as uow:
        uow.stock.set_on_hand(product_id, milli, "adjust", till.ctx.now_iso())
        uow.commit()


def figures(ctx, product_id):
    with ctx.uow(read_only=True) as uow:
        now = ctx.now_iso()
        on_hand = uow.stock.on_hand(product_id)
        return on_hand, on_hand - uow.stock.available(product_id, now)  # what the active reservations hold


@pytest.fixture
def open_till_(till):
    shifts.open_shift(till.ctx, "anna", 0)
    return till


def test_a_reservation_holds_stock_until_sold_or_cancelled(open_till_):
    till, ctx = open_till_, open_till_.ctx
    set_stock(till, "p-cheese", 2000)
    a = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, a, "anna", BARCODES["cheese"])
    cart_lines.add_item(ctx, a, "anna", BARCODES["cheese"])
    assert figures(ctx, "p-cheese") == (2000, 2000)
    b = cart_lifecycle.start_cart(ctx, "ben")
    with pytest.raises(StockError, match="Not enough Comté cheese in stock: 0 left"):
        cart_lines.add_item(ctx, b, "ben", BARCODES["cheese"])
    cart_lifecycle.cancel(ctx, a, "anna", approval=till.approval())
    assert figures(ctx, "p-cheese") == (2000, 0)
    cart_lines.add_item(ctx, b, "ben", BARCODES["cheese"])
    checkout.add_payment(ctx, b, "ben", "card", 1290)
    assert figures(ctx, "p-cheese") == (1000, 0)


def test_raising_a_quantity_beyond_the_stock_is_refused(open_till_):
    till, ctx = open_till_, open_till_.ctx
    set_stock(till, "p-bread", 3000)
    c = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, c, "anna", BARCODES["bread"])
    with pytest.raises(StockError, match="3 left"):
        cart_lines.set_quantity(ctx, c, line.id, "anna", 4000)
    assert cart_lifecycle.get_cart(ctx, c).lines[0].qty_milli == 1000
    assert figures(ctx, "p-bread") == (3000, 1000)
    cart_lines.set_quantity(ctx, c, line.id, "anna", 3000)
    assert figures(ctx, "p-bread") == (3000, 3000)


def test_products_that_may_go_negative_are_not_limited(open_till_):
    ctx = open_till_.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", "APPLE", qty_milli=5000, weight_source="scale")
    checkout.add_payment(ctx, c, "anna", "card", 1495)
    assert figures(ctx, "p-apple")[0] == -5000


def test_expired_reservations_free_the_stock(open_till_):
    till, ctx = open_till_, open_till_.ctx
    set_stock(till, "p-cheese", 1000)
    a = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, a, "anna", BARCODES["cheese"])
    till.clock.advance(minutes=29)
    assert figures(ctx, "p-cheese") == (1000, 1000)
    till.clock.advance(minutes=2)
    assert figures(ctx, "p-cheese") == (1000, 0)


def test_a_later_scan_does_not_revive_an_expired_reservation(open_till_):
    till, ctx = open_till_, open_till_.ctx
    set_stock(till, "p-cheese", 1000)
    a = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, a, "anna", BARCODES["cheese"])
    till.clock.advance(minutes=31)  # anna's hold on the last cheese lapses
    b = cart_lifecycle.start_cart(ctx, "ben")
    cart_lines.add_item(ctx, b, "ben", BARCODES["cheese"])  # ben takes it
    cart_lines.add_item(ctx, a, "anna", BARCODES["milk"])  # anna scans something else
    on_hand, reserved = figures(ctx, "p-cheese")
    assert reserved <= on_hand == 1000


def test_checkout_after_a_lapsed_hold_takes_the_stock_again_or_refuses(open_till_):
    till, ctx = open_till_, open_till_.ctx
    set_stock(till, "p-cheese", 1000)
    a = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, a, "anna", BARCODES["cheese"])
    till.clock.advance(minutes=31)
    b = cart_lifecycle.start_cart(ctx, "ben")
    cart_lines.add_item(ctx, b, "ben", BARCODES["cheese"])
    with pytest.raises(StockError, match="Not enough Comté cheese"):
        checkout.add_payment(ctx, a, "anna", "cash", 2000)
    assert cart_lifecycle.get_cart(ctx, a).payments == ()  # the refused payment was not kept
    assert checkout.add_payment(ctx, b, "ben", "cash", 2000).status == "COMPLETED"
    assert figures(ctx, "p-cheese") == (0, 0)
    # a lapsed hold with stock still there is simply taken again at checkout
    set_stock(till, "p-cheese", 1000)
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    till.clock.advance(minutes=45)
    assert checkout.add_payment(ctx, c, "anna", "cash", 2000).status == "COMPLETED"
    assert figures(ctx, "p-cheese") == (0, 0)


def _reserve_many(data_dir: str, user: str, attempts: int, start, results) -> None:  # type: ignore[no-untyped-def]
    """One till process: try to put the scarce cheese in `attempts` carts, selling every other one."""
    from pathlib import Path

    ctx = open_till(Path(data_dir), clock=ManualClock(START))
    got = refused = sold = 0
    start.wait()
    for i in range(attempts):
        cart_id = cart_lifecycle.start_cart(ctx, user)
        try:
            cart_lines.add_item(ctx, cart_id, user, BARCODES["cheese"])
        except StockError:
            refused += 1
            cart_lifecycle.cancel(ctx, cart_id, user)
            continue
        got += 1
        if i % 2 == 0:
            checkout.add_payment(ctx, cart_id, user, "card", 1290)
            sold += 1
    ctx.close()
    results.put((user, got, refused, sold))


def test_two_processes_never_reserve_more_than_is_on_hand(open_till_):
    till = open_till_
    set_stock(till, "p-cheese", SCARCE_UNITS * 1000)
    till.ctx.close()
    mp = multiprocessing.get_context("spawn")
    start, results = mp.Event(), mp.Queue()
    attempts = 25
    procs = [mp.Process(target=_reserve_many, args=(str(till.data_dir), user, attempts, start, results))
             for user in ("anna", "ben")]
    for proc in procs:
        proc.start()
    start.set()
    outcomes = [results.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    got = sum(o[1] for o in outcomes)
    refused = sum(o[2] for o in outcomes)
    sold = sum(o[3] for o in outcomes)
    assert got == SCARCE_UNITS and refused == 2 * attempts - SCARCE_UNITS
    on_hand, reserved = figures(till.ctx, "p-cheese")
    assert on_hand == (SCARCE_UNITS - sold) * 1000
    assert reserved == (got - sold) * 1000 <= on_hand
    with till.ctx.uow(read_only=True) as uow:
        active = uow.conn.execute(text(
            "SELECT COALESCE(SUM(qty_milli), 0) FROM stock_reservations WHERE product_id = 'p-cheese' "
            "AND status IN ('ACTIVE', 'COMMITTED')")).scalar_one()
        moved = uow.conn.execute(text(
            "SELECT COALESCE(SUM(delta_milli), 0) FROM stock_movements WHERE product_id = 'p-cheese'")).scalar_one()
    assert active == SCARCE_UNITS * 1000  # every unit held or sold exactly once
    assert moved == on_hand
    with till.ctx.uow(read_only=True) as uow:
        receipts = uow.sales.receipts_of_day("2026-03-02")
    assert receipts == [f"S001-T01-20260302-{n:04d}" for n in range(1, sold + 1)]  # no gap, no clash
    assert audit.verify(till.ctx).ok  # one chain, no fork, though two processes appended to it


def test_resuming_a_parked_sale_whose_stock_was_taken_is_refused(open_till_):
    till, ctx = open_till_, open_till_.ctx
    set_stock(till, "p-cheese", 1000)
    parked = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, parked, "anna", BARCODES["cheese"])
    cart_lifecycle.park(ctx, parked, "anna", "back in a minute")
    till.clock.advance(minutes=40)
    other = cart_lifecycle.start_cart(ctx, "ben")
    cart_lines.add_item(ctx, other, "ben", BARCODES["cheese"])
    with pytest.raises(StockError, match="Not enough Comté cheese"):
        cart_lifecycle.resume(ctx, parked, "anna")
    assert cart_lifecycle.get_cart(ctx, parked).parked
    assert figures(ctx, "p-cheese") == (1000, 1000)
