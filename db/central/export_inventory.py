"""What the inventory export reads from the central store: each product listed for each store with
head office's figure and what the store's tills moved after their counted marks, and the stock
movements themselves, read with a server-side cursor.

A movement is an effect of a verified entry, as the tills record it (`app/audit/effects.py`): a
sale's lines go out, a void gives its sale's lines back, a refund's lines come back, a delivery
(`stock.received`, read from its body: the import does not consolidate it) comes in. Quantities
are in thousandths.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg

ITERSIZE = 5_000

MOVES = """
    SELECT l.store_id, l.till, d.seq, d.ts, l.sku, -(l.qty * 1000)::bigint AS delta, 'sale' AS reason,
           d.receipt_no AS reference
    FROM doc_lines l
    JOIN sales_docs d ON d.till = l.till AND d.doc_kind = l.doc_kind AND d.doc_id = l.doc_id
                     AND d.business_date = l.business_date
    WHERE l.doc_kind = 'sale' AND l.store_id = ANY(%(stores)s)
    UNION ALL
    SELECT l.store_id, l.till, v.seq, v.ts, l.sku, (l.qty * 1000)::bigint, 'refund', v.receipt_no
    FROM doc_lines l
    JOIN sales_docs v ON v.till = l.till AND v.doc_kind = l.doc_kind AND v.doc_id = l.doc_id
                     AND v.business_date = l.business_date
    WHERE l.doc_kind = 'refund' AND l.store_id = ANY(%(stores)s)
    UNION ALL
    SELECT v.store_id, v.till, v.seq, v.ts, l.sku, (l.qty * 1000)::bigint, 'void', v.receipt_no
    FROM sales_docs v
    JOIN doc_lines l ON l.till = v.till AND l.doc_kind = 'sale' AND l.doc_id = v.doc_id
    WHERE v.doc_kind = 'void' AND v.store_id = ANY(%(stores)s)
    UNION ALL
    SELECT t.store_id, a.till, a.seq, a.ts, b.data ->> 'sku', ((b.data ->> 'qty')::numeric * 1000)::bigint,
           'delivery', NULL
    FROM accepted_entries a
    JOIN raw_entries r ON r.till = a.till AND r.seq = a.seq AND r.hash = a.hash
    JOIN tills t ON t.till = a.till
    CROSS JOIN LATERAL (SELECT convert_from(r.body, 'UTF8')::jsonb -> 'data' AS data) b
    WHERE a.type = 'stock.received' AND t.store_id = ANY(%(stores)s)
"""

# The price in force at a store: the newest of head office's prices for the store or for every store
# that has begun, else the catalogue price (as a till applies them, by its own clock).
_ITEMS = f"""
    WITH moves AS ({MOVES}),
    listed AS (
        SELECT st.store_id, p.id, p.sku, p.name, p.category, p.unit, p.price, p.cost, p.reorder_level_milli,
               p.active, p.barcodes
        FROM stores st
        JOIN md_products p ON p.store_id IS NULL OR p.store_id = st.store_id
        WHERE st.store_id = ANY(%(stores)s)),
    moved AS (
        SELECT m.store_id, m.sku,
               coalesce(sum(m.delta) FILTER (WHERE m.seq > coalesce(c.counted_seq, 0)), 0) AS after_mark,
               coalesce(sum(m.delta) FILTER (WHERE m.ts >= %(cutoff)s), 0) AS after_cutoff
        FROM moves m
        LEFT JOIN md_products p ON p.sku = m.sku
        LEFT JOIN md_stock_counted c ON c.store_id = m.store_id AND c.product_id = p.id AND c.till = m.till
        GROUP BY 1, 2)
    SELECT l.store_id, l.id, l.sku, l.name, l.category, l.unit,
           coalesce((SELECT pr.price FROM md_prices pr
                     WHERE pr.product_id = l.id AND (pr.store_id IS NULL OR pr.store_id = l.store_id)
                       AND pr.effective_from <= %(now)s
                     ORDER BY pr.effective_from DESC, pr.id DESC LIMIT 1), l.price),
           l.cost, l.reorder_level_milli, l.active, l.barcodes[1],
           coalesce(s.on_hand_milli, 0) + coalesce(mv.after_mark, 0), coalesce(mv.after_cutoff, 0)
    FROM listed l
    LEFT JOIN md_stock s ON s.store_id = l.store_id AND s.product_id = l.id
    LEFT JOIN moved mv ON mv.store_id = l.store_id AND mv.sku = l.sku
    ORDER BY l.store_id, l.sku"""

_MOVEMENTS = f"""
    SELECT m.ts, m.store_id, m.till, m.sku, m.reason, m.reference, m.delta, m.seq
    FROM ({MOVES}) m
    WHERE m.ts < %(cutoff)s
    ORDER BY m.ts, m.till, m.seq, m.sku"""

END_OF_TIME = datetime(9999, 12, 31, tzinfo=UTC)


def stores(conn: psycopg.Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT store_id FROM stores ORDER BY 1")]


def items(conn: psycopg.Connection, stores: Sequence[str], now: datetime, cutoff: datetime | None
          ) -> list[tuple[Any, ...]]:
    """(store, product id, sku, name, category, unit, price in force, cost or None, reorder level or
    None, active, first barcode, on hand now, moved at or after `cutoff`) per product and store."""
    params = {"stores": list(stores), "now": now, "cutoff": cutoff or END_OF_TIME}
    return conn.execute(_ITEMS, params).fetchall()


def movements(conn: psycopg.Connection, stores: Sequence[str], cutoff: datetime | None
              ) -> Iterator[tuple[Any, ...]]:
    """(ts, store, till, sku, reason, receipt no or None, delta, seq) before `cutoff`, oldest first."""
    with conn.cursor(name="export_inventory_movements") as cur:
        cur.itersize = ITERSIZE
        cur.execute(_MOVEMENTS, {"stores": list(stores), "cutoff": cutoff or END_OF_TIME})
        yield from cur
