"""What a till reads from the central store under its own role: master data changed since its
watermarks, stock figures with what they already include of this till, and head office's
countersignatures of this till's checkpoints. Row-level security decides which rows a till sees;
the queries name the till only through `current_user`, never through an id the caller passes.

Each pull reads one snapshot (REPEATABLE READ), so a stock figure or a customer balance and its
counted mark, written together by head office, are never seen half-updated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg
from psycopg.rows import dict_row

OWN_TILL = "(SELECT t.till FROM tills t WHERE t.role_name = current_user)"
OWN_STORE = "(SELECT t.store_id FROM tills t WHERE t.role_name = current_user)"

MASTER_QUERIES = {
    "tax_rates": "SELECT code, name, rate_bp, version FROM md_tax_rates WHERE version > %(since)s ORDER BY version",
    "products": "SELECT id, sku, name, unit, price, cost, tax_code, allow_negative_stock, active, barcodes, "
                "reorder_level_milli, version FROM md_products WHERE version > %(since)s ORDER BY version",
    # head office's prices, per store or for all, each from a time on (UTC, the audit form)
    "prices": "SELECT id, product_id, price, "
              "to_char(effective_from AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS effective_from, "
              "version FROM md_prices WHERE version > %(since)s ORDER BY version",
    "users": "SELECT id, name, role, pin_hash, active, version FROM md_users WHERE version > %(since)s "
             "ORDER BY version",
    "promotions": "SELECT id, name, kind, rule, active, version FROM md_promotions WHERE version > %(since)s "
                  "ORDER BY version",
    # A balance and this till's counted mark travel as one row, like a stock figure and its mark.
    "customers": f"""SELECT id, name, customer_type, credit_limit, terms_days, blocked, central_balance, counted_seq,
                            version FROM (
                         SELECT c.id, c.name, c.customer_type, c.credit_limit, c.terms_days, c.blocked,
                                c.central_balance, coalesce(k.counted_seq, 0) AS counted_seq,
                                greatest(c.version, coalesce(k.version, 0)) AS version
                         FROM md_customers c
                         LEFT JOIN md_customer_counted k ON k.customer_id = c.id AND k.till = {OWN_TILL}) x
                     WHERE version > %(since)s ORDER BY version""",
    # A figure and this till's counted mark travel as one row: either changing re-sends both.
    "stock": f"""SELECT product_id, on_hand_milli, counted_seq, version FROM (
                     SELECT s.product_id, s.on_hand_milli, coalesce(c.counted_seq, 0) AS counted_seq,
                            greatest(s.version, coalesce(c.version, 0)) AS version
                     FROM md_stock s
                     LEFT JOIN md_stock_counted c ON c.store_id = s.store_id AND c.product_id = s.product_id
                                                 AND c.till = {OWN_TILL}
                     WHERE s.store_id = {OWN_STORE}) x
                 WHERE version > %(since)s ORDER BY version""",
}

WITNESSES = f"""
    SELECT c.till, c.tree_size, c.entry_seq, c.root, c.head, c.key_id, c.signature, c.witness,
           c.accepted_at, k.public_key AS witness_public_key
    FROM checkpoints c LEFT JOIN witness_keys k ON k.key_id = c.witness->>'witness_key_id'
    WHERE c.store_id = {OWN_STORE} AND c.till = {OWN_TILL} AND c.tree_size > %(since)s
    ORDER BY c.tree_size LIMIT %(limit)s"""


def _snapshot(conn: psycopg.Connection, began: bool) -> None:
    """One snapshot for every query of the pull; inside a caller's transaction, the caller's."""
    if began:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def _idle(conn: psycopg.Connection) -> bool:
    return conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def master_changes(conn: psycopg.Connection, since: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """Rows changed after each table's watermark; RLS keeps them to the till's own store."""
    out: dict[str, list[dict[str, Any]]] = {}
    began = _idle(conn)
    with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        _snapshot(conn, began)
        for name, query in MASTER_QUERIES.items():
            out[name] = list(cur.execute(query, {"since": since.get(name, 0)}).fetchall())
    return out


def witnesses(conn: psycopg.Connection, after_tree_size: int, limit: int = 1000) -> list[dict[str, Any]]:
    """This till's accepted checkpoints above a tree size, with head office's countersignature and
    the public key it names (None if head office does not publish it)."""
    began = _idle(conn)
    with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        _snapshot(conn, began)
        rows = cur.execute(WITNESSES, {"since": after_tree_size, "limit": limit}).fetchall()
    for row in rows:
        if row["witness_public_key"] is not None:
            row["witness_public_key"] = bytes(row["witness_public_key"])
    return rows


MASTER_KEYS = {
    "md_tax_rates": ("code",),
    "md_stock": ("store_id", "product_id"),
    "md_stock_counted": ("store_id", "product_id", "till"),
    "md_customer_counted": ("customer_id", "till"),
}


def upsert_master(conn: psycopg.Connection, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Head office's side of master data (tests and tools): insert or update by primary key."""
    keys = MASTER_KEYS.get(table, ("id",))
    for row in rows:
        cols = list(row)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols if c not in keys)
        conn.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))}) "
            f"ON CONFLICT ({', '.join(keys)}) DO {'UPDATE SET ' + updates if updates else 'NOTHING'}",
            [row[c] for c in cols],
        )


def set_stock_level(conn: psycopg.Connection, store_id: str, product_id: str, on_hand_milli: int,
                    counted: dict[str, int]) -> None:
    """Head office's side: a store's level for a product and, per till, up to which of its audit
    entries that level includes; a till not named gets none included (mark 0). Written together in
    the caller's transaction; the level's write re-sends both to the store's tills."""
    upsert_master(conn, "md_stock", [{"store_id": store_id, "product_id": product_id,
                                      "on_hand_milli": on_hand_milli}])
    conn.execute("DELETE FROM md_stock_counted WHERE store_id = %s AND product_id = %s AND NOT till = ANY(%s)",
                 (store_id, product_id, list(counted)))
    upsert_master(conn, "md_stock_counted", [
        {"store_id": store_id, "product_id": product_id, "till": till, "counted_seq": seq}
        for till, seq in counted.items()
    ])


def set_customer_balance(conn: psycopg.Connection, customer_id: str, balance: int, counted: dict[str, int]) -> None:
    """Head office's side: a customer's balance (minor units, positive = owed) and, per till, up to
    which of its audit entries the balance includes that till's account movements. A till not
    named gets none of its entries included (mark 0). Written together in the caller's transaction;
    the balance's update re-sends the customer to every till even when only a mark changed."""
    if isinstance(balance, bool) or not isinstance(balance, int):
        raise TypeError(f"a balance is an int of minor units, not {type(balance).__name__}")
    bad = [t for t, seq in counted.items() if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0]
    if bad:
        raise ValueError(f"counted marks must be sequence numbers (ints >= 0); not for {', '.join(map(str, bad))}")
    with conn.transaction():
        found = conn.execute("UPDATE md_customers SET central_balance = %s WHERE id = %s", (balance, customer_id))
        if found.rowcount != 1:
            raise LookupError(f"no customer {customer_id!r} at head office")
        conn.execute("DELETE FROM md_customer_counted WHERE customer_id = %s AND NOT till = ANY(%s)",
                     (customer_id, list(counted)))
        upsert_master(conn, "md_customer_counted", [
            {"customer_id": customer_id, "till": till, "counted_seq": seq} for till, seq in counted.items()
        ])
