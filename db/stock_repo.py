"""Stock on hand, reservations held by carts, and insert-only stock movements.

Available = on hand - active, unexpired reservations. Every check-then-reserve runs inside a
BEGIN IMMEDIATE transaction, so two tills (or processes) on one file cannot both take the
last unit.

Each audited movement is linked to the audit entry that recorded it (written in the same
transaction), so head office can say "my figure includes your entries up to #n" and the till adds
exactly its movements after #n on top (docs/central.md, "Stock levels").
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select, update

from db.models.base import table
from db.models.catalogue import Stock, StockMovement, StockReservation
from db.raw_sql import RawSql, insert_sql

STOCK, MOVES, RES = table(Stock), table(StockMovement), table(StockReservation)
_MOVE_SQL = insert_sql(MOVES, ("product_id", "delta_milli", "reason", "ref_id", "created_at"))

# The record a movement of this reason belongs to, written (with its audit entry) before the
# movement in the same transaction. Other audited movements (a delivery) pass their entry.
RECORD_ENTRY = {
    "sale": "SELECT audit_seq FROM sales WHERE id = ?",
    "refund": "SELECT audit_seq FROM refunds WHERE id = ?",
    "void": "SELECT audit_seq FROM sale_voids WHERE sale_id = ?",
}


class StockRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sql = RawSql(conn)  # the scan's and checkout's statements (db/raw_sql.py)

    def on_hand(self, product_id: str) -> int:
        row = self.conn.execute(select(STOCK.c.on_hand_milli).where(STOCK.c.product_id == product_id)).first()
        return row.on_hand_milli if row else 0

    def available(self, product_id: str, now: str) -> int:
        row = self.sql.one(
            "SELECT COALESCE((SELECT on_hand_milli FROM stock WHERE product_id = ?), 0) - "
            "COALESCE((SELECT SUM(qty_milli) FROM stock_reservations WHERE product_id = ? AND status = 'ACTIVE' "
            "AND expires_at > ?), 0)",
            (product_id, product_id, now),
        )
        return int(row[0])

    def reserve(
        self, *, reservation_id: str, product_id: str, cart_id: str, cart_line_id: str, qty_milli: int,
        now: str, expires_at: str,
    ) -> None:
        self.sql.run(
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
        rows = self.sql.all(
            "SELECT cart_line_id, SUM(qty_milli) FROM stock_reservations WHERE cart_id = ? AND status = 'ACTIVE' "
            "GROUP BY cart_line_id", (cart_id,),
        )
        return {row[0]: int(row[1]) for row in rows}

    def holds(self, cart_id: str) -> list[tuple[str, str, int, str]]:
        """The cart's active holds per product: (product_id, sku, qty_milli, latest expiry)."""
        rows = self.sql.all(
            "SELECT r.product_id, COALESCE(p.sku, ''), SUM(r.qty_milli), MAX(r.expires_at) FROM stock_reservations r "
            "LEFT JOIN products p ON p.id = r.product_id WHERE r.cart_id = ? AND r.status = 'ACTIVE' "
            "GROUP BY r.product_id ORDER BY MIN(r.rowid)", (cart_id,),
        )
        return [(row[0], row[1], int(row[2]), row[3]) for row in rows]

    def release_line(self, cart_line_id: str, now: str) -> None:
        self.conn.execute(
            update(RES).where(RES.c.cart_line_id == cart_line_id, RES.c.status == "ACTIVE")
            .values(status="RELEASED", released_at=now)
        )

    def release_cart(self, cart_id: str, now: str) -> int:
        """Release the cart's active holds; how many."""
        done = self.conn.execute(
            update(RES).where(RES.c.cart_id == cart_id, RES.c.status == "ACTIVE")
            .values(status="RELEASED", released_at=now)
        )
        return int(done.rowcount or 0)

    def refresh_cart(self, cart_id: str, expires_at: str) -> None:
        """Extend the cart's active reservations: a cashier still working keeps the stock."""
        self.sql.run(
            "UPDATE stock_reservations SET expires_at = ? WHERE cart_id = ? AND status = 'ACTIVE'",
            (expires_at, cart_id),
        )

    def release_expired(self, now: str, cart_id: str | None = None) -> int:
        """Release lapsed holds (of one cart, or of every cart)."""
        sql = (
            "UPDATE stock_reservations SET status = 'RELEASED', released_at = ? "
            "WHERE status = 'ACTIVE' AND expires_at <= ?"
        )
        params: tuple[str, ...] = (now, now)
        if cart_id is not None:
            sql += " AND cart_id = ?"
            params += (cart_id,)
        return self.sql.run(sql, params) or 0

    def expired_count(self, now: str) -> int:
        """How many holds `release_expired(now)` would release."""
        return int(self.conn.exec_driver_sql(
            "SELECT COUNT(*) FROM stock_reservations WHERE status = 'ACTIVE' AND expires_at <= ?", (now,),
        ).scalar_one())

    def commit_cart(self, cart_id: str, now: str) -> None:
        self.sql.run(
            "UPDATE stock_reservations SET status = 'COMMITTED', released_at = ? "
            "WHERE cart_id = ? AND status = 'ACTIVE'",
            (now, cart_id),
        )

    def move(self, *, product_id: str, delta_milli: int, reason: str, ref_id: str | None, now: str,
             audit_seq: int | None = None) -> None:
        """Record a movement and keep on-hand in step, in the caller's transaction. `audit_seq` is the
        entry that records it; without it, it is found from the reason (see `entry_of`)."""
        self._write([(product_id, delta_milli)], reason, ref_id, now,
                    audit_seq if audit_seq is not None else self.entry_of(reason, ref_id))

    def move_many(self, moves: list[tuple[str, int]], reason: str, ref_id: str, now: str,
                  audit_seq: int | None = None) -> None:
        """Several (product id, delta) movements at once, e.g. every line of a sale."""
        self._write(moves, reason, ref_id, now, audit_seq if audit_seq is not None else self.entry_of(reason, ref_id))

    def set_on_hand(self, product_id: str, qty_milli: int, reason: str, now: str) -> None:
        """A set-up count or local import: unaudited, so a central figure replaces it. Its reason is
        never one an entry writes (sale, void, refund, delivery): `audit verify` reports a movement
        of those reasons that no entry records."""
        delta = qty_milli - self.on_hand(product_id)
        if delta:
            self._write([(product_id, delta)], reason, None, now, None)

    def entry_of(self, reason: str, ref_id: str | None) -> int | None:
        """The audit entry of the record behind a movement of `reason`, or None when the movement is
        not audited (or its caller passes the entry itself)."""
        if reason in RECORD_ENTRY and ref_id is not None:
            row = self.conn.exec_driver_sql(RECORD_ENTRY[reason], (ref_id,)).first()
            return int(row[0]) if row else None
        return None

    def _write(self, moves: list[tuple[str, int]], reason: str, ref_id: str | None, now: str,
               audit_seq: int | None) -> None:
        # Rowids are handed out in order inside this IMMEDIATE transaction: the new movements are
        # exactly those above the highest id before the insert.
        sql = self.sql
        before = sql.one("SELECT coalesce(max(id), 0) FROM stock_movements")[0]
        sql.many(_MOVE_SQL, [(pid, delta, reason, ref_id, now) for pid, delta in moves])
        if audit_seq is not None:
            sql.run("INSERT INTO stock_movement_entries (movement_id, audit_seq) SELECT id, ? FROM stock_movements "
                    "WHERE id > ?", (audit_seq, before))
        sql.many("INSERT OR IGNORE INTO stock (product_id, on_hand_milli) VALUES (?, 0)", [(pid,) for pid, _d in moves])
        sql.many("UPDATE stock SET on_hand_milli = on_hand_milli + ? WHERE product_id = ?",
                 [(delta, pid) for pid, delta in moves])

    # -- head office's figures ------------------------------------------------------------------
    def uncounted(self, product_id: str, counted_seq: int) -> int:
        """This till's movements of a product recorded by entries after `counted_seq`: what a central
        figure that includes entries up to `counted_seq` does not know yet."""
        total = self.conn.exec_driver_sql(
            "SELECT coalesce(sum(m.delta_milli), 0) FROM stock_movements m "
            "JOIN stock_movement_entries e ON e.movement_id = m.id WHERE m.product_id = ? AND e.audit_seq > ?",
            (product_id, counted_seq),
        ).scalar_one()
        return int(total)

    def apply_central(self, product_id: str, on_hand_milli: int, counted_seq: int, version: int, now: str) -> int:
        """Take head office's level and show it plus what it does not include yet. Writes no
        movement: nothing happened to the stock on this till. Returns the new on-hand."""
        self.conn.exec_driver_sql(
            "INSERT INTO stock_central (product_id, on_hand_milli, counted_seq, version, pulled_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(product_id) DO UPDATE SET on_hand_milli = excluded.on_hand_milli, "
            "counted_seq = excluded.counted_seq, version = excluded.version, pulled_at = excluded.pulled_at",
            (product_id, on_hand_milli, counted_seq, version, now),
        )
        level = on_hand_milli + self.uncounted(product_id, counted_seq)
        self.conn.exec_driver_sql(
            "INSERT INTO stock (product_id, on_hand_milli) VALUES (?, ?) "
            "ON CONFLICT(product_id) DO UPDATE SET on_hand_milli = excluded.on_hand_milli",
            (product_id, level),
        )
        return level

    def central(self, product_id: str) -> tuple[int, int] | None:
        """(head office's level, counted seq) last pulled for a product, if any."""
        row = self.conn.exec_driver_sql(
            "SELECT on_hand_milli, counted_seq FROM stock_central WHERE product_id = ?", (product_id,)
        ).first()
        return (int(row[0]), int(row[1])) if row else None
