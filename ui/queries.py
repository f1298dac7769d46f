"""Read-only look-ups the screens need and the core has no use case for.

Each function takes the till context and runs on the database worker, never on the GUI
thread. They only read, through the unit of work's repositories.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from app.usecases import cart_editing as cart_uc
from app.usecases import customers as customers_uc
from kernel.errors import NotFound


def users(ctx: Any) -> list[Any]:
    with ctx.uow(read_only=True) as uow:
        return uow.people.users()


def approvers(ctx: Any) -> list[Any]:
    return [u for u in users(ctx) if u.role in ("supervisor", "admin")]


def categories(ctx: Any) -> list[tuple[str, str]]:
    with ctx.uow(read_only=True) as uow:
        return uow.catalogue.categories()


def category_products(ctx: Any, category_id: str) -> list[Any]:
    with ctx.uow(read_only=True) as uow:
        return uow.catalogue.by_category(category_id, limit=60)


def quick_keys(ctx: Any) -> list[Any]:
    """The products named by the `quick_keys` setting (SKUs, comma separated), in order."""
    with ctx.uow(read_only=True) as uow:
        skus = [s for s in (uow.settings.get("quick_keys") or "").split(",") if s]
        found = [uow.catalogue.by_sku(s) for s in skus[:24]]
        if not found:
            found = uow.catalogue.active_products(limit=12)
    return [p for p in found if p is not None]


def search(ctx: Any, text: str) -> list[Any]:
    with ctx.uow(read_only=True) as uow:
        return uow.catalogue.search(text, limit=40)


def customers(ctx: Any, text: str = "") -> list[Any]:
    with ctx.uow(read_only=True) as uow:
        return uow.people.customers(text, limit=40)


@dataclass(frozen=True)
class CartView:
    """A cart with its prices, so the screen renders without touching the core itself."""

    cart: Any
    priced: Any
    customer: Any
    credit: Any = None  # CreditStatus when a customer is attached


def cart_view(ctx: Any, cart_id: str) -> CartView:
    with ctx.uow(read_only=True) as uow:
        cart = uow.carts.get(cart_id)
        if cart is None:
            raise NotFound("That sale no longer exists.")
        customer = uow.people.customer(cart.customer_id) if cart.customer_id else None
        credit = customers_uc.status_in(uow, ctx, customer.id) if customer else None
    return CartView(cart, cart_uc.price(ctx, cart), customer, credit)


def product(ctx: Any, code: str) -> Any:
    """The product a code names directly (not a price/weight-embedded label), or None."""
    with ctx.uow(read_only=True) as uow:
        return uow.catalogue.by_barcode(code.strip()) or uow.catalogue.by_sku(code.strip())


def parked(ctx: Any) -> list[tuple[str, str | None, str]]:
    with ctx.uow(read_only=True) as uow:
        return uow.carts.open_carts(parked=True)


@dataclass(frozen=True)
class Returnable:
    sale: Any
    left: dict[str, int]  # sale line id -> quantity (thousandths) that may still come back
    voided: bool


def returnable(ctx: Any, ref: str) -> Returnable:
    with ctx.uow(read_only=True) as uow:
        sale = uow.sales.sale_by_receipt(ref.strip()) or uow.sales.sale(ref.strip())
        if sale is None:
            raise NotFound(f"No sale has the receipt number {ref.strip()[:40]}.")
        done: dict[str, int] = defaultdict(int)
        for refund in uow.sales.refunds_of(sale.id):
            for line in refund.lines:
                done[line.sale_line_id] += line.qty_milli
        voided = uow.sales.void_of(sale.id) is not None
    return Returnable(sale, {ln.id: ln.qty_milli - done[ln.id] for ln in sale.lines}, voided)


def expected_cash(ctx: Any) -> tuple[Any, int]:
    with ctx.uow(read_only=True) as uow:
        shift = uow.shifts.open_shift()
        return shift, (uow.shifts.expected_cash(shift.id) if shift else 0)


def settings(ctx: Any) -> dict[str, str]:
    with ctx.uow(read_only=True) as uow:
        return uow.settings.all()
