"""Carts are the only sale data that may change: until they complete, they are drafts."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, delete, insert, select, update

from db.models.base import table
from db.models.sales import Cart, CartLine, CartPayment
from db.raw_sql import RawSql
from kernel.cart_state import CartLineState, CartPaymentState, CartState

CARTS, LINES, PAYMENTS = table(Cart), table(CartLine), table(CartPayment)

# Driver-level SQL (db/raw_sql.py): carts are read on every tender and checkout, written on every scan.
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
        self.sql = RawSql(conn)

    def create(self, *, cart_id: str, user_id: str, shift_id: str | None, now: str) -> None:
        self.conn.execute(
            insert(CARTS).values(id=cart_id, status="DRAFT", parked=False, user_id=user_id, shift_id=shift_id,
                                 subtotal_discount_percent="0", subtotal_discount_amount=0, created_at=now,
                                 updated_at=now)
        )

    def get(self, cart_id: str) -> CartState | None:
        row = self.sql.one(_CART_SQL, (cart_id,))
        if row is None:
            return None
        lines = tuple(
            CartLineState(
                id=r[0], position=r[1], product_id=r[2], sku=r[3], name=r[4], unit=r[5], qty_milli=r[6],
                unit_price=r[7], price_overridden=bool(r[8]), tax_code=r[9], tax_rate_bp=r[10],
                discount_percent=Decimal(r[11]), discount_amount=r[12],
            )
            for r in self.sql.all(_LINES_SQL, (cart_id,))
        )
        payments = tuple(
            CartPaymentState(id=r[0], position=r[1], method=r[2], amount=r[3], reference=r[4])
            for r in self.sql.all(_PAYMENTS_SQL, (cart_id,))
        )
        return CartState(
            id=row[0], status=row[1], parked=bool(row[2]), label=row[3], user_id=row[4], shift_id=row[5],
            customer_id=row[6], subtotal_discount_percent=Decimal(row[7]), subtotal_discount_amount=row[8],
            sale_id=row[9], created_at=row[10], first_scan_at=row[11], lines=lines, payments=payments,
        )

    def header(self, cart_id: str) -> tuple[str, bool, str | None, int] | None:
        """(status, parked, first_scan_at, number of payments): what a scan needs, in one query."""
        row = self.sql.one(
            "SELECT status, parked, first_scan_at, (SELECT COUNT(*) FROM cart_payments WHERE cart_id = carts.id) "
            "FROM carts WHERE id = ?", (cart_id,),
        )
        return (row[0], bool(row[1]), row[2], row[3]) if row else None

    def mergeable_line(self, cart_id: str, product_id: str, unit_price: int) -> tuple[str, int] | None:
        """(line id, qty) of a plain line of the same product and price, which a new scan adds to."""
        row = self.sql.one(
            "SELECT id, qty_milli FROM cart_lines WHERE cart_id = ? AND product_id = ? AND unit_price = ? "
            "AND price_overridden = 0 AND discount_amount = 0 AND discount_percent = '0' AND unit = 'each' "
            "ORDER BY position LIMIT 1", (cart_id, product_id, unit_price),
        )
        return (row[0], row[1]) if row else None

    def scanned(self, cart_id: str, now: str) -> None:
        """Mark activity after a scan (first scan time kept for the shift report's timing)."""
        self.sql.run(
            "UPDATE carts SET updated_at = ?, status = 'DRAFT', first_scan_at = COALESCE(first_scan_at, ?) "
            "WHERE id = ?", (now, now, cart_id),
        )

    def update(self, cart_id: str, **values: object) -> None:
        self.conn.execute(update(CARTS).where(CARTS.c.id == cart_id).values(**values))

    def set_status(self, cart_id: str, status: str, now: str, sale_id: str | None = None) -> None:
        """The status change of every tender and checkout (sale_id once it completes)."""
        self.sql.run("UPDATE carts SET status = ?, sale_id = COALESCE(?, sale_id), updated_at = ? WHERE id = ?",
                     (status, sale_id, now, cart_id))

    def add_line(self, cart_id: str, line: CartLineState) -> None:
        self.sql.run(
            "INSERT INTO cart_lines (id, cart_id, position, product_id, sku, name, unit, qty_milli, unit_price, "
            "price_overridden, tax_code, tax_rate_bp, discount_percent, discount_amount) "
            "VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM cart_lines WHERE cart_id = ?), "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (line.id, cart_id, cart_id, line.product_id, line.sku, line.name, line.unit, line.qty_milli,
             line.unit_price, line.price_overridden, line.tax_code, line.tax_rate_bp, str(line.discount_percent),
             line.discount_amount),
        )

    def set_line_qty(self, line_id: str, qty_milli: int) -> None:
        self.sql.run("UPDATE cart_lines SET qty_milli = ? WHERE id = ?", (qty_milli, line_id))

    def update_line(self, line_id: str, **values: object) -> None:
        if "discount_percent" in values:
            values["discount_percent"] = str(values["discount_percent"])
        self.conn.execute(update(LINES).where(LINES.c.id == line_id).values(**values))

    def delete_line(self, line_id: str) -> None:
        self.conn.execute(delete(LINES).where(LINES.c.id == line_id))

    def add_payment(self, cart_id: str, payment: CartPaymentState) -> None:
        self.sql.run(
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
