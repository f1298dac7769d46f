"""Naming the customer a sale is for, or taking the name off again: putting a sale on account
checks that customer's credit, and the sale and its receipt carry the name."""

from __future__ import annotations

from app.context import TillContext
from app.usecases.auth import require
from app.usecases.cart_editing import open_cart
from kernel.errors import NotFound


def attach_customer(ctx: TillContext, cart_id: str, user_id: str, customer_id: str | None) -> None:
    with ctx.uow(durable=False) as uow:
        require(uow, user_id, "customer_attach")
        open_cart(uow, cart_id)
        if customer_id is not None and uow.people.customer(customer_id) is None:
            raise NotFound("That customer does not exist.")
        uow.carts.update(cart_id, customer_id=customer_id, updated_at=ctx.now_iso())
        uow.commit()
