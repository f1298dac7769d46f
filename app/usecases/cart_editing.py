"""What every change to an open cart goes through: the cart must still be open for edits, the
stock its lines need is held, the change is audited, and the cart is priced with the store's
settings. The cart modules and checkout share these, so a rule lives in one place.

Every change reserves or releases stock and is audited in the same IMMEDIATE transaction.
"""

from __future__ import annotations

from typing import Any

from app.context import TillContext
from app.domain.pricing import PricedCart, PriceLine, price_cart
from app.domain.promotions import Applied
from app.usecases import cart_promotions
from db.uow import UnitOfWork
from kernel.cart_state import OPEN_STATUSES, CartState
from kernel.errors import NotFound, StateError, StockError
from kernel.ids import new_id
from kernel.money import format_qty
from kernel.records import ProductInfo


def price(ctx: TillContext, cart: CartState, uow: UnitOfWork | None = None) -> PricedCart:
    """Price a cart with its promotions as they stand now and the store's tax mode and rounding
    (read in `uow`, the caller's unit of work, or in one of its own)."""
    s = ctx.settings
    if uow is None:
        with ctx.uow(read_only=True) as own:
            return price(ctx, cart, own)
    promos = cart_promotions.for_cart(uow, ctx, cart).lines or [Applied(None, 0)] * len(cart.lines)
    return price_cart(
        [
            PriceLine(qty_milli=ln.qty_milli, unit_price=ln.unit_price, tax_rate_bp=ln.tax_rate_bp,
                      tax_code=ln.tax_code, discount_percent=ln.discount_percent,
                      discount_amount=ln.discount_amount, promotion_id=promo.promotion_id,
                      promotion_discount=promo.discount)
            for ln, promo in zip(cart.lines, promos, strict=True)
        ],
        subtotal_discount_percent=cart.subtotal_discount_percent,
        subtotal_discount_amount=cart.subtotal_discount_amount,
        tax_mode=s.tax_mode, tax_rounding=s.tax_rounding, rounding=s.rounding,
    )


def open_cart(uow: UnitOfWork, cart_id: str, *, allow_payments: bool = False) -> CartState:
    """The cart, if it may still be changed: open, not parked, and (unless allowed) unpaid."""
    cart = uow.carts.get(cart_id)
    if cart is None:
        raise NotFound("That sale no longer exists.")
    if cart.status not in OPEN_STATUSES:
        raise StateError(f"This sale is {cart.status.lower()} and cannot be changed.")
    if cart.parked:
        raise StateError("This sale is parked. Resume it first.")
    if cart.payments and not allow_payments:
        raise StateError("Payments were already taken for this sale. Remove them before changing the items.")
    return cart


def record(uow: UnitOfWork, ctx: TillContext, type_: str, actor: str, data: dict[str, Any]) -> int:
    """The audit entry of a cart change, stamped now, in the caller's transaction."""
    return uow.audit.append(ts=ctx.now_iso(), type_=type_, actor=actor, data=data)


def reserve(uow: UnitOfWork, ctx: TillContext, product: ProductInfo, cart_id: str, line_id: str,
            qty_milli: int, now: str | None = None) -> None:
    """Hold `qty_milli` of a product for a cart line (refused when it would oversell) and renew
    the cart's other holds. `now`: the caller's time stamp of the same action, if it has one."""
    now = now or ctx.now_iso()
    if not product.allow_negative_stock:
        available = uow.stock.available(product.id, now)
        if qty_milli > available:
            left = format_qty(max(available, 0)).rstrip("0").rstrip(".")
            raise StockError(f"Not enough {product.name} in stock: {left} left.")
    expires_at = ctx.later_iso(minutes=ctx.settings.reservation_minutes)
    uow.stock.reserve(
        reservation_id=new_id(), product_id=product.id, cart_id=cart_id, cart_line_id=line_id,
        qty_milli=qty_milli, now=now, expires_at=expires_at,
    )
    # A hold that already lapsed may have been taken by another cart since: never extend it.
    uow.stock.release_expired(now, cart_id=cart_id)
    uow.stock.refresh_cart(cart_id, expires_at)
