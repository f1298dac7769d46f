"""What the customers export reads from the central store: head office's customers with its balance
and each till's counted mark, the verified entries that move an account (their canonical bodies,
read with a server-side cursor), and sales figures per customer from the consolidated tables.

Only accepted entries count (accepted_entries joined to the body pushed with the same hash): never
a fork or an entry the import has not verified.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import psycopg

ITERSIZE = 5_000
LEDGER_TYPES = ("sale.completed", "sale.voided", "refund.completed", "cash.in", "account.payment")

# A sale moves an account only with a customer on it; a cash-in only when it names a customer.
_ENTRIES = """
    SELECT a.till, t.store_id, a.seq, a.type, r.body
    FROM accepted_entries a
    JOIN raw_entries r ON r.till = a.till AND r.seq = a.seq AND r.hash = a.hash
    JOIN tills t ON t.till = a.till
    WHERE a.type = ANY(%(types)s)
      AND (a.type <> 'sale.completed'
           OR EXISTS (SELECT 1 FROM sales_docs d WHERE d.till = a.till AND d.seq = a.seq
                      AND d.doc_kind = 'sale' AND d.customer_id IS NOT NULL))
      AND (a.type <> 'cash.in' OR convert_from(r.body, 'UTF8')::jsonb -> 'data' ? 'customer_id')
    ORDER BY a.ts, a.till, a.seq"""

_SALES = """
    SELECT s.customer_id, count(*), coalesce(sum(s.gross), 0), max(s.business_date)
    FROM sales_docs s
    WHERE s.doc_kind = 'sale' AND s.customer_id IS NOT NULL
      AND (%(stores)s::text[] IS NULL OR s.store_id = ANY(%(stores)s))
      AND NOT EXISTS (SELECT 1 FROM sales_docs v WHERE v.doc_kind = 'void' AND v.till = s.till AND v.doc_id = s.doc_id)
    GROUP BY 1"""

_REFUNDS = """
    SELECT s.customer_id, coalesce(sum(r.gross), 0), max(r.business_date)
    FROM sales_docs r
    JOIN sales_docs s ON s.doc_kind = 'sale' AND s.till = r.till AND s.doc_id = r.ref_id
    WHERE r.doc_kind = 'refund' AND s.customer_id IS NOT NULL
      AND (%(stores)s::text[] IS NULL OR r.store_id = ANY(%(stores)s))
    GROUP BY 1"""


def customers(conn: psycopg.Connection) -> list[tuple[Any, ...]]:
    """(id, name, type, contact person, credit limit, terms days, blocked, balance) by name."""
    return conn.execute(
        "SELECT id, name, customer_type, contact_person, credit_limit, terms_days, blocked, central_balance "
        "FROM md_customers ORDER BY name, id").fetchall()


def counted_marks(conn: psycopg.Connection) -> dict[tuple[str, str], int]:
    """(customer, till) -> the till's last entry head office's balance of the customer includes."""
    return {(str(c), str(t)): int(s) for c, t, s in
            conn.execute("SELECT customer_id, till, counted_seq FROM md_customer_counted")}


def account_entries(conn: psycopg.Connection) -> Iterator[tuple[str, str, int, str, bytes]]:
    """(till, store, seq, type, body) of every accepted entry that may move an account, in the order
    they happened (ts, then till and seq)."""
    with conn.cursor(name="export_customer_entries", binary=True) as cur:
        cur.itersize = ITERSIZE
        cur.execute(_ENTRIES, {"types": list(LEDGER_TYPES)})
        for till, store, seq, type_, body in cur:
            yield str(till), str(store), int(seq), str(type_), bytes(body)


def sales(conn: psycopg.Connection, stores: Sequence[str] | None) -> dict[str, tuple[int, Decimal, Any]]:
    """Per customer: kept sales of the stores (None: all), their gross, the last business date."""
    return {str(r[0]): (int(r[1]), Decimal(r[2]), r[3])
            for r in conn.execute(_SALES, {"stores": list(stores) if stores else None})}


def refunds(conn: psycopg.Connection, stores: Sequence[str] | None) -> dict[str, tuple[Decimal, Any]]:
    """Per customer of the original sale: refunded gross and the last refund's business date."""
    return {str(r[0]): (Decimal(r[1]), r[2])
            for r in conn.execute(_REFUNDS, {"stores": list(stores) if stores else None})}


def known_stores(conn: psycopg.Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT store_id FROM stores ORDER BY 1")]
