"""Changing what a cart's items cost: a discount on a line or on the whole sale (as a percentage
or an amount; past the cashier's limit it needs approval) and a price override. Each change is
priced before it is written, so one the pricing engine refuses never reaches the cart."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from app.context import TillContext
from app.domain.amounts import exact_minor
from app.domain.permissions import Approval
from app.domain.pricing import PricedCart, PricingError
from app.usecases.auth import authorize
from app.usecases.cart_editing import open_cart, price, record
from db.uow import UnitOfWork
from kernel.cart_state import CartLineState, CartState
from kernel.errors import InvalidInput, NotFound
from kernel.money import format_money


def _parse_percent(value: str | Decimal | None) -> Decimal:
    try:
        pct = Decimal(str(value or 0))
    except InvalidOperation:
        raise InvalidInput(f"'{value}' is not a percentage.") from None
    if not pct.is_finite() or pct < 0 or pct > 100 or pct != pct.quantize(Decimal("0.01")):
        raise InvalidInput("A discount percentage is between 0 and 100, with at most 2 decimals.")
    return pct


def _parse_discount(percent: str | Decimal | None, amount: int) -> tuple[Decimal, int]:
    """A discount is a percentage or an amount, never both, never negative."""
    pct = _parse_percent(percent)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise InvalidInput("A discount amount is a whole number of cents, not negative.")
    if pct and amount:
        raise InvalidInput("Give the discount as a percentage or as an amount, not both.")
    return pct, amount


def _price_or_refuse(ctx: TillContext, trial: CartState, uow: UnitOfWork) -> PricedCart:
    """Price a changed cart before writing it; a change the engine refuses is bad input."""
    try:
        return price(ctx, trial, uow)
    except PricingError as exc:
        raise InvalidInput(str(exc)) from None


def _discount_needs_override(ctx: TillContext, base: int, percent: Decimal, amount: int) -> bool:
    limit = ctx.settings.cashier_max_discount_percent
    if percent:
        return percent > limit
    return base > 0 and Decimal(amount) * 100 > limit * base


def set_line_discount(
    ctx: TillContext, cart_id: str, line_id: str, user_id: str, *, percent: str | Decimal | None = None,
    amount: int = 0, approval: Approval | None = None,
) -> None:
    """A discount on one line, as a percentage or an amount; beyond the cashier limit it needs approval."""
    pct, amount = _parse_discount(percent, amount)
    with ctx.uow(durable=False) as uow:
        cart = open_cart(uow, cart_id)
        line = cart.line(line_id)
        if line is None:
            raise NotFound("That line is no longer in the sale.")
        trial = CartState(**{**cart.__dict__, "lines": tuple(
            CartLineState(**{**ln.__dict__, "discount_percent": pct, "discount_amount": amount}) if ln.id == line_id
            else ln for ln in cart.lines)})
        priced = _price_or_refuse(ctx, trial, uow)
        base = priced.lines[[ln.id for ln in trial.lines].index(line_id)].base
        action = "discount_override" if _discount_needs_override(ctx, base, pct, amount) else "discount"
        approved_by = authorize(uow, ctx, user_id, action, approval)
        uow.carts.update_line(line_id, discount_percent=pct, discount_amount=amount)
        uow.carts.update(cart_id, updated_at=ctx.now_iso())
        record(uow, ctx, "cart.discount", user_id, {
            "cart_id": cart_id, "line_id": line_id, "percent": str(pct),
            "amount": format_money(amount, ctx.settings.exponent), "approved_by": approved_by,
        })
        uow.commit()


def set_subtotal_discount(
    ctx: TillContext, cart_id: str, user_id: str, *, percent: str | Decimal | None = None, amount: int = 0,
    approval: Approval | None = None,
) -> None:
    """A discount on the whole sale, prorated over the lines for tax."""
    pct, amount = _parse_discount(percent, amount)
    with ctx.uow(durable=False) as uow:
        cart = open_cart(uow, cart_id)
        trial = CartState(**{**cart.__dict__, "subtotal_discount_percent": pct, "subtotal_discount_amount": amount})
        priced = _price_or_refuse(ctx, trial, uow)
        base = priced.gross + priced.subtotal_discount
        action = "discount_override" if _discount_needs_override(ctx, base, pct, amount) else "discount"
        approved_by = authorize(uow, ctx, user_id, action, approval)
        uow.carts.update(cart_id, subtotal_discount_percent=str(pct), subtotal_discount_amount=amount,
                         updated_at=ctx.now_iso())
        record(uow, ctx, "cart.subtotal_discount", user_id, {
            "cart_id": cart_id, "percent": str(pct), "amount": format_money(amount, ctx.settings.exponent),
            "approved_by": approved_by,
        })
        uow.commit()


def override_price(
    ctx: TillContext, cart_id: str, line_id: str, user_id: str, new_price: int, approval: Approval | None = None
) -> None:
    if exact_minor(new_price, "price") < 0:
        raise InvalidInput("A price cannot be negative.")
    with ctx.uow(durable=False) as uow:
        cart = open_cart(uow, cart_id)
        line = cart.line(line_id)
        if line is None:
            raise NotFound("That line is no longer in the sale.")
        approved_by = authorize(uow, ctx, user_id, "zero_price" if new_price == 0 else "price_override", approval)
        uow.carts.update_line(line_id, unit_price=new_price, price_overridden=True)
        uow.carts.update(cart_id, updated_at=ctx.now_iso())
        exp = ctx.settings.exponent
        record(uow, ctx, "cart.price_override", user_id, {
            "cart_id": cart_id, "line_id": line_id, "sku": line.sku, "from": format_money(line.unit_price, exp),
            "to": format_money(new_price, exp), "approved_by": approved_by,
        })
        uow.commit()
