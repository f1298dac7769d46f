"""Seed 003's `stock.reserved` and `stock.released`, batched per cart: a scan writes only its
cart.line_added entry (the scan path stays one entry per scan); a cart's holds are listed when
they outlive its editing (parked, resumed) and when a cancel releases them, in that action's
transaction."""

from __future__ import annotations

import json

from sqlalchemy import text

from app.usecases import audit, cart_lifecycle, cart_lines, shifts
from tests.support.till import BARCODES


def entries(ctx, *types):
    with ctx.uow(read_only=True) as uow:
        rows = uow.conn.execute(text("SELECT body FROM audit_log ORDER BY seq"))
        return [e for e in (json.loads(r[0]) for r in rows) if e["type"] in types]


def product_id(ctx, sku):
    with ctx.uow(read_only=True) as uow:
        return uow.catalogue.by_sku(sku).id


def test_scans_write_no_stock_entry_a_park_lists_the_cart_holds(till):
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    cart = cart_lifecycle.start_cart(ctx, "anna")
    for code in ("milk", "milk", "bread"):
        cart_lines.add_item(ctx, cart, "anna", BARCODES[code])
    assert entries(ctx, "stock.reserved", "stock.released") == []
    till.clock.advance(minutes=1)
    cart_lifecycle.park(ctx, cart, "anna", "blue coat")
    [parked, reserved] = entries(ctx, "cart.parked", "stock.reserved")
    assert reserved["seq"] == parked["seq"] + 1 and reserved["actor"] == "anna"
    data = reserved["data"]
    assert (data["cart_id"], data["reason"]) == (cart, "parked")
    milk, bread = (line.sku for line in cart_lifecycle.get_cart(ctx, cart).lines)
    assert [(h["sku"], h["qty"]) for h in data["holds"]] == [(milk, "2.000"), (bread, "1.000")]
    assert data["holds"][0]["product_id"] == product_id(ctx, milk)
    assert all(h["expires_at"] == "2026-03-02T09:30:00.000000Z" for h in data["holds"])  # 30 min after the scans
    cart_lifecycle.resume(ctx, cart, "anna")
    again = entries(ctx, "stock.reserved")[-1]["data"]
    assert again["reason"] == "resumed" and [h["qty"] for h in again["holds"]] == ["2.000", "1.000"]
    assert audit.verify(ctx).ok


def test_a_cancel_releases_the_holds_in_its_transaction(till):
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    cart = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, cart, "anna", BARCODES["cheese"])
    cart_lifecycle.cancel(ctx, cart, "anna", approval=till.approval())
    [cancelled, released] = entries(ctx, "cart.cancelled", "stock.released")
    assert released["seq"] == cancelled["seq"] + 1
    assert released["data"]["count"] == 1 and released["data"]["reason"] == "cancelled"
    assert released["data"]["cart_id"] == cart and released["data"]["holds"][0]["qty"] == "1.000"
    with ctx.uow(read_only=True) as uow:
        left = uow.conn.execute(text("SELECT count(*) FROM stock_reservations WHERE status = 'ACTIVE'")).scalar_one()
    assert left == 0


def test_an_empty_cart_cancelled_releases_nothing_and_writes_nothing(till):
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    cart = cart_lifecycle.start_cart(ctx, "anna")
    cart_lifecycle.cancel(ctx, cart, "anna")
    assert entries(ctx, "stock.released", "cart.cancelled") == []
