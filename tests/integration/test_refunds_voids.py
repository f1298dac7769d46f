"""Voids within the sale's own shift, refunds against the original receipt: new records, never
edits; a refund never returns more than was sold, across every earlier refund."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.usecases import (
    audit,
    cart_customer,
    cart_discounts,
    cart_lifecycle,
    cart_lines,
    checkout,
    customers,
    returns,
    shifts,
)
from kernel.errors import InvalidInput, NotFound, PermissionDenied, StateError
from tests.support.till import BARCODES


@pytest.fixture
def open_till(till):
    shifts.open_shift(till.ctx, "anna", 10000)
    return till


def sell(till, codes, pay, user="anna", customer=None):
    ctx = till.ctx
    c = cart_lifecycle.start_cart(ctx, user)
    for code in codes:
        cart_lines.add_item(ctx, c, user, BARCODES[code])
    if customer:
        cart_customer.attach_customer(ctx, c, user, customer)
    result = None
    for method, amount in pay:
        result = checkout.add_payment(ctx, c, user, method, amount)
    assert result.status == "COMPLETED"
    return result.sale


def on_hand(till, product_id):
    with till.ctx.uow(read_only=True) as uow:
        return uow.stock.on_hand(product_id)


def expected_cash(till):
    with till.ctx.uow(read_only=True) as uow:
        return uow.shifts.expected_cash(uow.shifts.open_shift().id)


def next_shift(till, user="ben"):
    shifts.close_shift(till.ctx, shifts.current_shift(till.ctx).user_id, expected_cash(till))
    till.clock.advance(hours=1)
    shifts.open_shift(till.ctx, user, 10000)


def test_void_in_the_same_shift(open_till):
    ctx = open_till.ctx
    sale = sell(open_till, ["cheese"], [("cash", 2000)])
    assert on_hand(open_till, "p-cheese") == 49_000
    with pytest.raises(PermissionDenied, match="void a sale"):
        returns.void_sale(ctx, sale.receipt_no, "anna", "wrong customer")
    with pytest.raises(InvalidInput, match="Say why"):
        returns.void_sale(ctx, sale.receipt_no, "anna", "  ", approval=open_till.approval())
    void = returns.void_sale(ctx, sale.receipt_no, "anna", "wrong customer", approval=open_till.approval())
    assert void.approved_by == "sofia" and void.sale_id == sale.id
    assert on_hand(open_till, "p-cheese") == 50_000
    assert expected_cash(open_till) == 10000  # the voided sale's cash is not expected in the drawer
    with open_till.ctx.uow(read_only=True) as uow:
        data = json.loads(uow.audit.body(void.audit_seq))
        assert uow.sales.sale(sale.id) == sale  # the sale itself is untouched
    assert data["type"] == "sale.voided"
    assert {"sale_id", "receipt_no", "gross", "approved_by", "business_date"} <= set(data["data"])
    assert data["data"]["gross"] == "12.90"
    with pytest.raises(StateError, match="already voided"):
        returns.void_sale(ctx, sale.receipt_no, "sofia", "again")
    with pytest.raises(StateError, match="voided"):
        returns.refund(ctx, sale.receipt_no, "sofia", [(sale.lines[0].id, 1000)])
    assert audit.verify(ctx).ok


def test_a_sale_of_an_earlier_shift_cannot_be_voided(open_till):
    sale = sell(open_till, ["milk"], [("cash", 200)])
    next_shift(open_till)
    with pytest.raises(StateError, match="earlier shift: give a refund"):
        returns.void_sale(open_till.ctx, sale.receipt_no, "sofia", "late")


def test_refund_in_parts_never_returns_more_than_was_sold(open_till):
    ctx = open_till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    cart_lines.set_quantity(ctx, c, line.id, "anna", 3000)
    cart_discounts.set_line_discount(ctx, c, line.id, "anna", amount=100)
    sale = checkout.add_payment(ctx, c, "anna", "card", 3770).sale
    sold = sale.lines[0]
    assert sold.gross == 3770
    parts = [returns.refund(ctx, sale.receipt_no, "anna", [(sold.id, 1000)], approval=open_till.approval())
             for _ in range(3)]
    assert sum(p.gross for p in parts) == sold.gross
    assert sum(p.net for p in parts) == sold.net and sum(p.tax for p in parts) == sold.tax
    assert sum(p.lines[0].discount for p in parts) == sold.discount
    with pytest.raises(InvalidInput, match="Only 0 of Comté cheese can still be returned"):
        returns.refund(ctx, sale.receipt_no, "sofia", [(sold.id, 1000)])
    assert on_hand(open_till, "p-cheese") == 50_000
    # refunds go back to the card that paid, never more than it took
    assert all(p.payments[0].method == "card" for p in parts)
    assert sum(p.payments[0].amount for p in parts) == 3770
    assert audit.verify(ctx).ok


def test_refund_beyond_what_was_sold_in_one_go(open_till):
    ctx = open_till.ctx
    sale = sell(open_till, ["milk", "milk"], [("cash", 500)])
    line = sale.lines[0]
    with pytest.raises(InvalidInput, match="Only 2 of Milk 1L"):
        returns.refund(ctx, sale.receipt_no, "sofia", [(line.id, 3000)])
    with pytest.raises(InvalidInput, match="Only 2"):  # the same line twice in one request
        returns.refund(ctx, sale.receipt_no, "sofia", [(line.id, 2000), (line.id, 1000)])
    with pytest.raises(InvalidInput, match="more than zero"):
        returns.refund(ctx, sale.receipt_no, "sofia", [(line.id, 0)])
    with pytest.raises(InvalidInput, match="more than zero"):
        returns.refund(ctx, sale.receipt_no, "sofia", [(line.id, -1000)])
    with pytest.raises(NotFound, match="not on this receipt"):
        returns.refund(ctx, sale.receipt_no, "sofia", [("someone-else:1", 1000)])
    with pytest.raises(NotFound, match="No sale"):
        returns.refund(ctx, "S001-T01-20260302-9999", "sofia", [(line.id, 1000)])
    with pytest.raises(InvalidInput, match="at least one"):
        returns.refund(ctx, sale.receipt_no, "sofia", [])
    with pytest.raises(PermissionDenied, match="give a refund"):
        returns.refund(ctx, sale.receipt_no, "anna", [(line.id, 1000)])


def test_refund_of_a_split_sale_goes_back_newest_method_first(open_till):
    ctx = open_till.ctx
    sale = sell(open_till, ["cheese", "bread"], [("card", 1000), ("cash", 1000)])  # 16.39, change 3.61
    cash_taken = 1000 - sale.change  # 6.39 net of change
    refund = returns.refund(ctx, sale.receipt_no, "sofia",
                            [(sale.lines[0].id, 1000), (sale.lines[1].id, 1000)])
    assert refund.gross == 1639
    assert {(p.method, p.amount) for p in refund.payments} == {("cash", cash_taken), ("card", 1000)}


def test_refund_in_cash_and_the_drawer_adds_up(open_till):
    ctx = open_till.ctx
    sale = sell(open_till, ["cheese"], [("card", 1290)])
    refund = returns.refund(ctx, sale.receipt_no, "sofia", [(sale.lines[0].id, 1000)], to="cash")
    assert [(p.method, p.amount) for p in refund.payments] == [("cash", 1290)]
    assert refund.receipt_no == "S001-T01-20260302-0002"  # refunds share the gap-free numbering
    assert expected_cash(open_till) == 10000 - 1290
    with pytest.raises(StateError, match="has refunds"):
        returns.void_sale(ctx, sale.receipt_no, "sofia", "oops")
    with pytest.raises(InvalidInput, match="original payment or in cash"):
        returns.refund(ctx, sale.receipt_no, "sofia", [(sale.lines[0].id, 1000)], to="bitcoin")


def test_refund_in_a_later_shift_by_receipt_or_sale_id(open_till):
    ctx = open_till.ctx
    sale = sell(open_till, ["bread", "milk"], [("cash", 1000)])
    next_shift(open_till)
    r1 = returns.refund(ctx, sale.receipt_no, "sofia", [(sale.lines[0].id, 1000)])
    r2 = returns.refund(ctx, f"  {sale.id} ", "sofia", [(sale.lines[1].id, 1000)])
    assert r1.original_sale_id == r2.original_sale_id == sale.id
    assert r1.shift_id != sale.shift_id
    with ctx.uow(read_only=True) as uow:
        body = json.loads(uow.audit.body(r1.audit_seq))
    assert body["type"] == "refund.completed"
    assert {"refund_id", "original_sale_id", "receipt_no", "lines", "net", "tax", "gross", "payments",
            "approved_by", "business_date"} <= set(body["data"])
    assert body["data"]["gross"] == "3.49" and body["data"]["approved_by"] == "sofia"
    assert audit.verify(ctx).ok


def test_void_and_refund_of_an_account_sale_credit_the_customer(open_till):
    ctx = open_till.ctx
    first = sell(open_till, ["cheese"], [("account", 1290)], customer="c-1")
    second = sell(open_till, ["bread"], [("account", 349)], customer="c-1")
    assert customers.credit_status(ctx, "c-1").balance == 1639
    returns.void_sale(ctx, first.receipt_no, "sofia", "wrong account")
    assert customers.credit_status(ctx, "c-1").balance == 349
    refund = returns.refund(ctx, second.receipt_no, "sofia", [(second.lines[0].id, 1000)])
    assert [(p.method, p.amount) for p in refund.payments] == [("account", 349)]
    assert customers.credit_status(ctx, "c-1").balance == 0


def test_voids_and_refunds_are_insert_only(open_till):
    ctx = open_till.ctx
    sale = sell(open_till, ["milk"], [("cash", 200)])
    returns.void_sale(ctx, sale.receipt_no, "sofia", "test")
    with ctx.uow(read_only=True) as uow:
        n_sales = uow.conn.execute(text("SELECT COUNT(*) FROM sales")).scalar_one()
        n_voids = uow.conn.execute(text("SELECT COUNT(*) FROM sale_voids")).scalar_one()
    assert (n_sales, n_voids) == (1, 1)


@pytest.mark.parametrize(("tax_mode", "tax_rounding"),
                         [("inclusive", "line"), ("inclusive", "receipt"), ("exclusive", "line"),
                          ("exclusive", "receipt")])
def test_refunding_everything_in_pieces_returns_the_sale_to_the_cent(tmp_path, tax_mode, tax_rounding):
    from app.bootstrap import reload_settings
    from tests.support.till import make_till

    till = make_till(tmp_path / "t")
    with till.ctx.uow() as uow:
        uow.settings.set("tax_mode", tax_mode)
        uow.settings.set("tax_rounding", tax_rounding)
        uow.commit()
    ctx = till.ctx = reload_settings(till.ctx)
    shifts.open_shift(ctx, "sofia", 0)
    c = cart_lifecycle.start_cart(ctx, "sofia")
    cheese = cart_lines.add_item(ctx, c, "sofia", BARCODES["cheese"])
    cart_lines.set_quantity(ctx, c, cheese.id, "sofia", 3000)
    cart_lines.add_item(ctx, c, "sofia", BARCODES["milk"])
    cart_lines.add_item(ctx, c, "sofia", "APPLE", qty_milli=1234, weight_source="scale")
    cart_discounts.set_line_discount(ctx, c, cheese.id, "sofia", amount=101)
    cart_discounts.set_subtotal_discount(ctx, c, "sofia", percent="7.5")
    sale = checkout.add_payment(ctx, c, "sofia", "card", checkout.amount_due(ctx, c).due).sale
    assert sum(ln.gross for ln in sale.lines) == sale.gross
    cheese_id, milk_id, apple_id = (ln.id for ln in sale.lines)
    refunds = [returns.refund(ctx, sale.receipt_no, "sofia", [(line_id, qty)])
               for line_id, qty in ((cheese_id, 1000), (apple_id, 500), (cheese_id, 1000), (milk_id, 1000),
                                    (apple_id, 734), (cheese_id, 1000))]
    assert sum(r.net for r in refunds) == sale.net
    assert sum(r.tax for r in refunds) == sale.tax
    assert sum(r.gross for r in refunds) == sale.gross
    assert sum(p.amount for r in refunds for p in r.payments) == sale.gross
    with pytest.raises(InvalidInput, match="Only 0"):
        returns.refund(ctx, sale.receipt_no, "sofia", [(apple_id, 1)])
    assert audit.verify(ctx).ok


def test_a_refused_refund_is_recorded_as_rejected(till) -> None:  # type: ignore[no-untyped-def]
    """Seed 003's refund.rejected: who tried to return what on which receipt, and why it was refused."""
    import json
    import sqlite3

    from app.domain.permissions import Approval
    from app.usecases import audit as audit_uc
    from app.usecases import cart_lifecycle, cart_lines, checkout, returns, shifts
    from kernel.errors import ApprovalRequired, InvalidInput, NotFound, PermissionDenied
    from tests.support.till import BARCODES

    shifts.open_shift(till.ctx, "anna", 5_000)
    cart_id = cart_lifecycle.start_cart(till.ctx, "anna")
    cart_lines.add_item(till.ctx, cart_id, "anna", BARCODES["milk"])
    sale = checkout.add_payment(till.ctx, cart_id, "anna", "cash", 500).sale
    line = sale.lines[0].id
    with pytest.raises(InvalidInput, match="can still be returned"):
        returns.refund(till.ctx, sale.receipt_no, "anna", [(line, 5000)], approval=till.approval())
    with pytest.raises(ApprovalRequired):  # asking for a supervisor is not a refusal: nothing recorded
        returns.refund(till.ctx, sale.receipt_no, "anna", [(line, 1000)])
    with pytest.raises(PermissionDenied):
        returns.refund(till.ctx, sale.receipt_no, "anna", [(line, 1000)],
                       approval=Approval("anna", "1111", "checked"))  # a cashier cannot approve herself
    with pytest.raises(NotFound):
        returns.refund(till.ctx, "S001-T01-20260302-9999", "anna", [(line, 1000)], approval=till.approval())
    db = sqlite3.connect(till.data_dir / "till.sqlite")
    rows = [(actor, json.loads(body)["data"]) for actor, body in
            db.execute("SELECT actor, body FROM audit_log WHERE type = 'refund.rejected' ORDER BY seq")]
    db.close()
    assert [actor for actor, _ in rows] == ["anna", "anna"]  # the unknown receipt names no sale: not recorded
    first, second = rows[0][1], rows[1][1]
    assert first["receipt_no"] == sale.receipt_no and first["items"] == [{"sale_line_id": line, "qty": "5.000"}]
    assert "can still be returned" in first["reason"] and second["reason"]
    returns.refund(till.ctx, sale.receipt_no, "anna", [(line, 1000)], approval=till.approval())
    assert audit_uc.verify(till.ctx).ok
