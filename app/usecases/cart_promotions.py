"""The promotions a cart gets, worked out again from the cart itself every time it is priced
(every scan, quantity change, void, customer change and the checkout), so the screen, the
receipt and the sale always agree and the result never depends on the order of the scans.

The rules are read once per change of the till's promotions (a cheap fingerprint query tells)
and kept indexed per till database; the time that decides a scheduled offer or a happy hour is
the till's clock in the store's time zone.
"""

from __future__ import annotations

from datetime import datetime
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from app.context import TillContext
from app.domain.promotion_codec import from_rule
from app.domain.promotions import Item, PromotionBook, PromotionError, Result, price_promotions
from db.uow import UnitOfWork
from kernel.cart_state import CartState

_BOOKS: WeakKeyDictionary[object, tuple[tuple[int, int], PromotionBook]] = WeakKeyDictionary()
_EMPTY = PromotionBook(())


def book(uow: UnitOfWork, ctx: TillContext) -> PromotionBook:
    """The till's active promotions, indexed; read again only when they changed."""
    fingerprint = uow.promotions.fingerprint()
    if fingerprint[0] == 0:
        return _EMPTY
    cached = _BOOKS.get(ctx.uow_factory)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    rules = []
    for row in uow.promotions.active():
        try:
            rules.append(from_rule(row.id, row.name, row.kind, row.rule))
        except PromotionError:
            continue  # refused on the way in; a row damaged since is not guessed at
    fresh = PromotionBook(rules)
    _BOOKS[ctx.uow_factory] = (fingerprint, fresh)
    return fresh


def names(ctx: TillContext, ids: set[int]) -> dict[int, str]:
    """The names of promotions by id, from the book the last pricing on this till read."""
    cached = _BOOKS.get(ctx.uow_factory)
    known = cached[1].by_id if cached else {}
    return {pid: known[pid].name for pid in ids if pid in known}


def store_time(ctx: TillContext) -> datetime:
    """The till's clock as the store's wall clock (naive), which promotion times are written in."""
    return ctx.now().astimezone(ZoneInfo(ctx.settings.timezone)).replace(tzinfo=None)


def for_cart(uow: UnitOfWork, ctx: TillContext, cart: CartState) -> Result:
    """Each line's promotion and discount, in cart order."""
    rules = book(uow, ctx)
    if not len(rules) or not cart.lines:
        return Result(())
    categories = uow.promotions.categories_of(ln.product_id for ln in cart.lines)
    customer = uow.people.customer(cart.customer_id) if cart.customer_id else None
    items = [
        Item(sku=ln.sku, category=categories.get(ln.product_id), qty_milli=ln.qty_milli,
             unit_price=ln.unit_price,
             eligible=not (ln.price_overridden or ln.discount_amount or ln.discount_percent))
        for ln in cart.lines
    ]
    return price_promotions(items, rules, store_time(ctx), customer.customer_type if customer else None,
                            ctx.settings.rounding)
