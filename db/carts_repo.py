"""Carts are the only sale data that may change: until they complete, they are drafts."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, delete, insert, select, update

from db.models.base import table
from db.models.sales import Cart, CartLine, CartPayment
from kernel.cart_state import CartLineState, CartPaymentState, CartState

CARTS, LINES, PAYMENTS = table(Cart), table(CartLine), table(CartPayment)

# Driver-level SQL: carts are read on every tender and checkout.
_CART_SQL = (
    "SELECT id, status, parked, label, user_id, shift_id, customer_id, subtotal_discount_percent, "
    "subtotal_discount_amount, sale_id, created_at, first_scan_at FROM carts WHERE id = ?"
)
_LINES_SQL = (
    "SELECT id, position, product_id, sku, name, unit, qty_milli, unit_price, price_overridden, tax_code, "
    "tax_rate_bp, discount_percent, discount_amount FROM cart_lines WHERE cart_id = ? ORDER BY position"
)
_PAYMENTS_SQL = "SELECT id, position, method, amount, reference FROM cart_payments WHERE cart_id = ? ORDER BY position"


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
        row = self.conn.exec_driver_sql(_CART_SQL, (cart_id,)).first()
        if row is None:
            return None
        lines = tuple(
            CartLineState(
                id=r.id, position=r.position, product_id=r.product_id, sku=r.sku, name=r.name, unit=r.unit,
                qty_milli=r.qty_milli, unit_price=r.unit_price, price_overridden=bool(r.price_overridden),
                tax_code=r.tax_code, tax_rate_bp=r.tax_rate_bp, discount_percent=Decimal(r.discount_percent),
                discount_amount=r.discount_amount,
            )
            for r in self.conn.exec_driver_sql(_LINES_SQL, (cart_id,))
        )
        payments = tuple(
            CartPaymentState(id=r.id, position=r.position, method=r.method, amount=r.amount, reference=r.reference)
            for r in self.conn.exec_driver_sql(_PAYMENTS_SQL, (cart_id,))
        )
        return CartState(
            id=row.id, status=row.status, parked=bool(row.parked), label=row.label, user_id=row.user_id,
            shift_id=row.shift_id, customer_id=row.customer_id,
            subtotal_discount_percent=Decimal(row.subtotal_discount_percent),
            subtotal_discount_amount=row.subtotal_discount_amount, sale_id=row.sale_id, created_at=row.created_at,
            first_scan_at=row.first_scan_at, lines=lines, payments=payments,
        )

    def header(self, cart_id: str) -> tuple[str, bool, str | None, int] | None:
        """(status, parked, first_scan_at, number of payments): what a scan needs, in one query."""
        row = self.conn.exec_driver_sql(
            "SELECT status, parked, first_scan_at, (SELECT COUNT(*) FROM cart_payments WHERE cart_id = carts.id) "
            "FROM carts WHERE id = ?", (cart_id,),
        ).first()
        return (row[0], bool(row[1]), row[2], row[3]) if row else None

    def mergeable_line(self, cart_id: str, product_id: str, unit_price: int) -> tuple[str, int] | None:
        """(line id, qty) of a plain line of the same product and price, which a new scan adds to."""
        row = self.conn.exec_driver_sql(
            "SELECT id, qty_milli FROM cart_lines WHERE cart_id = ? AND product_id = ? AND unit_price = ? "
            "AND price_overridden = 0 AND discount_amount = 0 AND discount_percent = '0' AND unit = 'each' "
            "ORDER BY position LIMIT 1", (cart_id, product_id, unit_price),
        ).first()
        return (row[0], row[1]) if row else None

    def scanned(self, cart_id: str, now: str) -> None:
        """Mark activity after a scan (first scan time kept for the shift report's timing)."""
        self.conn.exec_driver_sql(
            "UPDATE carts SET updated_at = ?, status = 'DRAFT', first_scan_at = COALESCE(first_scan_at, ?) "
            "WHERE id = ?", (now, now, cart_id),
        )

    def update(self, cart_id: str, **values: object) -> None:
        self.conn.execute(update(CARTS).where(CARTS.c.id == cart_id).values(**values))

    def add_line(self, cart_id: str, line: CartLineState) -> None:
        self.conn.exec_driver_sql(
            "INSERT INTO cart_lines (id, cart_id, position, product_id, sku, name, unit, qty_milli, unit_price, "
            "price_overridden, tax_code, tax_rate_bp, discount_percent, discount_amount) "
            "VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM cart_lines WHERE cart_id = ?), "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (line.id, cart_id, cart_id, line.product_id, line.sku, line.name, line.unit, line.qty_milli,
             line.unit_price, line.price_overridden, line.tax_code, line.tax_rate_bp, str(line.discount_percent),
             line.discount_amount),
        )

    def set_line_qty(self, line_id: str, qty_milli: int) -> None:
        self.conn.exec_driver_sql("UPDATE cart_lines SET qty_milli = ? WHERE id = ?", (qty_milli, line_id))

    def update_line(self, line_id: str, **values: object) -> None:
        if "discount_percent" in values:
            values["discount_percent"] = str(values["discount_percent"])
        self.conn.execute(update(LINES).where(LINES.c.id == line_id).values(**values))

    def delete_line(self, line_id: str) -> None:
        self.conn.execute(delete(LINES).where(LINES.c.id == line_id))

    def add_payment(self, cart_id: str, payment: CartPaymentState) -> None:
        self.conn.exec_driver_sql(
            "INSERT INTO cart_payments (id, cart_id, position, method, amount, reference) VALUES (?, ?, ?, ?, ?, ?)",
            (payment.id, cart_id, payment.position, payment.method, payment.amount, payment.reference),
        )

    def delete_payment(self, payment_id: str) -> None:
        self.conn.execute(delete(PAYMENTS).where(PAYMENTS.c.id == payment_id))

    def open_carts(
        self, *, parked: bool | None = None, shift_id: str | None = None
    ) -> list[tuple[str, str | None, str]]:
        """(id, label, updated_at) of carts that have not completed or been cancelled."""
        stmt = select(CARTS.c.id, CARTS.c.label, CARTS.c.updated_at).where(
            CARTS.c.status.in_(("DRAFT", "PENDING", "PARTIAL"))
        )
        if parked is not None:
            stmt = stmt.where(CARTS.c.parked.is_(parked))
        if shift_id is not None:
            stmt = stmt.where(CARTS.c.shift_id == shift_id)
        return [(r.id, r.label, r.updated_at) for r in self.conn.execute(stmt.order_by(CARTS.c.updated_at))]
