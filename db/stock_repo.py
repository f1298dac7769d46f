"""Stock on hand, reservations held by carts, and insert-only stock movements.

Available = on hand - active, unexpired reservations. Every check-then-reserve runs inside a
BEGIN IMMEDIATE transaction, so two tills (or processes) on one file cannot both take the
last unit.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, func, insert, select, update

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
        return self.on_hand(product_id) - self.reserved(product_id, now)

    def reserve(
        self, *, reservation_id: str, product_id: str, cart_id: str, cart_line_id: str, qty_milli: int,
        now: str, expires_at: str,
    ) -> None:
        self.conn.execute(
            insert(RES).values(
                id=reservation_id, product_id=product_id, cart_id=cart_id, cart_line_id=cart_line_id,
                qty_milli=qty_milli, status="ACTIVE", created_at=now, expires_at=expires_at,
            )
        )

    def active_for_line(self, cart_line_id: str) -> int:
        total = self.conn.execute(
            select(func.coalesce(func.sum(RES.c.qty_milli), 0)).where(
                RES.c.cart_line_id == cart_line_id, RES.c.status == "ACTIVE"
            )
        ).scalar_one()
        return int(total)

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
        self.conn.execute(
            update(RES).where(RES.c.cart_id == cart_id, RES.c.status == "ACTIVE").values(expires_at=expires_at)
        )

    def expired_carts(self, now: str) -> list[str]:
        rows = self.conn.execute(
            select(RES.c.cart_id).where(RES.c.status == "ACTIVE", RES.c.expires_at <= now).distinct()
        )
        return [r.cart_id for r in rows]

    def release_expired(self, now: str) -> int:
        result = self.conn.execute(
            update(RES).where(and_(RES.c.status == "ACTIVE", RES.c.expires_at <= now))
            .values(status="RELEASED", released_at=now)
        )
        return result.rowcount or 0

    def commit_cart(self, cart_id: str, now: str) -> None:
        self.conn.execute(
            update(RES).where(RES.c.cart_id == cart_id, RES.c.status == "ACTIVE")
            .values(status="COMMITTED", released_at=now)
        )

    def move(self, *, product_id: str, delta_milli: int, reason: str, ref_id: str | None, now: str) -> None:
        """Record a movement and keep on-hand in step, in the caller's transaction."""
        self.conn.execute(
            insert(MOVES).values(product_id=product_id, delta_milli=delta_milli, reason=reason, ref_id=ref_id,
                                 created_at=now)
        )
        updated = self.conn.execute(
            update(STOCK).where(STOCK.c.product_id == product_id)
            .values(on_hand_milli=STOCK.c.on_hand_milli + delta_milli)
        )
        if not updated.rowcount:
            self.conn.execute(insert(STOCK).values(product_id=product_id, on_hand_milli=delta_milli))

    def set_on_hand(self, product_id: str, qty_milli: int, reason: str, now: str) -> None:
        delta = qty_milli - self.on_hand(product_id)
        if delta:
            self.move(product_id=product_id, delta_milli=delta, reason=reason, ref_id=None, now=now)
