"""Customer credit: the limit (a supervisor can override it), blocked accounts (nobody can),
aging buckets 0-30 / 31-60 / 61-90 / 90+, overdue charges, and account payments at the till."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from app.usecases import audit, cart_customer, cart_lifecycle, cart_lines, checkout, customers, shifts
from kernel.errors import CreditError, PermissionDenied
from kernel.records import CustomerInfo
from tests.support.till import BARCODES, START


def on_account(till, customer, code="cheese", qty=1000, amount=None, approval=None, user="anna"):
    ctx = till.ctx
    c = cart_lifecycle.start_cart(ctx, user)
    line = cart_lines.add_item(ctx, c, user, BARCODES[code])
    if qty != 1000:
        cart_lines.set_quantity(ctx, c, line.id, user, qty)
    cart_customer.attach_customer(ctx, c, user, customer)
    due = checkout.amount_due(ctx, c).due
    return c, checkout.add_payment(ctx, c, user, "account", amount or due, approval=approval)


def go_to_day(till, offset):
    """Close the open shift (if any) and open one on START + offset days."""
    ctx = till.ctx
    current = shifts.current_shift(ctx)
    if current is not None:
        with ctx.uow(read_only=True) as uow:
            expected = uow.shifts.expected_cash(current.id)
        shifts.close_shift(ctx, current.user_id, expected)
    till.clock.set(START + timedelta(days=offset))
    shifts.open_shift(ctx, "anna", 0)


def test_within_the_limit_needs_no_approval(till):
    go_to_day(till, 0)
    _, result = on_account(till, "c-1")
    assert result.status == "COMPLETED"
    status = customers.credit_status(till.ctx, "c-1")
    assert (status.balance, status.available) == (1290, 10_000 - 1290)
    with till.ctx.uow(read_only=True) as uow:
        ledger = uow.people.ledger("c-1")
    assert ledger == [("charge", 1290, "2026-03-02", "2026-04-01", result.sale.id)]


def test_over_the_limit_needs_a_supervisor(till):
    ctx = till.ctx
    go_to_day(till, 0)
    on_account(till, "c-1", qty=7000)  # 90.30 of 100.00
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    cart_customer.attach_customer(ctx, c, "anna", "c-1")
    with pytest.raises(PermissionDenied, match="go over a customer's credit limit"):
        checkout.add_payment(ctx, c, "anna", "account", 1290)
    assert cart_lifecycle.get_cart(ctx, c).payments == ()
    # what is left on the account can go on it, the rest another way
    partial = checkout.add_payment(ctx, c, "anna", "account", 970)
    assert partial.status == "PARTIAL"
    assert checkout.add_payment(ctx, c, "anna", "cash", 320).status == "COMPLETED"
    assert customers.credit_status(ctx, "c-1").available == 0
    # with a supervisor's approval the limit can be passed, and that is audited
    _, result = on_account(till, "c-1", approval=till.approval("regular customer"))
    assert result.status == "COMPLETED"
    assert customers.credit_status(ctx, "c-1").balance == 10_000 + 1290
    with ctx.uow(read_only=True) as uow:
        body = json.loads(uow.conn.execute(text(
            "SELECT body FROM audit_log WHERE type = 'override.granted' ORDER BY seq DESC LIMIT 1")).scalar_one())
    assert body["data"]["action"] == "credit_override" and body["data"]["approved_by"] == "sofia"


def test_the_limit_message_says_what_is_left(till):
    ctx = till.ctx
    go_to_day(till, 0)
    with ctx.uow(read_only=True) as uow:
        status = customers.status_in(uow, ctx, "c-1")
    with pytest.raises(CreditError, match="100.00 credit left; 120.00 is over the limit"):
        customers.check_can_purchase(status, 12_000, 2, override=False)


def test_a_blocked_account_takes_nothing_even_with_approval(till):
    ctx = till.ctx
    go_to_day(till, 0)
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["milk"])
    cart_customer.attach_customer(ctx, c, "anna", "c-2")
    with pytest.raises(CreditError, match="blocked"):
        checkout.add_payment(ctx, c, "anna", "account", 119)
    with pytest.raises(CreditError, match="blocked"):
        checkout.add_payment(ctx, c, "anna", "account", 119, approval=till.approval())
    assert checkout.add_payment(ctx, c, "anna", "cash", 119).status == "COMPLETED"
    assert customers.credit_status(ctx, "c-2").balance == 0


def test_head_office_balance_counts_toward_the_limit(till):
    ctx = till.ctx
    with ctx.uow() as uow:
        uow.people.upsert_customer(CustomerInfo("c-3", "Bistro", "wholesale", 5000, 30, False, 4500), ctx.now_iso())
        uow.commit()
    go_to_day(till, 0)
    with pytest.raises(PermissionDenied):
        on_account(till, "c-3")  # 45.00 owed at head office + 12.90 > 50.00
    assert customers.credit_status(ctx, "c-3").balance == 4500


def test_account_payments_reduce_the_balance_and_cash_reaches_the_drawer(till):
    ctx = till.ctx
    go_to_day(till, 0)
    on_account(till, "c-1")
    assert customers.take_account_payment(ctx, "c-1", "anna", 1000, "cash") == 290
    assert customers.take_account_payment(ctx, "c-1", "anna", 290, "card") == 0
    with ctx.uow(read_only=True) as uow:
        assert uow.shifts.expected_cash(uow.shifts.open_shift().id) == 1000
        types = uow.conn.execute(text("SELECT type FROM audit_log ORDER BY seq DESC LIMIT 4")).scalars().all()
    assert types == ["credit.adjusted", "account.payment", "credit.adjusted", "cash.in"]
    assert audit.verify(ctx).ok


def test_aging_buckets_and_overdue_from_real_sales(till):
    ctx = till.ctx
    with ctx.uow() as uow:
        uow.people.upsert_customer(CustomerInfo("c-9", "Hotel", "wholesale", 1_000_000, 30, False, 0), ctx.now_iso())
        uow.commit()
    for offset, code in ((0, "cheese"), (30, "bread"), (60, "milk"), (95, "cheese")):
        go_to_day(till, offset)  # from day 60 on, earlier charges are overdue: a supervisor approves
        on_account(till, "c-9", code=code, approval=till.approval("known hotel") if offset >= 60 else None)
    go_to_day(till, 100)  # ages 100, 70, 40, 5
    status = customers.credit_status(ctx, "c-9")
    assert status.aging == {"0-30": 1290, "31-60": 119, "61-90": 349, "90+": 1290}
    assert status.overdue == 1290 + 349 + 119  # due dates 30 days after each sale
    assert status.balance == sum(status.aging.values())
    # a payment settles the oldest charges first
    customers.take_account_payment(ctx, "c-9", "anna", 1290 + 100, "card")
    status = customers.credit_status(ctx, "c-9")
    assert status.aging == {"0-30": 1290, "31-60": 119, "61-90": 249, "90+": 0}
    assert status.overdue == 249 + 119


@pytest.mark.parametrize(
    ("age", "bucket"),
    [(0, "0-30"), (30, "0-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"), (90, "61-90"), (91, "90+"),
     (400, "90+")],
)
def test_bucket_boundaries(age, bucket):
    today = date(2026, 6, 1)
    sold = (today - timedelta(days=age)).isoformat()
    buckets, _ = customers.aging([("charge", 500, sold, None, "s-1")], today)
    assert buckets[bucket] == 500 and sum(buckets.values()) == 500


def test_overdue_starts_the_day_after_the_due_date():
    today = date(2026, 6, 1)
    due_today = [("charge", 500, "2026-05-02", "2026-06-01", "s-1")]
    due_yesterday = [("charge", 500, "2026-05-01", "2026-05-31", "s-2")]
    assert customers.aging(due_today, today)[1] == 0
    assert customers.aging(due_yesterday, today)[1] == 500
    paid = [*due_yesterday, ("payment", -500, "2026-05-20", None, "p-1")]
    assert customers.aging(paid, today) == ({"0-30": 0, "31-60": 0, "61-90": 0, "90+": 0}, 0)


def test_the_limit_cannot_be_dodged_by_splitting_the_account_tender(till):
    ctx = till.ctx
    go_to_day(till, 0)
    c = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    cart_lines.set_quantity(ctx, c, line.id, "anna", 8000)  # 103.20 against a 100.00 limit
    cart_customer.attach_customer(ctx, c, "anna", "c-1")
    assert checkout.add_payment(ctx, c, "anna", "account", 6000).status == "PARTIAL"
    with pytest.raises(PermissionDenied, match="credit limit"):
        checkout.add_payment(ctx, c, "anna", "account", 4320)
    assert checkout.add_payment(ctx, c, "anna", "account", 4000).status == "PARTIAL"
    assert checkout.add_payment(ctx, c, "anna", "cash", 320).status == "COMPLETED"
    assert customers.credit_status(ctx, "c-1").balance == 10_000


def test_a_voided_account_sale_leaves_no_open_charge_in_aging(till):
    from app.usecases import returns

    ctx = till.ctx
    go_to_day(till, 0)
    on_account(till, "c-1")  # 12.90, will be 95 days old
    go_to_day(till, 95)
    c, result = on_account(till, "c-1", code="bread", approval=till.approval("overdue, approved"))
    returns.void_sale(ctx, result.sale.receipt_no, "sofia", "wrong account")
    status = customers.credit_status(ctx, "c-1")
    assert status.balance == 1290
    assert status.aging == {"0-30": 0, "31-60": 0, "61-90": 0, "90+": 1290}
    assert status.overdue == 1290


def test_an_overdue_balance_blocks_account_sales_unless_a_supervisor_approves(till):
    ctx = till.ctx
    go_to_day(till, 0)
    on_account(till, "c-1")  # 12.90 due in 30 days, far under the 100.00 limit
    go_to_day(till, 31)
    assert customers.credit_status(ctx, "c-1").overdue == 1290
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["milk"])
    cart_customer.attach_customer(ctx, c, "anna", "c-1")
    with pytest.raises(PermissionDenied, match="overdue balance"):
        checkout.add_payment(ctx, c, "anna", "account", 119)
    assert cart_lifecycle.get_cart(ctx, c).payments == ()
    result = checkout.add_payment(ctx, c, "anna", "account", 119, approval=till.approval("pays on Friday"))
    assert result.status == "COMPLETED"
    with ctx.uow(read_only=True) as uow:
        body = json.loads(uow.conn.execute(text(
            "SELECT body FROM audit_log WHERE type = 'override.granted' ORDER BY seq DESC LIMIT 1")).scalar_one())
    assert body["data"]["action"] == "overdue_override" and body["data"]["approved_by"] == "sofia"
    assert body["data"]["reason"] == "pays on Friday"
    assert audit.verify(ctx).ok


def test_the_overdue_message_says_how_much(till):
    ctx = till.ctx
    go_to_day(till, 0)
    on_account(till, "c-1")
    go_to_day(till, 31)
    with ctx.uow(read_only=True) as uow:
        status = customers.status_in(uow, ctx, "c-1")
    with pytest.raises(CreditError, match="12.90 overdue beyond the terms"):
        customers.check_can_purchase(status, 119, 2, override=False)
    customers.check_can_purchase(status, 119, 2, override=False, overdue_override=True)
