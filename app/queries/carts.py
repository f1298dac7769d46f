"""The open cart as the sale and payment screens draw it, and the parked carts to resume."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.context import TillContext
from app.domain.pricing import PricedCart
from app.usecases import cart_promotions
from app.usecases import customers as customers_uc
from app.usecases.cart_editing import price
from app.usecases.checkout import Due, amount_due
from kernel.cart_state import CartState
from kernel.errors import NotFound
from kernel.records import CustomerInfo


@dataclass(frozen=True)
class CartView:
    """A cart with its prices and customer, so the screen renders without working anything out."""

    cart: CartState
    priced: PricedCart
    customer: CustomerInfo | None
    credit: customers_uc.CreditStatus | None = None  # when a customer is attached
    promotion_names: Mapping[int, str] = field(default_factory=dict)  # of the promotions the lines got


@dataclass(frozen=True)
class ToPay:
    """What the payment screen shows: the amount due and the tenders taken so far."""

    due: Due
    view: CartView


@dataclass(frozen=True)
class ParkedCart:
    """A parked cart as the resume list tells it apart: when, how much, how many, for whom, by whom."""

    id: str
    label: str | None
    updated_at: str
    total: int = 0  # minor units, priced as the cart stands
    items: int = 0  # lines
    customer: str | None = None  # the customer's name
    cashier: str = ""  # the name of who parked it


def cart_view(ctx: TillContext, cart_id: str) -> CartView:
    with ctx.uow(read_only=True) as uow:
        cart = uow.carts.get(cart_id)
        if cart is None:
            raise NotFound("That sale no longer exists.")
        customer = uow.people.customer(cart.customer_id) if cart.customer_id else None
        credit = customers_uc.status_in(uow, ctx, customer.id) if customer else None
        priced = price(ctx, cart, uow)
        ids = {line.promotion_id for line in priced.lines if line.promotion_id is not None}
        names = cart_promotions.names(ctx, ids) if ids else {}
    return CartView(cart, priced, customer, credit, names)


def to_pay(ctx: TillContext, cart_id: str) -> ToPay:
    return ToPay(amount_due(ctx, cart_id), cart_view(ctx, cart_id))


def parked(ctx: TillContext) -> list[ParkedCart]:
    """Parked carts, oldest change first."""
    with ctx.uow(read_only=True) as uow:
        names = {u.id: u.name for u in uow.people.users(active_only=False)}
        found = []
        for cid, label, updated in uow.carts.open_carts(parked=True):
            cart = uow.carts.get(cid)
            if cart is None:
                continue
            customer = uow.people.customer(cart.customer_id) if cart.customer_id else None
            found.append((cid, label, updated, cart, customer.name if customer else None,
                          names.get(cart.user_id, cart.user_id)))
    return [
        ParkedCart(cid, label, updated, price(ctx, cart).gross, len(cart.lines), customer, cashier)
        for cid, label, updated, cart, customer, cashier in found
    ]
