"""Building a cart: scans, weights, quantities, discounts, price overrides, park/resume, cancel."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.usecases import cart_discounts, cart_editing, cart_lifecycle, cart_lines, checkout, shifts
from kernel.errors import InvalidInput, PermissionDenied, StateError
from tests.support.till import BARCODES


@pytest.fixture
def open_till(till):
    shifts.open_shift(till.ctx, "anna", 0)
    return till


def audit_types(till):
    with till.ctx.uow(read_only=True) as uow:
        return [r[0] for r in uow.conn.execute(text("SELECT type FROM audit_log ORDER BY seq"))]


def last_entry(till):
    with till.ctx.uow(read_only=True) as uow:
        return json.loads(uow.conn.execute(text("SELECT body FROM audit_log ORDER BY seq DESC LIMIT 1")).scalar_one())


def reserved(till, product_id):
    with till.ctx.uow(read_only=True) as uow:
        return uow.stock.on_hand(product_id) - uow.stock.available(product_id, till.ctx.now_iso())


def test_scanning_the_same_piece_item_adds_to_its_line(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    first = cart_lines.add_item(ctx, c, "anna", BARCODES["milk"])
    second = cart_lines.add_item(ctx, c, "anna", BARCODES["milk"])
    assert first.id == second.id
    state = cart_lifecycle.get_cart(ctx, c)
    assert [(ln.sku, ln.qty_milli) for ln in state.lines] == [("MILK1", 2000)]
    assert reserved(open_till, "p-milk") == 2000
    assert cart_editing.price(ctx, state).gross == 238


def test_typed_sku_and_lines_keep_their_order(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", "BREAD")
    cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    cart_lines.add_item(ctx, c, "anna", " MILK1 ")
    assert [(ln.position, ln.sku) for ln in cart_lifecycle.get_cart(ctx, c).lines] == [
        (1, "BREAD"), (2, "CHEESE"), (3, "MILK1")]


def test_weighed_items_need_a_weight(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    with pytest.raises(InvalidInput, match="scale"):
        cart_lines.add_item(ctx, c, "anna", "APPLE")
    line = cart_lines.add_item(ctx, c, "anna", "APPLE", qty_milli=1234, weight_source="scale")
    assert line.qty_milli == 1234
    assert cart_editing.price(ctx, cart_lifecycle.get_cart(ctx, c)).gross == 369  # 1.234 kg x 2.99 = 3.68966


def test_a_typed_weight_needs_a_supervisor_and_is_audited(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    with pytest.raises(PermissionDenied, match="type a weight by hand"):
        cart_lines.add_item(ctx, c, "anna", "APPLE", qty_milli=500)
    assert cart_lifecycle.get_cart(ctx, c).lines == ()
    cart_lines.add_item(ctx, c, "anna", "APPLE", qty_milli=500, approval=open_till.approval("scale broken"))
    types = audit_types(open_till)
    assert types[-2:] == ["override.granted", "cart.line_added"]


def test_weighed_lines_never_merge(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", "APPLE", qty_milli=1000, weight_source="scale")
    cart_lines.add_item(ctx, c, "anna", "APPLE", qty_milli=500, weight_source="scale")
    assert [ln.qty_milli for ln in cart_lifecycle.get_cart(ctx, c).lines] == [1000, 500]


def test_raising_a_quantity_is_free_lowering_it_needs_a_supervisor(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, c, "anna", BARCODES["bread"])
    cart_lines.set_quantity(ctx, c, line.id, "anna", 4000)
    assert cart_lifecycle.get_cart(ctx, c).lines[0].qty_milli == 4000
    assert reserved(open_till, "p-bread") == 4000
    with pytest.raises(PermissionDenied):
        cart_lines.set_quantity(ctx, c, line.id, "anna", 1000)
    assert cart_lifecycle.get_cart(ctx, c).lines[0].qty_milli == 4000
    cart_lines.set_quantity(ctx, c, line.id, "anna", 1000, approval=open_till.approval())
    assert cart_lifecycle.get_cart(ctx, c).lines[0].qty_milli == 1000
    assert reserved(open_till, "p-bread") == 1000
    assert last_entry(open_till)["data"]["approved_by"] == "sofia"


def test_removing_a_line_needs_a_supervisor_and_frees_its_stock(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    with pytest.raises(PermissionDenied, match="remove a line"):
        cart_lines.remove_line(ctx, c, line.id, "anna")
    cart_lines.remove_line(ctx, c, line.id, "anna", approval=open_till.approval())
    assert cart_lifecycle.get_cart(ctx, c).lines == ()
    assert reserved(open_till, "p-cheese") == 0
    assert audit_types(open_till)[-2:] == ["override.granted", "cart.line_voided"]


def test_a_supervisor_removes_a_line_without_an_override(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "sofia")
    line = cart_lines.add_item(ctx, c, "sofia", BARCODES["cheese"])
    cart_lines.remove_line(ctx, c, line.id, "sofia")
    assert audit_types(open_till)[-1] == "cart.line_voided"


def test_discounts_up_to_the_cashier_limit_need_no_approval(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    cart_discounts.set_line_discount(ctx, c, line.id, "anna", percent="10")
    state = cart_lifecycle.get_cart(ctx, c)
    assert state.lines[0].discount_percent == Decimal("10")
    assert cart_editing.price(ctx, state).gross == 1161
    with pytest.raises(PermissionDenied, match="discount this large"):
        cart_discounts.set_line_discount(ctx, c, line.id, "anna", percent="10.01")
    with pytest.raises(PermissionDenied, match="discount this large"):
        cart_discounts.set_line_discount(ctx, c, line.id, "anna", amount=130)
    cart_discounts.set_line_discount(ctx, c, line.id, "anna", amount=129)
    cart_discounts.set_line_discount(ctx, c, line.id, "anna", percent="50", approval=open_till.approval("damaged"))
    assert cart_editing.price(ctx, cart_lifecycle.get_cart(ctx, c)).gross == 645


def test_subtotal_discount_is_spread_over_the_lines(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    cart_lines.add_item(ctx, c, "anna", BARCODES["bread"])
    cart_discounts.set_subtotal_discount(ctx, c, "anna", amount=100)
    priced = cart_editing.price(ctx, cart_lifecycle.get_cart(ctx, c))
    assert priced.subtotal_discount == 100
    assert priced.gross == 1290 + 349 - 100
    assert sum(ln.subtotal_share for ln in priced.lines) == 100
    with pytest.raises(PermissionDenied):
        cart_discounts.set_subtotal_discount(ctx, c, "anna", percent="20")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"percent": "101"}, "between 0 and 100"), ({"percent": "-5"}, "between 0 and 100"),
     ({"percent": "5.001"}, "2 decimals"), ({"percent": "abc"}, "not a percentage"),
     ({"percent": "NaN"}, "between 0 and 100"), ({"amount": -1}, "negative"),
     ({"percent": "5", "amount": 10}, "not both")],
)
def test_bad_discounts_are_refused(open_till, kwargs, message):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    with pytest.raises(InvalidInput, match=message):
        cart_discounts.set_line_discount(ctx, c, line.id, "anna", **kwargs)
    assert cart_lifecycle.get_cart(ctx, c).lines[0].discount_percent == 0


def test_a_price_override_needs_a_supervisor(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    with pytest.raises(PermissionDenied, match="change a price"):
        cart_discounts.override_price(ctx, c, line.id, "anna", 999)
    cart_discounts.override_price(ctx, c, line.id, "anna", 999, approval=open_till.approval("price tag"))
    state = cart_lifecycle.get_cart(ctx, c)
    assert (state.lines[0].unit_price, state.lines[0].price_overridden) == (999, True)
    # a new scan of the same product starts its own line at the list price
    cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    assert [ln.unit_price for ln in cart_lifecycle.get_cart(ctx, c).lines] == [999, 1290]


def test_park_and_resume(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    with pytest.raises(StateError, match="empty"):
        cart_lifecycle.park(ctx, c, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["bread"])
    cart_lifecycle.park(ctx, c, "anna", label="Mrs Smith\x07 forgot her purse")
    state = cart_lifecycle.get_cart(ctx, c)
    assert state.parked and state.label == "Mrs Smith forgot her purse"
    with pytest.raises(StateError, match="parked"):
        cart_lines.add_item(ctx, c, "anna", BARCODES["bread"])
    with pytest.raises(StateError, match="parked"):
        checkout.add_payment(ctx, c, "anna", "cash", 1000)
    other = cart_lifecycle.start_cart(ctx, "ben")  # the till keeps selling meanwhile
    cart_lines.add_item(ctx, other, "ben", BARCODES["milk"])
    checkout.add_payment(ctx, other, "ben", "cash", 200)
    resumed = cart_lifecycle.resume(ctx, c, "ben")
    assert not resumed.parked and resumed.user_id == "ben"
    cart_lines.add_item(ctx, c, "ben", BARCODES["bread"])
    assert checkout.add_payment(ctx, c, "ben", "cash", 1000).status == "COMPLETED"
    with pytest.raises(StateError, match="not parked"):
        cart_lifecycle.resume(ctx, c, "ben")


def test_resume_after_expiry_takes_the_stock_again(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["bread"])
    cart_lifecycle.park(ctx, c, "anna")
    open_till.clock.advance(minutes=45)
    assert cart_lifecycle.release_expired(ctx) == 1
    assert reserved(open_till, "p-bread") == 0
    cart_lifecycle.resume(ctx, c, "anna")
    assert reserved(open_till, "p-bread") == 1000


def test_cancel_needs_approval_only_with_items(open_till):
    ctx = open_till.ctx
    empty = cart_lifecycle.start_cart(ctx, "anna")
    cart_lifecycle.cancel(ctx, empty, "anna")
    assert cart_lifecycle.get_cart(ctx, empty).status == "CANCELLED"
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    with pytest.raises(PermissionDenied, match="cancel a sale"):
        cart_lifecycle.cancel(ctx, c, "anna")
    assert reserved(open_till, "p-cheese") == 1000
    cart_lifecycle.cancel(ctx, c, "anna", approval=open_till.approval("customer left"))
    assert cart_lifecycle.get_cart(ctx, c).status == "CANCELLED"
    assert reserved(open_till, "p-cheese") == 0
    with pytest.raises(StateError):
        cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    with pytest.raises(StateError):
        cart_lifecycle.cancel(ctx, c, "anna")


def test_items_cannot_change_once_a_payment_is_taken(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    checkout.add_payment(ctx, c, "anna", "card", 500)
    with pytest.raises(StateError, match="Payments were already taken"):
        cart_lines.add_item(ctx, c, "anna", BARCODES["milk"])
    with pytest.raises(StateError, match="Payments were already taken"):
        cart_discounts.set_line_discount(ctx, c, line.id, "anna", percent="5")
    with pytest.raises(StateError, match="Payments were"):
        cart_lifecycle.cancel(ctx, c, "anna", approval=open_till.approval())


def test_an_inactive_product_is_not_sold(open_till):
    ctx = open_till.ctx
    with ctx.uow() as uow:
        uow.conn.execute(text("UPDATE products SET active = 0 WHERE id = 'p-bread'"))
        uow.commit()
    c = cart_lifecycle.start_cart(ctx, "anna")
    with pytest.raises(StateError, match="no longer sold"):
        cart_lines.add_item(ctx, c, "anna", BARCODES["bread"])


def test_a_weight_cannot_be_typed_in_through_a_quantity_change(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, c, "anna", "APPLE", qty_milli=1000, weight_source="scale")
    with pytest.raises(PermissionDenied, match="type a weight by hand"):
        cart_lines.set_quantity(ctx, c, line.id, "anna", 5000)
    assert cart_lifecycle.get_cart(ctx, c).lines[0].qty_milli == 1000
    cart_lines.set_quantity(ctx, c, line.id, "anna", 1200, approval=open_till.approval("scale froze"))
    assert cart_lifecycle.get_cart(ctx, c).lines[0].qty_milli == 1200
    assert audit_types(open_till)[-2:] == ["override.granted", "cart.qty_changed"]
