"""Carts are the only sale data that may change: until they complete, they are drafts."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, delete, func, insert, select, update

from app.domain.cart import CartLineState, CartPaymentState, CartState
from db.models.sales import Cart, CartLine, CartPayment

CARTS, LINES, PAYMENTS = Cart.__table__, CartLine.__table__, CartPayment.__table__


class CartsRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def create(self, *, cart_id: str, user_id: str, shift_id: str | None, now: str) -> None:
        self.conn.execute(
            insert(CARTS).values(id=cart_id, status="DRAFT", parked=False, user_id=user_id, shift_id=shift_id,
                                 subtotal_discount_percent="0", subtotal_discount_amount=0, created_at=now,
                                 updated_at=now)
        )

    def get(self, cart_id: str) -> CartState | None:
        row = self.conn.execute(select(CARTS).where(CARTS.c.id == cart_id)).first()
        if row is None:
            return None
        lines = tuple(
            CartLineState(
                id=r.id, position=r.position, product_id=r.product_id, sku=r.sku, name=r.name, unit=r.unit,
                qty_milli=r.qty_milli, unit_price=r.unit_price, price_overridden=bool(r.price_overridden),
                tax_code=r.tax_code, tax_rate_bp=r.tax_rate_bp, discount_percent=Decimal(r.discount_percent),
                discount_amount=r.discount_amount,
            )
            for r in self.conn.execute(select(LINES).where(LINES.c.cart_id == cart_id).order_by(LINES.c.position))
        )
        payments = tuple(
            CartPaymentState(id=r.id, position=r.position, method=r.method, amount=r.amount, reference=r.reference)
            for r in self.conn.execute(
                select(PAYMENTS).where(PAYMENTS.c.cart_id == cart_id).order_by(PAYMENTS.c.position)
            )
        )
        return CartState(
            id=row.id, status=row.status, parked=bool(row.parked), label=row.label, user_id=row.user_id,
            shift_id=row.shift_id, customer_id=row.customer_id,
            subtotal_discount_percent=Decimal(row.subtotal_discount_percent),
            subtotal_discount_amount=row.subtotal_discount_amount, sale_id=row.sale_id, created_at=row.created_at,
            first_scan_at=row.first_scan_at, lines=lines, payments=payments,
        )

    def update(self, cart_id: str, **values: object) -> None:
        self.conn.execute(update(CARTS).where(CARTS.c.id == cart_id).values(**values))

    def add_line(self, cart_id: str, line: CartLineState) -> None:
        self.conn.execute(
            insert(LINES).values(
                id=line.id, cart_id=cart_id, position=line.position, product_id=line.product_id, sku=line.sku,
                name=line.name, unit=line.unit, qty_milli=line.qty_milli, unit_price=line.unit_price,
                price_overridden=line.price_overridden, tax_code=line.tax_code, tax_rate_bp=line.tax_rate_bp,
                discount_percent=str(line.discount_percent), discount_amount=line.discount_amount,
            )
        )

    def update_line(self, line_id: str, **values: object) -> None:
        if "discount_percent" in values:
            values["discount_percent"] = str(values["discount_percent"])
        self.conn.execute(update(LINES).where(LINES.c.id == line_id).values(**values))

    def delete_line(self, line_id: str) -> None:
        self.conn.execute(delete(LINES).where(LINES.c.id == line_id))

    def next_line_position(self, cart_id: str) -> int:
        top = self.conn.execute(select(func.max(LINES.c.position)).where(LINES.c.cart_id == cart_id)).scalar()
        return (top or 0) + 1

    def add_payment(self, cart_id: str, payment: CartPaymentState) -> None:
        self.conn.execute(
            insert(PAYMENTS).values(id=payment.id, cart_id=cart_id, position=payment.position, method=payment.method,
                                    amount=payment.amount, reference=payment.reference)
        )

    def delete_payment(self, payment_id: str) -> None:
        self.conn.execute(delete(PAYMENTS).where(PAYMENTS.c.id == payment_id))

    def open_carts(self, *, parked: bool | None = None, shift_id: str | None = None) -> list[tuple[str, str | None, str]]:
        """(id, label, updated_at) of carts that have not completed or been cancelled."""
        stmt = select(CARTS.c.id, CARTS.c.label, CARTS.c.updated_at).where(
            CARTS.c.status.in_(("DRAFT", "PENDING", "PARTIAL"))
        )
        if parked is not None:
            stmt = stmt.where(CARTS.c.parked.is_(parked))
        if shift_id is not None:
            stmt = stmt.where(CARTS.c.shift_id == shift_id)
        return [(r.id, r.label, r.updated_at) for r in self.conn.execute(stmt.order_by(CARTS.c.updated_at))]

    def count_lines(self, cart_id: str) -> int:
        return int(self.conn.execute(select(func.count()).where(LINES.c.cart_id == cart_id)).scalar_one())
