"""What the inventory export reads on the till: each product with its stock, cost, price and reorder
level, the stock movements with the receipt or entry behind each one, and what moved after a moment
(to count a past level back from today's).

Rows come straight from SQLite's cursor (db/raw_sql.py): the movements are never a list.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection

from db.raw_sql import RawSql

_ITEMS = """
    SELECT p.id, p.sku, p.name, c.name, p.unit, p.price, p.cost, p.reorder_level_milli, p.active,
           coalesce(s.on_hand_milli, 0), (SELECT min(b.code) FROM barcodes b WHERE b.product_id = p.id)
    FROM products p
    LEFT JOIN categories c ON c.id = p.category_id
    LEFT JOIN stock s ON s.product_id = p.id
    ORDER BY p.sku"""

# The receipt behind a movement: a sale's or void's sale, a refund's own receipt.
_MOVEMENTS = """
    SELECT m.created_at, m.product_id, m.reason,
           CASE WHEN m.reason IN ('sale', 'void') THEN (SELECT s.receipt_no FROM sales s WHERE s.id = m.ref_id)
                WHEN m.reason = 'refund' THEN (SELECT r.receipt_no FROM refunds r WHERE r.id = m.ref_id)
           END,
           m.delta_milli, e.audit_seq
    FROM stock_movements m LEFT JOIN stock_movement_entries e ON e.movement_id = m.id
    WHERE m.created_at < ?
    ORDER BY m.created_at, m.id"""

_MOVED_SINCE = """
    SELECT product_id, sum(delta_milli) FROM stock_movements WHERE created_at >= ? GROUP BY product_id"""

_CENTRAL_SINCE = "SELECT product_id FROM stock_central WHERE pulled_at >= ?"

END_OF_TIME = "9999-12-31T23:59:59.999999Z"


class ExportInventoryRepo:
    def __init__(self, conn: Connection) -> None:
        self.sql = RawSql(conn)

    def items(self) -> list[tuple[Any, ...]]:
        """(product id, sku, name, category name, unit, price, cost or None, reorder level or None,
        active, on hand, first barcode) by SKU."""
        return self.sql.all(_ITEMS)

    def movements(self, before: str | None) -> Iterator[tuple[Any, ...]]:
        """(created at, product id, reason, receipt no or None, delta, audit seq or None) stamped
        before `before` (an audit timestamp; None: all), oldest first."""
        return self.sql.stream(_MOVEMENTS, (before or END_OF_TIME,))

    def moved_since(self, since: str) -> dict[str, int]:
        """Per product, the sum of the movements stamped at or after `since`."""
        return {row[0]: int(row[1]) for row in self.sql.stream(_MOVED_SINCE, (since,))}

    def central_since(self, since: str) -> set[str]:
        """Products whose level head office last sent at or after `since`: the pull sets a level
        without a movement, so a level counted back past it is not the level the till had."""
        return {row[0] for row in self.sql.stream(_CENTRAL_SINCE, (since,))}
