"""Stock on hand, reservations held by carts, and insert-only stock movements.

Available = on hand - active, unexpired reservations. Every check-then-reserve runs inside a
BEGIN IMMEDIATE transaction, so two tills (or processes) on one file cannot both take the
last unit.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, select, update

from db.models.catalogue import Stock, StockMovement, StockReservation

STOCK, MOVES, RES = Stock.__table__, StockMovement.__table__, StockReservation.__table__


class StockRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def on_hand(self, product_id: str) -> int:
        row = self.conn.execute(select(STOCK.c.on_hand_milli).where(STOCK.c.product_id == product_id)).first()
        return row.on_hand_milli if row else 0

    def reserved(self, product_id: str, now: str) -> int:
        total = self.conn.execute(
            select(func.coalesce(func.sum(RES.c.qty_milli), 0)).where(
                RES.c.product_id == product_id, RES.c.status == "ACTIVE", RES.c.expires_at > now
            )
        ).scalar_one()
        return int(total)

    def available(self, product_id: str, now: str) -> int:
        row = self.conn.exec_driver_sql(
            "SELECT COALESCE((SELECT on_hand_milli FROM stock WHERE product_id = ?), 0) - "
            "COALESCE((SELECT SUM(qty_milli) FROM stock_reservations WHERE product_id = ? AND status = 'ACTIVE' "
            "AND expires_at > ?), 0)",
            (product_id, product_id, now),
        ).first()
        return int(row[0])

    def reserve(
        self, *, reservation_id: str, product_id: str, cart_id: str, cart_line_id: str, qty_milli: int,
        now: str, expires_at: str,
    ) -> None:
        self.conn.exec_driver_sql(
            "INSERT INTO stock_reservations (id, product_id, cart_id, cart_line_id, qty_milli, status, created_at, "
            "expires_at) VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?)",
            (reservation_id, product_id, cart_id, cart_line_id, qty_milli, now, expires_at),
        )

    def active_for_line(self, cart_line_id: str) -> int:
        total = self.conn.execute(
            select(func.coalesce(func.sum(RES.c.qty_milli), 0)).where(
                RES.c.cart_line_id == cart_line_id, RES.c.status == "ACTIVE"
            )
        ).scalar_one()
        return int(total)

    def held_by_line(self, cart_id: str) -> dict[str, int]:
        """Active reservations of a cart per line, in one query (checkout reads every line)."""
        rows = self.conn.exec_driver_sql(
            "SELECT cart_line_id, SUM(qty_milli) FROM stock_reservations WHERE cart_id = ? AND status = 'ACTIVE' "
            "GROUP BY cart_line_id", (cart_id,),
        )
        return {row[0]: int(row[1]) for row in rows}

    def release_line(self, cart_line_id: str, now: str) -> None:
        self.conn.execute(
            update(RES).where(RES.c.cart_line_id == cart_line_id, RES.c.status == "ACTIVE")
            .values(status="RELEASED", released_at=now)
        )

    def release_cart(self, cart_id: str, now: str) -> None:
        self.conn.execute(
            update(RES).where(RES.c.cart_id == cart_id, RES.c.status == "ACTIVE")
            .values(status="RELEASED", released_at=now)
        )

    def refresh_cart(self, cart_id: str, expires_at: str) -> None:
        """Extend the cart's active reservations: a cashier still working keeps the stock."""
        self.conn.exec_driver_sql(
            "UPDATE stock_reservations SET expires_at = ? WHERE cart_id = ? AND status = 'ACTIVE'",
            (expires_at, cart_id),
        )

    def release_expired(self, now: str, cart_id: str | None = None) -> int:
        """Release lapsed holds (of one cart, or of every cart)."""
        sql = (
            "UPDATE stock_reservations SET status = 'RELEASED', released_at = ? "
            "WHERE status = 'ACTIVE' AND expires_at <= ?"
        )
        params: tuple = (now, now)
        if cart_id is not None:
            sql += " AND cart_id = ?"
            params += (cart_id,)
        return self.conn.exec_driver_sql(sql, params).rowcount or 0

    def commit_cart(self, cart_id: str, now: str) -> None:
        self.conn.exec_driver_sql(
            "UPDATE stock_reservations SET status = 'COMMITTED', released_at = ? "
            "WHERE cart_id = ? AND status = 'ACTIVE'",
            (now, cart_id),
        )

    def move(self, *, product_id: str, delta_milli: int, reason: str, ref_id: str | None, now: str) -> None:
        """Record a movement and keep on-hand in step, in the caller's transaction."""
        self.conn.exec_driver_sql(
            "INSERT INTO stock_movements (product_id, delta_milli, reason, ref_id, created_at) VALUES (?, ?, ?, ?, ?)",
            (product_id, delta_milli, reason, ref_id, now),
        )
        updated = self.conn.exec_driver_sql(
            "UPDATE stock SET on_hand_milli = on_hand_milli + ? WHERE product_id = ?", (delta_milli, product_id)
        )
        if not updated.rowcount:
            self.conn.execute(insert(STOCK).values(product_id=product_id, on_hand_milli=delta_milli))

    def move_many(self, moves: list[tuple[str, int]], reason: str, ref_id: str, now: str) -> None:
        """Several (product id, delta) movements at once, e.g. every line of a sale."""
        self.conn.exec_driver_sql(
            "INSERT INTO stock_movements (product_id, delta_milli, reason, ref_id, created_at) VALUES (?, ?, ?, ?, ?)",
            [(pid, delta, reason, ref_id, now) for pid, delta in moves],
        )
        self.conn.exec_driver_sql("INSERT OR IGNORE INTO stock (product_id, on_hand_milli) VALUES (?, 0)",
                                  [(pid,) for pid, _d in moves])
        self.conn.exec_driver_sql("UPDATE stock SET on_hand_milli = on_hand_milli + ? WHERE product_id = ?",
                                  [(delta, pid) for pid, delta in moves])

    def set_on_hand(self, product_id: str, qty_milli: int, reason: str, now: str) -> None:
        delta = qty_milli - self.on_hand(product_id)
        if delta:
            self.move(product_id=product_id, delta_milli=delta, reason=reason, ref_id=None, now=now)
