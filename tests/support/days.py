"""A small, deterministic business-day driver over the real use cases, for report tests:
two shifts a day, discounts, weighed items, split/account payments, voids, refunds, cash
movements, account payments in cash, and blind closes with small differences."""

from __future__ import annotations

import random
from datetime import timedelta

from app.usecases import cart_customer, cart_discounts, cart_lifecycle, cart_lines, checkout, customers, returns, shifts
from tests.support.till import BARCODES, Till

CODES = [BARCODES["milk"], BARCODES["bread"], BARCODES["cheese"]]


def _sale(till: Till, rng: random.Random, user: str) -> str | None:
    ctx = till.ctx
    cart_id = cart_lifecycle.start_cart(ctx, user)
    for _ in range(rng.randint(1, 4)):
        line = cart_lines.add_item(ctx, cart_id, user, rng.choice(CODES))
        if rng.random() < 0.3:
            cart_discounts.set_line_discount(ctx, cart_id, line.id, user, percent=rng.choice(("5", "10")))
    if rng.random() < 0.3:
        cart_lines.add_item(ctx, cart_id, user, "APPLE", qty_milli=rng.randint(200, 2500), weight_source="scale")
    if rng.random() < 0.2:
        cart_discounts.set_subtotal_discount(ctx, cart_id, user, percent="5")
    account = rng.random() < 0.1
    if account:
        cart_customer.attach_customer(ctx, cart_id, user, "c-1")
    due = checkout.amount_due(ctx, cart_id)
    total = due.due_in_cash if rng.random() < 0.6 else due.due
    if account:
        result = checkout.add_payment(ctx, cart_id, user, "account", due.due)
    elif rng.random() < 0.3 and due.due > 200:
        checkout.add_payment(ctx, cart_id, user, "card", due.due // 2)
        rest = checkout.amount_due(ctx, cart_id)
        result = checkout.add_payment(ctx, cart_id, user, "cash", rest.due_in_cash + rng.choice((0, 0, 100)))
    elif rng.random() < 0.5:
        result = checkout.add_payment(ctx, cart_id, user, "cash", total + rng.choice((0, 0, 50, 500)))
    else:
        result = checkout.add_payment(ctx, cart_id, user, "card", due.due)
    till.clock.advance(minutes=rng.randint(2, 9))
    return result.sale.receipt_no if result.sale else None


def run_shift(till: Till, rng: random.Random, user: str, sales: int, *, off: int = 0) -> dict:
    ctx = till.ctx
    shifts.open_shift(ctx, user, counts={"20.00": 5, "10.00": 4, "1.00": 10})
    receipts = []
    for n in range(sales):
        receipt = _sale(till, rng, user)
        if receipt:
            receipts.append(receipt)
        if n == 2:
            shifts.cash_in(ctx, user, 2_000, "float top-up")
            shifts.no_sale(ctx, user, "change", approval=till.approval())
            customers.take_account_payment(ctx, "c-1", user, 1_500, "cash")
        if n == 4 and receipts:
            returns.void_sale(ctx, receipts.pop(), user, "customer changed mind", approval=till.approval())
        if n == 5 and receipts:
            receipt = receipts[0]
            with ctx.uow(read_only=True) as uow:
                line = uow.sales.sale_by_receipt(receipt).lines[0]
            returns.refund(ctx, receipt, user, [(line.id, 1000 if line.qty_milli >= 1000 else line.qty_milli)],
                           to=rng.choice(("original", "cash")), approval=till.approval())
        if n == 6:
            shifts.cash_out(ctx, user, 1_000, "window cleaner", approval=till.approval())
    with ctx.uow(read_only=True) as uow:
        expected = uow.shifts.expected_cash(uow.shifts.open_shift().id)
    counted = max(expected + off, 0)
    return shifts.close_shift(ctx, user, counted, note="counted")


def run_days(till: Till, days: int, sales: int, seed: int = 7) -> list[str]:
    """Run `days` days of two shifts each; returns the business dates."""
    rng, dates = random.Random(seed), []
    for _ in range(days):
        dates.append(till.ctx.business_date())
        run_shift(till, rng, "anna", sales, off=rng.choice((0, -50, 20)))
        till.clock.advance(minutes=30)
        run_shift(till, rng, "ben", sales, off=rng.choice((0, 0, -300)))
        till.clock.set((till.clock.now() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0))
    return dates
