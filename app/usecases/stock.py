"""Stock deliveries and counts: audited, so on-hand figures can be traced."""

from __future__ import annotations

from app.context import TillContext
from app.usecases.auth import require
from kernel.errors import InvalidInput, NotFound
from kernel.money import format_qty


def receive(ctx: TillContext, user_id: str, sku: str, qty_milli: int) -> int:
    """Book a delivery; returns the new on-hand quantity."""
    if qty_milli <= 0:
        raise InvalidInput("A delivery must be more than zero.")
    with ctx.uow() as uow:
        require(uow, user_id, "sell")
        product = uow.catalogue.by_sku(sku)
        if product is None:
            raise NotFound(f"No product has the SKU {sku}.")
        now = ctx.now_iso()
        # The entry first: the movement names it, so head office's counted mark covers the delivery
        # exactly when it covers this entry.
        seq = uow.audit.append(ts=now, type_="stock.received", actor=user_id,
                               data={"sku": sku, "product_id": product.id, "qty": format_qty(qty_milli)})
        uow.stock.move(product_id=product.id, delta_milli=qty_milli, reason="delivery", ref_id=None, now=now,
                       audit_seq=seq)
        on_hand = uow.stock.on_hand(product.id)
        uow.commit()
    return on_hand


def available(ctx: TillContext, sku: str) -> int:
    with ctx.uow(read_only=True) as uow:
        product = uow.catalogue.by_sku(sku)
        if product is None:
            raise NotFound(f"No product has the SKU {sku}.")
        return uow.stock.available(product.id, ctx.now_iso())
