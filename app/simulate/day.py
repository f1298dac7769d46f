"""One simulated business day on one till, through the real use cases only.

The day opens a shift, sells (multi-line baskets, discounts, weighed items, split and
on-account payments), parks and resumes, voids and refunds with supervisor overrides, moves
cash in and out, opens the drawer for no sale, and closes with a counted amount that is
sometimes a little off, as real counts are.
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from app.context import TillContext
from app.queries.returns import returnable
from app.simulate.actors import Cast
from app.usecases import (
    auth,
    cart_customer,
    cart_discounts,
    cart_lifecycle,
    cart_lines,
    cash_count,
    checkout,
    returns,
    shifts,
    stock,
)
from kernel.clock import ManualClock
from kernel.errors import DomainError, StockError

# Why an action of the day did not happen as asked: the core refused it (named for a person).
REASONS = {
    "out_of_stock": "an item out of stock (stock received, the basket went on)",
    "basket_empty": "a basket with every item out of stock (cancelled: one sale fewer)",
    "account_limit": "on account over the customer's limit (paid by card)",
    "refund_refused": "a refund of a line already returned in full",
    "void_refused": "a void the core refused",
}


@dataclass
class DayStats:
    business_date: str = ""
    sales: int = 0
    refunds: int = 0
    voids: int = 0
    refused: int = 0
    asked: int = 0  # the sales the day was asked for
    reasons: dict[str, int] = field(default_factory=dict)

    def refuse(self, reason: str) -> None:
        """Count one refusal under its reason (a key of REASONS)."""
        self.refused += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1


class SimulatedDay:
    def __init__(self, ctx: TillContext, clock: ManualClock, cast: Cast, rng: random.Random) -> None:
        self.ctx, self.clock, self.cast, self.rng = ctx, clock, cast, rng
        self.stats = DayStats()
        self.today_sales: list[str] = []
        self.earlier_sales: list[str] = []

    # -- helpers ---------------------------------------------------------------------------
    def _tick(self, low: float, high: float) -> None:
        self.clock.advance(seconds=self.rng.uniform(low, high))

    def _basket(self, cashier: str) -> str:
        rng, cast = self.rng, self.cast
        cart_id = cart_lifecycle.start_cart(self.ctx, cashier)
        for _ in range(rng.choice((1, 1, 2, 3, 4, 5, 6, 8))):
            self._tick(2, 8)
            try:
                if cast.weighed and rng.random() < 0.15:
                    product = rng.choice(cast.weighed)
                    cart_lines.add_item(self.ctx, cart_id, cashier, product.sku, qty_milli=rng.randint(150, 2500),
                                  weight_source="scale")
                else:
                    product = rng.choice(cast.products)
                    qty = 1000 * rng.choice((1, 1, 1, 2, 3))
                    cart_lines.add_item(self.ctx, cart_id, cashier, product.sku, qty_milli=qty)
            except StockError:
                stock.receive(self.ctx, cashier, product.sku, 50_000)
                self.stats.refuse("out_of_stock")
        state = cart_lifecycle.get_cart(self.ctx, cart_id)
        if state.lines and rng.random() < 0.12:
            line = rng.choice(state.lines)
            cart_discounts.set_line_discount(self.ctx, cart_id, line.id, cashier, percent=rng.choice(("5", "10")))
        if state.lines and rng.random() < 0.05:
            cart_discounts.set_subtotal_discount(self.ctx, cart_id, cashier, percent="5")
        return cart_id

    def _pay(self, cashier: str, cart_id: str) -> None:
        rng, ctx = self.rng, self.ctx
        due = checkout.amount_due(ctx, cart_id)
        roll = rng.random()
        if roll < 0.06 and self.cast.customers:
            customer = rng.choice(self.cast.customers)
            cart_customer.attach_customer(ctx, cart_id, cashier, customer.id)
            due = checkout.amount_due(ctx, cart_id)  # a customer's price list may change it
            try:
                result = checkout.add_payment(ctx, cart_id, cashier, "account", due.due)
            except DomainError:
                self.stats.refuse("account_limit")
                result = checkout.add_payment(ctx, cart_id, cashier, "card", due.due)
        elif roll < 0.16 and due.due > 200:
            part = rng.randint(100, due.due - 50)
            checkout.add_payment(ctx, cart_id, cashier, "card", part)
            rest = checkout.amount_due(ctx, cart_id)
            result = checkout.add_payment(ctx, cart_id, cashier, "cash", _round_up(rest.due_in_cash, 500))
        elif roll < 0.55:
            result = checkout.add_payment(ctx, cart_id, cashier, "card", due.due)
        elif roll < 0.58:
            result = checkout.add_payment(ctx, cart_id, cashier, "voucher", due.due)
        else:
            result = checkout.add_payment(ctx, cart_id, cashier, "cash", _round_up(due.due_in_cash, 1000))
        if result.sale is None:
            raise RuntimeError("a simulated payment of the whole amount due left the sale open")
        self.today_sales.append(result.sale.receipt_no)
        self.stats.sales += 1

    def _refund(self, cashier: str) -> None:
        pool = self.earlier_sales or self.today_sales
        if not pool:
            return
        receipt = self.rng.choice(pool)
        found = returnable(self.ctx, receipt)
        if found.voided:
            return
        line = self.rng.choice(found.sale.lines)
        qty = line.qty_milli if line.qty_milli % 1000 else 1000
        try:
            returns.refund(self.ctx, receipt, cashier, [(line.id, qty)],
                           to=self.rng.choice(("original", "cash")), approval=self.cast.approval("customer return"))
            self.stats.refunds += 1
        except DomainError:
            self.stats.refuse("refund_refused")  # already returned in full: the core refused, as it should

    def _void_last(self, cashier: str) -> None:
        if not self.today_sales:
            return
        try:
            returns.void_sale(self.ctx, self.today_sales[-1], cashier, "customer changed mind",
                              approval=self.cast.approval("void at the till"))
            self.today_sales.pop()
            self.stats.voids += 1
        except DomainError:
            self.stats.refuse("void_refused")

    # -- the day ---------------------------------------------------------------------------
    def run(self, day_start: datetime, sales: int) -> DayStats:
        ctx, rng, cast = self.ctx, self.rng, self.cast
        self.clock.set(day_start)
        cashier = rng.choice(cast.cashiers)
        if rng.random() < 0.3:
            with contextlib.suppress(DomainError):
                auth.login(ctx, cashier, "0000")  # a mistyped PIN, as happens
        auth.login(ctx, cashier, cast.pins[cashier])
        shift = shifts.open_shift(ctx, cashier, counts=cash_count.breakdown(ctx, 15_000))
        self.stats.business_date = shift.business_date
        self.stats.asked = sales
        gap = (11 * 3600) / max(sales, 1)
        parked: str | None = None
        for number in range(sales):
            self._tick(gap * 0.5, gap * 1.5)
            cart_id = self._basket(cashier)
            if not cart_lifecycle.get_cart(ctx, cart_id).lines:
                cart_lifecycle.cancel(ctx, cart_id, cashier)
                self.stats.reasons["basket_empty"] = self.stats.reasons.get("basket_empty", 0) + 1
                continue
            if parked is None and rng.random() < 0.03:
                cart_lifecycle.park(ctx, cart_id, cashier, "customer fetching wallet")
                parked = cart_id
                continue
            self._pay(cashier, cart_id)
            if parked and rng.random() < 0.5:
                cart_lifecycle.resume(ctx, parked, cashier)
                self._pay(cashier, parked)
                parked = None
            if rng.random() < 0.02:
                self._void_last(cashier)
            if rng.random() < 0.03:
                self._refund(cashier)
            if number == sales // 3:
                shifts.cash_in(ctx, cashier, 5_000, "float top-up")
                shifts.no_sale(ctx, cashier, "change for a customer", approval=cast.approval("change"))
            if number == (2 * sales) // 3:
                shifts.cash_out(ctx, cashier, 2_000, "window cleaner", approval=cast.approval("payout"))
        if parked:
            cart_lifecycle.resume(ctx, parked, cashier)
            self._pay(cashier, parked)
        self._tick(300, 900)
        self._close(cashier)
        auth.logout(ctx, cashier)
        return self.stats

    def _close(self, cashier: str) -> None:
        """A blind count by denomination: what the drawer should hold, sometimes a coin or a note off."""
        with self.ctx.uow(read_only=True) as uow:
            shift = uow.shifts.open_shift()
            if shift is None:
                raise RuntimeError("the simulated cashier's shift is not open at its close")
            expected = uow.shifts.expected_cash(shift.id)
        counts = cash_count.breakdown(self.ctx, max(expected, 0))
        if self.rng.random() < 0.2:
            coin = self.rng.choice((50, 100, 200, 1000))
            counts[coin] = max(counts.get(coin, 0) + self.rng.choice((-1, 1)), 0)
        shifts.close_shift(self.ctx, cashier, counts=counts, note="simulated count")


def _round_up(amount: int, step: int) -> int:
    return ((amount + step - 1) // step) * step if amount > 0 else amount


def day_start(business_date: str, timezone: str) -> datetime:
    """08:00 local time on the business date."""
    return datetime.combine(date.fromisoformat(business_date), time(8, 0), tzinfo=ZoneInfo(timezone))
