"""Head office's writes of master data and of its own audit log (`hq_audit`), and the reads its
use cases validate against. Every write runs in the caller's transaction, with the `hq_audit` entry
that records it, so a change and its record land together or not at all.

Each master table's `version` is bumped by a trigger on every write, which is what the tills'
incremental pull follows (db/central/pull_repo.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from db.central.pull_repo import set_stock_level, upsert_master

HQ_AUDIT_LOCK_TIMEOUT = "30s"


# -- hq_audit ------------------------------------------------------------------------------------
def hq_audit_head(conn: psycopg.Connection) -> tuple[int, str | None]:
    """(seq, hash) of the newest entry, after taking head office's audit lock (one writer at a time;
    till roles cannot take it). (0, None) for an empty log."""
    conn.execute(f"SET LOCAL lock_timeout = '{HQ_AUDIT_LOCK_TIMEOUT}'")
    conn.execute("SELECT name FROM hq_locks WHERE name = 'hq_audit' FOR UPDATE")
    row = conn.execute("SELECT seq, hash FROM hq_audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (0, None) if row is None else (int(row[0]), str(row[1]))


def hq_audit_insert(conn: psycopg.Connection, *, seq: int, ts: datetime, type_: str, actor: str | None,
                    body: bytes, prev: str, digest: str) -> None:
    conn.execute("INSERT INTO hq_audit (seq, ts, type, actor, body, prev, hash) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                 (seq, ts, type_, actor, body, prev, digest))


def hq_audit_rows(conn: psycopg.Connection) -> Iterator[tuple[int, datetime, str, str | None, bytes, str, str]]:
    """(seq, ts, type, actor, body, prev, hash) in seq order, read with a server-side cursor."""
    with conn.cursor(name="hq_audit_walk") as cur:
        cur.execute("SELECT seq, ts, type, actor, body, prev, hash FROM hq_audit ORDER BY seq")
        for seq, ts, type_, actor, body, prev, digest in cur:
            yield int(seq), ts, str(type_), actor, bytes(body), str(prev), str(digest)


# -- what the use cases check against -----------------------------------------------------------
def tax_codes(conn: psycopg.Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT code FROM md_tax_rates")}


def store_exists(conn: psycopg.Connection, store: str) -> bool:
    return conn.execute("SELECT 1 FROM stores WHERE store_id = %s", (store,)).fetchone() is not None


def products_by_sku(conn: psycopg.Connection, skus: Iterable[str]) -> dict[str, dict[str, Any]]:
    """sku (case-folded) -> the product's row, for those of `skus` head office lists."""
    wanted = sorted({s.casefold() for s in skus})
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute("SELECT id, sku, store_id, unit, price FROM md_products WHERE lower(sku) = ANY(%s)",
                           (wanted,)).fetchall()
    return {str(r["sku"]).casefold(): r for r in rows}


def barcode_owners(conn: psycopg.Connection, codes: Iterable[str]) -> dict[str, str]:
    """barcode -> SKU of the product holding it now, for those of `codes` in use."""
    rows = conn.execute("SELECT b, sku FROM md_products, unnest(barcodes) AS b WHERE b = ANY(%s)",
                        (sorted(set(codes)),))
    return {str(code): str(sku) for code, sku in rows}


def user(conn: psycopg.Connection, user_id: str) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT id, store_id, name, role, active FROM md_users WHERE id = %s",
                           (user_id,)).fetchone()


def customer(conn: psycopg.Connection, customer_id: str) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT id, name, customer_type, contact_person, credit_limit, terms_days, blocked "
                           "FROM md_customers WHERE id = %s", (customer_id,)).fetchone()


def store_marks(conn: psycopg.Connection, store: str) -> dict[str, int]:
    """Each enrolled till of the store -> its accepted sequence number (0 before its first import):
    what a count taken with the tills synced and imported already includes."""
    # enrolment writes a chain_state row with every till, so this is every enrolled till of the store
    rows = conn.execute("SELECT c.till, c.accepted_seq FROM chain_state c WHERE c.store_id = %s", (store,))
    return {str(t): int(s) for t, s in rows}


# -- writes --------------------------------------------------------------------------------------
def upsert_tax_rate(conn: psycopg.Connection, code: str, name: str, rate_bp: int) -> None:
    upsert_master(conn, "md_tax_rates", [{"code": code, "name": name, "rate_bp": rate_bp}])


def upsert_products(conn: psycopg.Connection, rows: list[dict[str, Any]]) -> None:
    upsert_master(conn, "md_products", rows)


def add_price(conn: psycopg.Connection, *, product_id: str, store_id: str | None, price: int,
              effective_from: datetime) -> int:
    """One price from a time on (NULL store: every store); returns its version."""
    row = conn.execute("INSERT INTO md_prices (product_id, store_id, price, effective_from) "
                       "VALUES (%s, %s, %s, %s) RETURNING version",
                       (product_id, store_id, price, effective_from)).fetchone()
    assert row is not None
    return int(row[0])


def set_base_price(conn: psycopg.Connection, product_id: str, price: int) -> None:
    conn.execute("UPDATE md_products SET price = %s WHERE id = %s", (price, product_id))


def upsert_user(conn: psycopg.Connection, row: dict[str, Any]) -> None:
    upsert_master(conn, "md_users", [row])


USER_COLUMNS = frozenset({"name", "role", "pin_hash", "store_id", "active"})


def update_user(conn: psycopg.Connection, user_id: str, values: dict[str, Any]) -> None:
    """Change some of a user's columns (names from USER_COLUMNS only)."""
    cols = sorted(values)
    if not cols or not set(cols) <= USER_COLUMNS:
        raise ValueError(f"not user columns: {cols}")
    conn.execute(f"UPDATE md_users SET {', '.join(f'{c} = %s' for c in cols)} WHERE id = %s",
                 [*(values[c] for c in cols), user_id])


def upsert_customer(conn: psycopg.Connection, row: dict[str, Any]) -> None:
    upsert_master(conn, "md_customers", [row])


def set_stock(conn: psycopg.Connection, store: str, product_id: str, on_hand_milli: int,
              counted: dict[str, int]) -> None:
    set_stock_level(conn, store, product_id, on_hand_milli, counted)
