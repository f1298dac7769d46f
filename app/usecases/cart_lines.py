"""A cart's lines: a scanned or typed product added (the till's hot path), a quantity changed,
a line voided before payment. Quantities are checked against the product's unit and the
store's per-line limit; weights typed by hand and voids need permission."""

from __future__ import annotations

from decimal import Decimal

from app.context import TillContext
from app.domain.permissions import Approval
from app.usecases.auth import authorize, require
from app.usecases.cart_editing import open_cart, record, reserve
from db.uow import UnitOfWork
from kernel.barcodes import BarcodeError, parse_scan
from kernel.cart_state import OPEN_STATUSES, CartLineState
from kernel.errors import InvalidInput, NotFound, StateError
from kernel.ids import new_id
from kernel.money import format_money, format_qty
from kernel.records import ProductInfo


def _find_product(uow: UnitOfWork, code: str) -> tuple[ProductInfo, int | None, int | None]:
    """(product, embedded price, embedded qty) for a scanned or typed code."""
    code = code.strip()
    if not code or len(code) > 40 or any(ord(ch) < 32 or ord(ch) == 127 for ch in code):
        raise InvalidInput("That code cannot be read. Scan it again or type it.")
    if code.isdigit() and len(code) in (8, 12, 13):
        try:
            scan = parse_scan(code)
        except BarcodeError as exc:
            raise InvalidInput(str(exc)) from None
        product = uow.catalogue.by_barcode(scan.lookup_code)
        if product is None and scan.lookup_code != code:
            product = uow.catalogue.by_barcode(code)
        if product is not None:
            return product, scan.price_minor, scan.qty_milli
    product = uow.catalogue.by_barcode(code) or uow.catalogue.by_sku(code)
    if product is None:
        raise NotFound(f"No product has the code {code}. Check it or search by name.")
    return product, None, None


def _check_qty(ctx: TillContext, product: ProductInfo, qty_milli: int) -> None:
    if isinstance(qty_milli, bool) or not isinstance(qty_milli, int):
        raise InvalidInput("The quantity was not given exactly. Type it again.")
    if qty_milli <= 0:
        raise InvalidInput("The quantity must be more than zero.")
    if qty_milli > ctx.settings.max_line_qty * 1000:
        raise InvalidInput(f"{format_qty(qty_milli)} is more than one line may hold ({ctx.settings.max_line_qty}).")
    if product.unit == "each" and qty_milli % 1000:
        raise InvalidInput(f"{product.name} is sold by the piece: the quantity must be a whole number.")


def add_item(
    ctx: TillContext, cart_id: str, user_id: str, code: str, *, qty_milli: int | None = None,
    weight_source: str | None = None, approval: Approval | None = None,
) -> CartLineState:
    """Add a scanned or typed product. Weighed items need a weight (from the scale, or typed
    with permission); a second scan of the same piece item adds to its line.

    This is the hot path of the till (every scan): it reads only what it needs, and commits
    without waiting for the disk (an unpaid cart line survives a killed process, not a power cut)."""
    with ctx.uow(durable=False) as uow:
        require(uow, user_id, "sell")
        header = uow.carts.header(cart_id)
        if header is None:
            raise NotFound("That sale no longer exists.")
        status, parked, _first_scan, payments = header
        if status not in OPEN_STATUSES:
            raise StateError(f"This sale is {status.lower()} and cannot be changed.")
        if parked:
            raise StateError("This sale is parked. Resume it first.")
        if payments:
            raise StateError("Payments were already taken for this sale. Remove them before changing the items.")
        product, embedded_price, embedded_qty = _find_product(uow, code)
        if not product.active:
            raise StateError(f"{product.name} is no longer sold.")
        qty = next((q for q in (embedded_qty, qty_milli) if q is not None), 1000 if product.unit == "each" else None)
        if qty is None:
            raise InvalidInput(f"Put {product.name} on the scale, or type its weight.")
        if product.unit == "kg" and embedded_qty is None and weight_source != "scale":
            authorize(uow, ctx, user_id, "manual_weight", approval)
        _check_qty(ctx, product, qty)
        unit_price = product.price if embedded_price is None else embedded_price
        if unit_price == 0:
            authorize(uow, ctx, user_id, "zero_price", approval)
        same = None
        if product.unit == "each" and embedded_price is None:
            same = uow.carts.mergeable_line(cart_id, product.id, unit_price)
        line = CartLineState(
            id=same[0] if same else new_id(), position=0, product_id=product.id, sku=product.sku,
            name=product.name, unit=product.unit, qty_milli=qty + (same[1] if same else 0), unit_price=unit_price,
            price_overridden=False, tax_code=product.tax_code, tax_rate_bp=product.tax_rate_bp,
            discount_percent=Decimal(0), discount_amount=0,
        )
        _check_qty(ctx, product, line.qty_milli)
        if same:
            uow.carts.set_line_qty(line.id, line.qty_milli)
        else:
            uow.carts.add_line(cart_id, line)
        now = ctx.now_iso()
        reserve(uow, ctx, product, cart_id, line.id, qty, now)
        uow.carts.scanned(cart_id, now)
        uow.audit.append(ts=now, type_="cart.line_added", actor=user_id, data={
            "cart_id": cart_id, "line_id": line.id, "sku": product.sku, "qty": format_qty(qty),
            "unit_price": format_money(unit_price, ctx.settings.exponent),
        })
        uow.commit()
    return line


def set_quantity(
    ctx: TillContext, cart_id: str, line_id: str, user_id: str, qty_milli: int, approval: Approval | None = None
) -> None:
    """Change a line's quantity; lowering it is a partial line void and needs approval."""
    with ctx.uow(durable=False) as uow:
        cart = open_cart(uow, cart_id)
        line = cart.line(line_id)
        if line is None:
            raise NotFound("That line is no longer in the sale.")
        product = uow.catalogue.by_id(line.product_id)
        if product is None:
            raise NotFound("That product no longer exists.")
        _check_qty(ctx, product, qty_milli)
        approved_by = user_id
        if qty_milli < line.qty_milli:
            approved_by = authorize(uow, ctx, user_id, "line_void", approval)
        elif product.unit == "kg":  # a changed weight is a weight typed by hand
            approved_by = authorize(uow, ctx, user_id, "manual_weight", approval)
        else:
            require(uow, user_id, "sell")
        uow.stock.release_line(line_id, ctx.now_iso())
        reserve(uow, ctx, product, cart_id, line_id, qty_milli)
        uow.carts.update_line(line_id, qty_milli=qty_milli)
        uow.carts.update(cart_id, updated_at=ctx.now_iso())
        record(uow, ctx, "cart.qty_changed", user_id, {
            "cart_id": cart_id, "line_id": line_id, "sku": line.sku, "from": format_qty(line.qty_milli),
            "to": format_qty(qty_milli), "approved_by": approved_by,
        })
        uow.commit()


def remove_line(ctx: TillContext, cart_id: str, line_id: str, user_id: str, approval: Approval | None = None) -> None:
    """A line void before payment: needs a supervisor."""
    with ctx.uow(durable=False) as uow:
        cart = open_cart(uow, cart_id)
        line = cart.line(line_id)
        if line is None:
            raise NotFound("That line is no longer in the sale.")
        approved_by = authorize(uow, ctx, user_id, "line_void", approval)
        uow.stock.release_line(line_id, ctx.now_iso())
        uow.carts.delete_line(line_id)
        uow.carts.update(cart_id, updated_at=ctx.now_iso())
        record(uow, ctx, "cart.line_voided", user_id, {
            "cart_id": cart_id, "line_id": line_id, "sku": line.sku, "qty": format_qty(line.qty_milli),
            "approved_by": approved_by,
        })
        uow.commit()
