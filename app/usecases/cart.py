"""Building a cart: scanning, quantities, discounts, price overrides, park and resume.

Every change reserves or releases stock and is audited in the same IMMEDIATE transaction.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from app.context import TillContext
from app.domain.amounts import exact_minor
from app.domain.permissions import Approval
from app.domain.pricing import PricedCart, PriceLine, PricingError, price_cart
from app.domain.text import printable
from app.usecases.auth import authorize, require
from kernel.barcodes import BarcodeError, parse_scan
from kernel.cart_state import OPEN_STATUSES, CartLineState, CartState
from kernel.errors import InvalidInput, NotFound, StateError, StockError
from kernel.ids import new_id
from kernel.money import format_money, format_qty
from kernel.records import ProductInfo


def _new_id() -> str:
    return new_id()


def price(ctx: TillContext, cart: CartState) -> PricedCart:
    """Price a cart with the store's tax mode and rounding settings."""
    s = ctx.settings
    return price_cart(
        [
            PriceLine(qty_milli=ln.qty_milli, unit_price=ln.unit_price, tax_rate_bp=ln.tax_rate_bp,
                      tax_code=ln.tax_code, discount_percent=ln.discount_percent,
                      discount_amount=ln.discount_amount)
            for ln in cart.lines
        ],
        subtotal_discount_percent=cart.subtotal_discount_percent,
        subtotal_discount_amount=cart.subtotal_discount_amount,
        tax_mode=s.tax_mode, tax_rounding=s.tax_rounding, rounding=s.rounding,
    )


def _open_cart(uow, cart_id: str, *, allow_payments: bool = False) -> CartState:  # type: ignore[no-untyped-def]
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


def _audit(uow, ctx: TillContext, type_: str, actor: str, data: dict) -> int:  # type: ignore[no-untyped-def]
    return uow.audit.append(ts=ctx.now_iso(), type_=type_, actor=actor, data=data)


def start_cart(ctx: TillContext, user_id: str) -> str:
    """A new empty sale in the till's active shift."""
    with ctx.uow() as uow:
        require(uow, user_id, "sell")
        shift = uow.shifts.open_shift()
        if shift is None or shift.status != "ACTIVE":
            raise StateError("Open a shift before selling.")
        cart_id = _new_id()
        uow.carts.create(cart_id=cart_id, user_id=user_id, shift_id=shift.id, now=ctx.now_iso())
        uow.commit()
    return cart_id


def get_cart(ctx: TillContext, cart_id: str) -> CartState:
    with ctx.uow(read_only=True) as uow:
        cart = uow.carts.get(cart_id)
    if cart is None:
        raise NotFound("That sale no longer exists.")
    return cart


def _find_product(uow, code: str) -> tuple[ProductInfo, int | None, int | None]:  # type: ignore[no-untyped-def]
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


def _reserve(uow, ctx: TillContext, product: ProductInfo, cart_id: str, line_id: str, qty_milli: int) -> None:  # type: ignore[no-untyped-def]
    now = ctx.now_iso()
    if not product.allow_negative_stock:
        available = uow.stock.available(product.id, now)
        if qty_milli > available:
            left = format_qty(max(available, 0)).rstrip("0").rstrip(".")
            raise StockError(f"Not enough {product.name} in stock: {left} left.")
    uow.stock.reserve(
        reservation_id=_new_id(), product_id=product.id, cart_id=cart_id, cart_line_id=line_id,
        qty_milli=qty_milli, now=now, expires_at=ctx.later_iso(minutes=ctx.settings.reservation_minutes),
    )
    # A hold that already lapsed may have been taken by another cart since: never extend it.
    uow.stock.release_expired(now, cart_id=cart_id)
    uow.stock.refresh_cart(cart_id, ctx.later_iso(minutes=ctx.settings.reservation_minutes))


def add_item(
    ctx: TillContext, cart_id: str, user_id: str, code: str, *, qty_milli: int | None = None,
    weight_source: str | None = None, approval: Approval | None = None,
) -> CartLineState:
    """Add a scanned or typed product. Weighed items need a weight (from the scale, or typed
    with permission); a second scan of the same piece item adds to its line.

    This is the hot path of the till (every scan): it reads only what it needs."""
    with ctx.uow() as uow:
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
            id=same[0] if same else _new_id(), position=0, product_id=product.id, sku=product.sku,
            name=product.name, unit=product.unit, qty_milli=qty + (same[1] if same else 0), unit_price=unit_price,
            price_overridden=False, tax_code=product.tax_code, tax_rate_bp=product.tax_rate_bp,
            discount_percent=Decimal(0), discount_amount=0,
        )
        _check_qty(ctx, product, line.qty_milli)
        if same:
            uow.carts.set_line_qty(line.id, line.qty_milli)
        else:
            uow.carts.add_line(cart_id, line)
        _reserve(uow, ctx, product, cart_id, line.id, qty)
        now = ctx.now_iso()
        uow.carts.scanned(cart_id, now)
        _audit(uow, ctx, "cart.line_added", user_id, {
            "cart_id": cart_id, "line_id": line.id, "sku": product.sku, "qty": format_qty(qty),
            "unit_price": format_money(unit_price, ctx.settings.exponent),
        })
        uow.commit()
    return line


def set_quantity(
    ctx: TillContext, cart_id: str, line_id: str, user_id: str, qty_milli: int, approval: Approval | None = None
) -> None:
    """Change a line's quantity; lowering it is a partial line void and needs approval."""
    with ctx.uow() as uow:
        cart = _open_cart(uow, cart_id)
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
        _reserve(uow, ctx, product, cart_id, line_id, qty_milli)
        uow.carts.update_line(line_id, qty_milli=qty_milli)
        uow.carts.update(cart_id, updated_at=ctx.now_iso())
        _audit(uow, ctx, "cart.qty_changed", user_id, {
            "cart_id": cart_id, "line_id": line_id, "sku": line.sku, "from": format_qty(line.qty_milli),
            "to": format_qty(qty_milli), "approved_by": approved_by,
        })
        uow.commit()


def remove_line(ctx: TillContext, cart_id: str, line_id: str, user_id: str, approval: Approval | None = None) -> None:
    """A line void before payment: needs a supervisor."""
    with ctx.uow() as uow:
        cart = _open_cart(uow, cart_id)
        line = cart.line(line_id)
        if line is None:
            raise NotFound("That line is no longer in the sale.")
        approved_by = authorize(uow, ctx, user_id, "line_void", approval)
        uow.stock.release_line(line_id, ctx.now_iso())
        uow.carts.delete_line(line_id)
        uow.carts.update(cart_id, updated_at=ctx.now_iso())
        _audit(uow, ctx, "cart.line_voided", user_id, {
            "cart_id": cart_id, "line_id": line_id, "sku": line.sku, "qty": format_qty(line.qty_milli),
            "approved_by": approved_by,
        })
        uow.commit()


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


def _price_or_refuse(ctx: TillContext, trial: CartState) -> PricedCart:
    """Price a changed cart before writing it; a change the engine refuses is bad input."""
    try:
        return price(ctx, trial)
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
    with ctx.uow() as uow:
        cart = _open_cart(uow, cart_id)
        line = cart.line(line_id)
        if line is None:
            raise NotFound("That line is no longer in the sale.")
        trial = CartState(**{**cart.__dict__, "lines": tuple(
            CartLineState(**{**ln.__dict__, "discount_percent": pct, "discount_amount": amount}) if ln.id == line_id
            else ln for ln in cart.lines)})
        priced = _price_or_refuse(ctx, trial)
        base = priced.lines[[ln.id for ln in trial.lines].index(line_id)].base
        action = "discount_override" if _discount_needs_override(ctx, base, pct, amount) else "discount"
        approved_by = authorize(uow, ctx, user_id, action, approval)
        uow.carts.update_line(line_id, discount_percent=pct, discount_amount=amount)
        uow.carts.update(cart_id, updated_at=ctx.now_iso())
        _audit(uow, ctx, "cart.discount", user_id, {
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
    with ctx.uow() as uow:
        cart = _open_cart(uow, cart_id)
        trial = CartState(**{**cart.__dict__, "subtotal_discount_percent": pct, "subtotal_discount_amount": amount})
        priced = _price_or_refuse(ctx, trial)
        base = priced.gross + priced.subtotal_discount
        action = "discount_override" if _discount_needs_override(ctx, base, pct, amount) else "discount"
        approved_by = authorize(uow, ctx, user_id, action, approval)
        uow.carts.update(cart_id, subtotal_discount_percent=str(pct), subtotal_discount_amount=amount,
                         updated_at=ctx.now_iso())
        _audit(uow, ctx, "cart.subtotal_discount", user_id, {
            "cart_id": cart_id, "percent": str(pct), "amount": format_money(amount, ctx.settings.exponent),
            "approved_by": approved_by,
        })
        uow.commit()


def override_price(
    ctx: TillContext, cart_id: str, line_id: str, user_id: str, new_price: int, approval: Approval | None = None
) -> None:
    if exact_minor(new_price, "price") < 0:
        raise InvalidInput("A price cannot be negative.")
    with ctx.uow() as uow:
        cart = _open_cart(uow, cart_id)
        line = cart.line(line_id)
        if line is None:
            raise NotFound("That line is no longer in the sale.")
        approved_by = authorize(uow, ctx, user_id, "zero_price" if new_price == 0 else "price_override", approval)
        uow.carts.update_line(line_id, unit_price=new_price, price_overridden=True)
        uow.carts.update(cart_id, updated_at=ctx.now_iso())
        exp = ctx.settings.exponent
        _audit(uow, ctx, "cart.price_override", user_id, {
            "cart_id": cart_id, "line_id": line_id, "sku": line.sku, "from": format_money(line.unit_price, exp),
            "to": format_money(new_price, exp), "approved_by": approved_by,
        })
        uow.commit()


def attach_customer(ctx: TillContext, cart_id: str, user_id: str, customer_id: str | None) -> None:
    with ctx.uow() as uow:
        require(uow, user_id, "customer_attach")
        _open_cart(uow, cart_id)
        if customer_id is not None and uow.people.customer(customer_id) is None:
            raise NotFound("That customer does not exist.")
        uow.carts.update(cart_id, customer_id=customer_id, updated_at=ctx.now_iso())
        uow.commit()


def park(ctx: TillContext, cart_id: str, user_id: str, label: str | None = None) -> None:
    """Set a sale aside; its reservations stay until they expire and are renewed on resume."""
    with ctx.uow() as uow:
        require(uow, user_id, "park")
        cart = _open_cart(uow, cart_id)
        if not cart.lines:
            raise StateError("An empty sale cannot be parked.")
        clean = printable(label or "")[:80] or None
        uow.carts.update(cart_id, parked=True, label=clean, updated_at=ctx.now_iso())
        _audit(uow, ctx, "cart.parked", user_id, {"cart_id": cart_id, "label": clean})
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
                _reserve(uow, ctx, product, cart_id, line.id, missing)
        uow.carts.update(cart_id, parked=False, shift_id=shift.id, user_id=user_id, updated_at=ctx.now_iso())
        _audit(uow, ctx, "cart.resumed", user_id, {"cart_id": cart_id})
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
        uow.stock.release_cart(cart_id, ctx.now_iso())
        uow.carts.update(cart_id, status="CANCELLED", updated_at=ctx.now_iso())
        if cart.lines:
            _audit(uow, ctx, "cart.cancelled", user_id, {
                "cart_id": cart_id, "lines": len(cart.lines), "approved_by": approved_by,
            })
        uow.commit()


def release_expired(ctx: TillContext) -> int:
    """The periodic job: free stock held by carts nobody is working on."""
    with ctx.uow() as uow:
        released = uow.stock.release_expired(ctx.now_iso())
        uow.commit()
    return released
