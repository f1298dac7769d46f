"""Every rejected action says why in words a cashier understands and leaves the database as it
was: a dump of every table is compared before and after each refusal."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from app.bootstrap import DB_NAME
from app.domain.permissions import Approval
from app.usecases import cart_customer, cart_discounts, cart_lifecycle, cart_lines, checkout, customers, returns, shifts
from kernel.errors import DomainError
from kernel.money import AmountError, parse_money, parse_qty
from tests.support.till import BARCODES, make_till

SQLISH = "'; DROP TABLE sales; --"


@pytest.fixture
def scene(tmp_path_factory):
    """A till with an open shift, one finished sale and one cart in progress."""
    till = make_till(tmp_path_factory.mktemp("bad") / "till")
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 1000)
    done = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, done, "anna", BARCODES["milk"])
    cart_lines.add_item(ctx, done, "anna", BARCODES["milk"])
    sale = checkout.add_payment(ctx, done, "anna", "cash", 500).sale
    open_cart = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, open_cart, "anna", BARCODES["cheese"])
    apples = cart_lines.add_item(ctx, open_cart, "anna", "APPLE", qty_milli=1000, weight_source="scale")
    cart_customer.attach_customer(ctx, open_cart, "anna", "c-1")
    return till, sale, open_cart, line, apples


def dump(till) -> list[str]:
    con = sqlite3.connect(till.data_dir / DB_NAME)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def refused(till, action, message, errors=(DomainError, AmountError), recorded=None):
    """The action is refused with a sentence and changes nothing, except the one audit entry of
    type `recorded` a refusal itself writes (a refused refund is `refund.rejected`)."""
    before = dump(till)
    with pytest.raises(errors, match=message) as info:
        action()
    text = str(info.value)
    assert not text[:1].islower() and text.rstrip()[-1] in ".:)", f"not a sentence: {text!r}"
    assert "Traceback" not in text and "sqlite" not in text.lower()
    after = dump(till)
    if recorded is not None:
        added = [line for line in after if line not in before]
        assert len(added) == 1 and added[0].startswith('INSERT INTO "audit_log"') and f"'{recorded}'" in added[0]
        after = [line for line in after if line != added[0]]
    assert after == before, "a refused action changed the database"
    return text


def test_quantities(scene):
    till, _sale, c, line, apples = scene
    ctx = till.ctx
    cases = [
        (lambda: cart_lines.add_item(ctx, c, "anna", BARCODES["bread"], qty_milli=-1000), "more than zero"),
        (lambda: cart_lines.add_item(ctx, c, "anna", BARCODES["bread"], qty_milli=0), "more than zero"),
        (lambda: cart_lines.add_item(ctx, c, "anna", BARCODES["bread"], qty_milli=10**12),
         "more than one line may hold"),
        (lambda: cart_lines.add_item(ctx, c, "anna", BARCODES["bread"], qty_milli=1500), "whole number"),
        (lambda: cart_lines.add_item(ctx, c, "anna", "APPLE", qty_milli=1500.0, weight_source="scale"), "exactly"),
        (lambda: cart_lines.add_item(ctx, c, "anna", "APPLE", qty_milli=True, weight_source="scale"), "exactly"),
        (lambda: cart_lines.add_item(ctx, c, "anna", "APPLE", qty_milli=Decimal("1.5"), weight_source="scale"),
         "exactly"),
        (lambda: cart_lines.set_quantity(ctx, c, line.id, "anna", -5000), "more than zero"),
        (lambda: cart_lines.set_quantity(ctx, c, line.id, "anna", 10_000_000), "more than one line may hold"),
        (lambda: cart_lines.set_quantity(ctx, c, apples.id, "anna", 2000.5), "exactly"),
        (lambda: cart_lines.set_quantity(ctx, c, line.id, "anna", 10**9 * 1000), "more than one line may hold"),
        (lambda: parse_qty("1.0001"), "more than 3 decimals"),
        (lambda: parse_qty("-"), "not a valid quantity"),
    ]
    for action, message in cases:
        refused(till, action, message)


def test_zero_price_without_permission(scene):
    till, _sale, c, line, _apples = scene
    ctx = till.ctx
    refused(till, lambda: cart_lines.add_item(ctx, c, "anna", BARCODES["free"]), "sell at a zero price")
    refused(till, lambda: cart_discounts.override_price(ctx, c, line.id, "anna", 0), "sell at a zero price")
    refused(till, lambda: cart_discounts.override_price(ctx, c, line.id, "anna", -1), "negative")
    refused(till, lambda: cart_lines.add_item(ctx, c, "anna", BARCODES["free"],
                                        approval=Approval("nobody", "0000", "x")), "PIN is not right")


def test_codes(scene):
    till, _sale, c, _line, _apples = scene
    ctx = till.ctx
    cases = [
        ("4006381333948", "No product has the code 4006381333948"),  # valid check digit, not sold here
        ("4006381333932", "wrong check digit"),
        ("20000004", "No product"),
        ("NOPE-42", "No product has the code NOPE-42"),
        (SQLISH, "No product"),
        ("\" OR 1=1 --", "No product"),
        ("", "cannot be read"),
        ("   ", "cannot be read"),
        ("4006381333931\x00", "cannot be read"),
        ("\x1b[2J\x1b[H", "cannot be read"),
        ("MILK1\x7f", "cannot be read"),
        ("9" * 41, "cannot be read"),
    ]
    for code, message in cases:
        refused(till, lambda code=code: cart_lines.add_item(ctx, c, "anna", code), message)


def test_amounts(scene):
    till, sale, c, _line, _apples = scene
    ctx = till.ctx
    cases = [
        (lambda: parse_money("12.505", 2), "more than 2 decimals"),
        (lambda: parse_money("1.5", 0), "more than 0 decimals"),
        (lambda: parse_money(12.5), "exactly"),
        (lambda: checkout.add_payment(ctx, c, "anna", "cash", Decimal("12.505")), "more than zero"),
        (lambda: checkout.add_payment(ctx, c, "anna", "cash", -500), "more than zero"),
        (lambda: checkout.add_payment(ctx, c, "anna", "card", 10**9), "change is given only in cash"),
        (lambda: checkout.add_payment(ctx, c, "anna", "voucher", 1590), "change is given only in cash"),
        (lambda: checkout.add_payment(ctx, c, "anna", SQLISH, 100), "not a payment method"),
        (lambda: checkout.add_payment(ctx, c, "anna", "account", 10**6), "change is given only in cash"),
        (lambda: shifts.cash_out(ctx, "anna", 10**8, "bank", approval=till.approval()), "not that much cash"),
        (lambda: shifts.cash_in(ctx, "anna", 0, "bank"), "more than zero"),
        (lambda: customers.take_account_payment(ctx, "c-1", "anna", -5, "cash"), "more than zero"),
        (lambda: cart_discounts.set_line_discount(ctx, c, _line.id, "anna", percent="1e400"), "between 0 and 100"),
    ]
    for action, message in cases:
        refused(till, action, message)


def test_refunds_beyond_what_was_sold(scene):
    till, sale, _c, _line, _apples = scene
    ctx = till.ctx
    line = sale.lines[0]
    ok = till.approval()
    cases = [
        (lambda: returns.refund(ctx, sale.receipt_no, "anna", [(line.id, 3000)], approval=ok), "Only 2 of Milk 1L"),
        (lambda: returns.refund(ctx, sale.receipt_no, "anna", [(line.id, 1500)], approval=ok), "by the piece"),
        (lambda: returns.refund(ctx, sale.receipt_no, "anna", [(line.id, 1000.0)], approval=ok), "more than zero"),
        (lambda: returns.refund(ctx, sale.receipt_no, "anna", [(line.id, True)], approval=ok), "more than zero"),
        (lambda: returns.refund(ctx, sale.receipt_no, "anna", [(SQLISH, 1000)], approval=ok), "not on this receipt"),
        (lambda: returns.refund(ctx, SQLISH, "anna", [(line.id, 1000)], approval=ok), "No sale"),
        (lambda: returns.void_sale(ctx, "1' OR '1'='1", "anna", "x", approval=ok), "No sale"),
    ]
    for action, message in cases[:2] + cases[4:5]:  # against the real receipt: the refusal is recorded
        refused(till, action, message, recorded="refund.rejected")
    for action, message in cases[2:4] + cases[5:]:  # malformed, or no such receipt: nothing at all
        refused(till, action, message)


def test_control_characters_in_reasons(scene):
    till, sale, _c, _line, _apples = scene
    ctx = till.ctx
    refused(till, lambda: shifts.cash_in(ctx, "anna", 100, "\x00\x07\x1b"), "Give a reason")
    refused(till, lambda: shifts.no_sale(ctx, "anna", "\t\r\n", approval=till.approval()), "Give a reason")
    refused(till, lambda: returns.void_sale(ctx, sale.receipt_no, "anna", "\x00\x01\x02", approval=till.approval()),
            "Say why")
    text = refused(till, lambda: returns.refund(ctx, "\x1b[2J\x00S001", "anna", [("x", 1000)]), "No sale")
    assert all(ch.isprintable() for ch in text), "a message echoed control characters back"
    refused(till, lambda: returns.void_sale(ctx, sale.receipt_no, "anna", "typo",
                                            approval=Approval("sofia", "9999", "\x00\x1b")), "reason")


def test_search_text_that_looks_like_sql(scene):
    till, _sale, _c, _line, _apples = scene
    before = dump(till)
    with till.ctx.uow(read_only=True) as uow:
        for text in (SQLISH, "\" OR 1=1 --", "milk\" OR \"1", "NEAR(a b)", "*", "sku:MILK1", "^", "\x00", "x" * 5000):
            found = uow.catalogue.search(text)
            assert all(p.active for p in found)
        assert [p.sku for p in uow.catalogue.search("milk'; DROP TABLE products; --")] == []
        assert [p.sku for p in uow.catalogue.search("comté")] == ["CHEESE"]
        assert uow.people.customers("%' OR 1=1 --") == []
        assert [c.id for c in uow.people.customers("caf")] == ["c-1"]
    assert dump(till) == before


def test_unknown_people_and_records(scene):
    till, sale, c, _line, _apples = scene
    ctx = till.ctx
    refused(till, lambda: cart_customer.attach_customer(ctx, c, "anna", SQLISH), "customer does not exist")
    refused(till, lambda: cart_lines.add_item(ctx, "no-such-cart", "anna", BARCODES["milk"]), "no longer exists")
    refused(till, lambda: cart_lines.add_item(ctx, c, SQLISH, BARCODES["milk"]), "Log in")
    refused(till, lambda: customers.credit_status(ctx, SQLISH), "customer does not exist")
    refused(till, lambda: shifts.open_shift(ctx, "anna", 0), "already open")


def test_absurd_and_inexact_amounts(scene):
    till, _sale, c, line, _apples = scene
    ctx = till.ctx
    ok = till.approval()
    huge = 10**20  # past SQLite's 64-bit INTEGER
    cases = [
        (lambda: cart_discounts.override_price(ctx, c, line.id, "anna", huge, approval=ok), "too large"),
        (lambda: cart_discounts.override_price(ctx, c, line.id, "anna", 12.5, approval=ok), "exactly"),
        (lambda: cart_discounts.override_price(ctx, c, line.id, "anna", Decimal("12.5"), approval=ok), "exactly"),
        (lambda: checkout.add_payment(ctx, c, "anna", "cash", huge), "too large"),
        (lambda: shifts.cash_in(ctx, "anna", huge, "float"), "too large"),
        (lambda: shifts.cash_out(ctx, "anna", huge, "bank", approval=ok), "too large"),
        (lambda: customers.take_account_payment(ctx, "c-1", "anna", huge, "card"), "too large"),
        (lambda: customers.take_account_payment(ctx, "c-1", "anna", 2.5, "card"), "exactly"),
        (lambda: shifts.close_shift(ctx, "anna", huge), "too large"),
        (lambda: cart_discounts.set_line_discount(ctx, c, line.id, "anna", amount=huge, approval=ok),
         "larger than the line"),
        (lambda: cart_discounts.set_subtotal_discount(ctx, c, "anna", amount=huge, approval=ok),
         "larger than the sale"),
    ]
    for action, message in cases:
        refused(till, action, message)
