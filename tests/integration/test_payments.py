"""Tendering: split payments, change only in cash, removal of a wrong tender, on-account."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.usecases import audit, cart_customer, cart_lifecycle, cart_lines, checkout, shifts
from kernel.errors import InvalidInput, PermissionDenied, StateError
from tests.support.till import BARCODES


@pytest.fixture
def open_till(till):
    shifts.open_shift(till.ctx, "anna", 5000)
    return till


def new_cart(till, *codes):
    c = cart_lifecycle.start_cart(till.ctx, "anna")
    for code in codes:
        cart_lines.add_item(till.ctx, c, "anna", BARCODES[code])
    return c


def count(till, table):
    with till.ctx.uow(read_only=True) as uow:
        return uow.conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


def test_split_payment_completes_on_the_covering_tender(open_till):
    ctx = open_till.ctx
    c = new_cart(open_till, "cheese", "bread")  # 16.39
    first = checkout.add_payment(ctx, c, "anna", "card", 1000)
    assert first.status == "PARTIAL" and first.sale is None
    assert (first.due.paid, first.due.due) == (1000, 639)
    assert checkout.amount_due(ctx, c).due == 639
    assert count(open_till, "sales") == 0
    second = checkout.add_payment(ctx, c, "anna", "voucher", 300)
    assert second.status == "PARTIAL"
    last = checkout.add_payment(ctx, c, "anna", "cash", 500)
    assert last.status == "COMPLETED" and last.change == 161
    assert [(p.method, p.amount) for p in last.sale.payments] == [("card", 1000), ("voucher", 300), ("cash", 500)]
    assert sum(p.amount for p in last.sale.payments) - last.change == last.sale.gross == 1639


@pytest.mark.parametrize("method", ["card", "voucher", "other"])
def test_only_cash_gives_change(open_till, method):
    ctx = open_till.ctx
    c = new_cart(open_till, "bread")
    with pytest.raises(InvalidInput, match="change is given only in cash"):
        checkout.add_payment(ctx, c, "anna", method, 350)
    assert cart_lifecycle.get_cart(ctx, c).payments == ()
    assert checkout.add_payment(ctx, c, "anna", method, 349).change == 0


def test_card_overpayment_after_a_partial_is_refused(open_till):
    ctx = open_till.ctx
    c = new_cart(open_till, "cheese")
    checkout.add_payment(ctx, c, "anna", "cash", 1000)
    with pytest.raises(InvalidInput, match="2.90 due"):
        checkout.add_payment(ctx, c, "anna", "card", 291)
    done = checkout.add_payment(ctx, c, "anna", "card", 290)
    assert done.status == "COMPLETED" and done.change == 0


def test_cash_change_goes_back_from_the_drawer(open_till):
    ctx = open_till.ctx
    c = new_cart(open_till, "milk")
    result = checkout.add_payment(ctx, c, "anna", "cash", 5000)
    assert result.change == 4881
    closed = shifts.close_shift(ctx, "anna", 5000 + 119)
    assert closed["difference"] == 0


def test_removing_a_tender_needs_a_supervisor(open_till):
    ctx = open_till.ctx
    c = new_cart(open_till, "cheese")
    checkout.add_payment(ctx, c, "anna", "card", 1000)
    payment = cart_lifecycle.get_cart(ctx, c).payments[0]
    with pytest.raises(PermissionDenied):
        checkout.remove_payment(ctx, c, payment.id, "anna")
    checkout.remove_payment(ctx, c, payment.id, "anna", approval=open_till.approval("card declined"))
    state = cart_lifecycle.get_cart(ctx, c)
    assert state.payments == () and state.status == "PENDING"
    # items can change again once the tender is gone
    cart_lines.add_item(ctx, c, "anna", BARCODES["milk"])
    assert checkout.add_payment(ctx, c, "anna", "card", 1409).status == "COMPLETED"


@pytest.mark.parametrize("amount", [0, -100, 1.5, "10.00", True, None])
def test_bad_amounts_are_refused(open_till, amount):
    c = new_cart(open_till, "milk")
    with pytest.raises(InvalidInput, match="more than zero"):
        checkout.add_payment(open_till.ctx, c, "anna", "cash", amount)


@pytest.mark.parametrize("method", ["bitcoin", "CASH", "", "cash; DROP TABLE sales"])
def test_unknown_methods_are_refused(open_till, method):
    c = new_cart(open_till, "milk")
    with pytest.raises(InvalidInput, match="not a payment method"):
        checkout.add_payment(open_till.ctx, c, "anna", method, 100)


def test_paying_an_empty_sale_is_refused(open_till):
    c = cart_lifecycle.start_cart(open_till.ctx, "anna")
    with pytest.raises(StateError, match="no items"):
        checkout.add_payment(open_till.ctx, c, "anna", "cash", 100)


def test_a_completed_sale_takes_no_more_payments(open_till):
    ctx = open_till.ctx
    c = new_cart(open_till, "milk")
    checkout.add_payment(ctx, c, "anna", "cash", 200)
    with pytest.raises(StateError, match="completed"):
        checkout.add_payment(ctx, c, "anna", "cash", 200)
    assert count(open_till, "sales") == 1 and count(open_till, "sale_payments") == 1


def test_on_account_needs_a_customer(open_till):
    ctx = open_till.ctx
    c = new_cart(open_till, "milk")
    with pytest.raises(StateError, match="Choose the customer"):
        checkout.add_payment(ctx, c, "anna", "account", 119)
    cart_customer.attach_customer(ctx, c, "anna", "c-1")
    sale = checkout.add_payment(ctx, c, "anna", "account", 119).sale
    assert sale.customer_id == "c-1" and sale.payments[0].method == "account"
    assert audit.verify(ctx).ok


def test_cash_rounding_with_a_card_part(tmp_path):
    from tests.support.till import make_till

    till = make_till(tmp_path / "t", cash_rounding=5)
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    cart_lines.add_item(ctx, c, "anna", BARCODES["milk"])  # 14.09
    checkout.add_payment(ctx, c, "anna", "card", 1000)
    due = checkout.amount_due(ctx, c)
    assert (due.due, due.due_in_cash) == (409, 410)
    done = checkout.add_payment(ctx, c, "anna", "cash", 410)
    assert done.status == "COMPLETED"
    assert (done.sale.gross, done.sale.rounding, done.change) == (1410, 1, 0)
    assert sum(p.amount for p in done.sale.payments) - done.change == done.sale.gross
    assert audit.verify(ctx).ok
