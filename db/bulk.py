"""Bulk loading for large catalogues (benchmarks, first imports): one transaction, executemany."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection


def load_products(conn: Connection, rows: Iterable[tuple[Any, ...]], now: str) -> int:
    """rows: (id, sku, name, category_id, unit, price, tax_code, barcode, on_hand_milli)."""
    rows = list(rows)
    conn.exec_driver_sql(
        "INSERT INTO products (id, sku, name, category_id, unit, price, tax_code, allow_negative_stock, active, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 1, ?)",
        [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], now) for r in rows],
    )
    conn.exec_driver_sql("INSERT INTO barcodes (code, product_id) VALUES (?, ?)", [(r[7], r[0]) for r in rows])
    conn.exec_driver_sql("INSERT INTO stock (product_id, on_hand_milli) VALUES (?, ?)", [(r[0], r[8]) for r in rows])
    return len(rows)
