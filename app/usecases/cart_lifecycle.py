"""A cart's life outside its lines: started in the active shift, parked and resumed, cancelled,
and the periodic release of stock held by carts nobody is working on."""

from __future__ import annotations

from app.context import TillContext
from app.domain.permissions import Approval
from app.domain.text import printable
from app.usecases.auth import authorize, require
from app.usecases.cart_editing import open_cart, record, reserve
from db.uow import UnitOfWork
from kernel.cart_state import OPEN_STATUSES, CartState
from kernel.errors import NotFound, StateError
from kernel.ids import new_id
from kernel.money import format_qty


def _holds(uow: UnitOfWork, cart_id: str) -> list[dict[str, str]]:
    """The cart's active holds as a `stock.reserved` or `stock.released` entry lists them."""
    return [{"product_id": pid, "sku": sku, "qty": format_qty(qty), "expires_at": until}
            for pid, sku, qty, until in uow.stock.holds(cart_id)]


def _reserved(uow: UnitOfWork, ctx: TillContext, user_id: str, cart_id: str, reason: str) -> None:
    """One `stock.reserved` entry per cart, not per scan: each scan's hold is implied by its
    cart.line_added entry (a second entry per scan costs the scan path; docs/audit-format.md).
    Written when a cart's holds outlive its editing: parked, and taken again on resume."""
    holds = _holds(uow, cart_id)
    if holds:
        record(uow, ctx, "stock.reserved", user_id, {"cart_id": cart_id, "reason": reason, "holds": holds})


def start_cart(ctx: TillContext, user_id: str) -> str:
    """A new empty sale in the till's active shift."""
    with ctx.uow(durable=False) as uow:
        require(uow, user_id, "sell")
        shift = uow.shifts.open_shift()
        if shift is None or shift.status != "ACTIVE":
            raise StateError("Open a shift before selling.")
        cart_id = new_id()
        uow.carts.create(cart_id=cart_id, user_id=user_id, shift_id=shift.id, now=ctx.now_iso())
        uow.commit()
    return cart_id


def get_cart(ctx: TillContext, cart_id: str) -> CartState:
    with ctx.uow(read_only=True) as uow:
        cart = uow.carts.get(cart_id)
    if cart is None:
        raise NotFound("That sale no longer exists.")
    return cart


def park(ctx: TillContext, cart_id: str, user_id: str, label: str | None = None) -> None:
    """Set a sale aside; its reservations stay until they expire and are renewed on resume."""
    with ctx.uow() as uow:
        require(uow, user_id, "park")
        cart = open_cart(uow, cart_id)
        if not cart.lines:
            raise StateError("An empty sale cannot be parked.")
        clean = printable(label or "")[:80] or None
        uow.carts.update(cart_id, parked=True, label=clean, updated_at=ctx.now_iso())
        record(uow, ctx, "cart.parked", user_id, {"cart_id": cart_id, "label": clean})
        _reserved(uow, ctx, user_id, cart_id, "parked")
        uow.commit()


def resume(ctx: TillContext, cart_id: str, user_id: str) -> CartState:
    """Take a parked sale back; expired reservations are taken again or the resume is refused."""
    with ctx.uow() as uow:
        require(uow, user_id, "sell")
        cart = uow.carts.get(cart_id)
        if cart is None or cart.status not in OPEN_STATUSES or not cart.parked:
            raise StateError("That sale is not parked.")
        shift = uow.shifts.open_shift()
        if shift is None or shift.status != "ACTIVE":
            raise StateError("Open a shift before selling.")
        uow.stock.release_expired(ctx.now_iso())
        for line in cart.lines:
            missing = line.qty_milli - uow.stock.active_for_line(line.id)
            if missing > 0:
                product = uow.catalogue.by_id(line.product_id)
                if product is None:
                    raise StateError(f"{line.name} is no longer in the catalogue; remove it from the sale.")
                reserve(uow, ctx, product, cart_id, line.id, missing)
        uow.carts.update(cart_id, parked=False, shift_id=shift.id, user_id=user_id, updated_at=ctx.now_iso())
        record(uow, ctx, "cart.resumed", user_id, {"cart_id": cart_id})
        _reserved(uow, ctx, user_id, cart_id, "resumed")
        uow.commit()
    return get_cart(ctx, cart_id)


def cancel(ctx: TillContext, cart_id: str, user_id: str, approval: Approval | None = None) -> None:
    """Abandon a sale; with items in it this is a void of every line and needs approval."""
    with ctx.uow() as uow:
        cart = uow.carts.get(cart_id)
        if cart is None or cart.status not in OPEN_STATUSES:
            raise StateError("That sale cannot be cancelled.")
        if cart.payments:
            raise StateError("Payments were taken for this sale. Remove them before cancelling.")
        approved_by = authorize(uow, ctx, user_id, "cancel_cart", approval) if cart.lines else user_id
        holds = _holds(uow, cart_id)
        released = uow.stock.release_cart(cart_id, ctx.now_iso())
        uow.carts.update(cart_id, status="CANCELLED", updated_at=ctx.now_iso())
        if cart.lines:
            record(uow, ctx, "cart.cancelled", user_id, {
                "cart_id": cart_id, "lines": len(cart.lines), "approved_by": approved_by,
            })
        if released:
            record(uow, ctx, "stock.released", user_id, {
                "count": released, "cart_id": cart_id, "reason": "cancelled", "holds": holds,
            })
        uow.commit()


def release_expired(ctx: TillContext, *, dry_run: bool = False) -> int:
    """The periodic job (the GUI's worker, or `tillstone stock release-expired` from cron): free
    stock held by carts nobody is working on. A run that frees something is audited as
    `stock.released` with the count; an empty run writes nothing, so the job can run often."""
    now = ctx.now_iso()
    if dry_run:
        with ctx.uow(read_only=True) as uow:
            return uow.stock.expired_count(now)
    with ctx.uow() as uow:
        released = uow.stock.release_expired(now)
        if released:
            uow.audit.append(ts=now, type_="stock.released", actor=None, data={"count": released})
        uow.commit()
    return released
