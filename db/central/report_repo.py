"""Store-level daily figures from the consolidated tables (indexed by store and business date)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import psycopg

LIVE_SALES = """
    FROM sales_docs s
    WHERE s.store_id = %(store)s AND s.business_date = %(day)s AND s.doc_kind = 'sale'
      AND NOT EXISTS (SELECT 1 FROM sales_docs v WHERE v.store_id = s.store_id AND v.doc_kind = 'void'
                      AND v.till = s.till AND v.doc_id = s.doc_id)
"""


def _one(conn: psycopg.Connection, query: str, params: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(conn.execute(query, params).fetchone() or ())


def blockers(conn: psycopg.Connection, store: str, day: date) -> list[str]:
    """Why the day cannot be closed for this store: open shifts, unverified or flagged tills."""
    params = {"store": store, "day": day}
    out = [
        f"till {till} has shift {shift} open on {day}"
        for till, shift in conn.execute(
            """SELECT o.till, o.shift_id FROM shift_events o
               WHERE o.store_id = %(store)s AND o.business_date = %(day)s AND o.event = 'opened'
                 AND NOT EXISTS (SELECT 1 FROM shift_events c WHERE c.store_id = o.store_id AND c.till = o.till
                                 AND c.shift_id = o.shift_id AND c.event = 'closed')
               ORDER BY 1, 2""", params)
    ]
    # what arrived, not the till's ledger rows: a till role writes `sync_batches.last_seq` itself
    for till, accepted, pushed in conn.execute(
        """SELECT cs.till, cs.accepted_seq,
                  coalesce((SELECT max(seq) FROM raw_entries r WHERE r.store_id = cs.store_id AND r.till = cs.till), 0)
           FROM chain_state cs WHERE cs.store_id = %(store)s ORDER BY 1""", params):
        if pushed > accepted:
            out.append(f"till {till} has {pushed - accepted} entries pushed but not verified")
    for till, n in conn.execute(
        """SELECT p.till, count(*) FROM problems p
           WHERE p.store_id = %(store)s AND p.kind IN ('fork', 'chain_break', 'bad_checkpoint',
                                                      'inconsistent_checkpoint')
           GROUP BY 1 ORDER BY 1""", params):
        out.append(f"till {till} has {n} unresolved integrity problems")
    return out


def silent_tills(conn: psycopg.Connection, store: str, day: date) -> list[str]:
    """The store's enrolled tills with nothing consolidated for the business date: no shift, sale,
    refund or cash movement. Their day may simply not have reached head office yet."""
    return [r[0] for r in conn.execute(
        """SELECT t.till FROM tills t WHERE t.store_id = %(store)s
             AND NOT EXISTS (SELECT 1 FROM shift_events e WHERE e.store_id = %(store)s AND e.till = t.till
                             AND e.business_date = %(day)s)
             AND NOT EXISTS (SELECT 1 FROM sales_docs d WHERE d.store_id = %(store)s AND d.till = t.till
                             AND d.business_date = %(day)s)
             AND NOT EXISTS (SELECT 1 FROM cash_events c WHERE c.store_id = %(store)s AND c.till = t.till
                             AND c.business_date = %(day)s)
           ORDER BY 1""", {"store": store, "day": day})]


def daily_figures(conn: psycopg.Connection, store: str, day: date) -> dict[str, Any]:
    """Raw sums (Decimal) for the report; the caller shapes them."""
    p = {"store": store, "day": day}
    zero = Decimal(0)
    sales = _one(conn, "SELECT count(*), coalesce(sum(gross), 0), coalesce(sum(subtotal_discount), 0), "
                       f"count(*) FILTER (WHERE subtotal_discount <> 0) {LIVE_SALES}", p)
    lines = _one(conn, f"""SELECT coalesce(sum(l.discount), 0), coalesce(sum(l.qty), 0),
                                 count(*) FILTER (WHERE l.discount <> 0) FROM doc_lines l
                          WHERE l.doc_kind = 'sale' AND l.store_id = %(store)s AND l.business_date = %(day)s
                            AND (l.till, l.doc_id) IN (SELECT s.till, s.doc_id {LIVE_SALES})""", p)
    refunds = _one(conn, """SELECT count(*), coalesce(sum(gross), 0) FROM sales_docs WHERE store_id = %(store)s
                            AND business_date = %(day)s AND doc_kind = 'refund'""", p)
    refund_qty = _one(conn, """SELECT coalesce(sum(qty), 0) FROM doc_lines WHERE store_id = %(store)s
                               AND business_date = %(day)s AND doc_kind = 'refund'""", p)
    taxes = conn.execute(
        f"""SELECT tax_code, sum(sign * tax), sum(sign * net), sum(sign * qty) FROM (
              SELECT l.tax_code, l.tax, l.net, l.qty, 1 AS sign FROM doc_lines l
              WHERE l.doc_kind = 'sale' AND l.store_id = %(store)s AND l.business_date = %(day)s
                AND (l.till, l.doc_id) IN (SELECT s.till, s.doc_id {LIVE_SALES})
              UNION ALL
              SELECT tax_code, tax, net, qty, -1 FROM doc_lines
              WHERE store_id = %(store)s AND business_date = %(day)s AND doc_kind = 'refund') t
            GROUP BY 1 ORDER BY 1""", p).fetchall()
    payments = conn.execute(
        f"""SELECT method, sum(amount), count(*) FROM (
              SELECT pm.method, pm.amount FROM doc_payments pm
              WHERE pm.doc_kind = 'sale' AND pm.store_id = %(store)s AND pm.business_date = %(day)s
                AND (pm.till, pm.doc_id) IN (SELECT s.till, s.doc_id {LIVE_SALES})
              UNION ALL
              SELECT method, -amount FROM doc_payments
              WHERE store_id = %(store)s AND business_date = %(day)s AND doc_kind = 'refund') x
            GROUP BY 1 ORDER BY 1""", p).fetchall()
    change = _one(conn, f"SELECT coalesce(sum(s.change), 0) {LIVE_SALES}", p)[0]
    shifts = _one(conn, """SELECT coalesce(sum(opening_float), 0), coalesce(sum(counted_cash), 0)
                           FROM shift_events WHERE store_id = %(store)s AND business_date = %(day)s""", p)
    cash = dict(((k, (n, a)) for k, n, a in conn.execute(
        """SELECT kind, count(*), coalesce(sum(amount), 0) FROM cash_events
           WHERE store_id = %(store)s AND business_date = %(day)s AND kind IN ('in', 'out') GROUP BY 1""", p)))
    tills = [r[0] for r in conn.execute("SELECT till FROM tills WHERE store_id = %(store)s ORDER BY 1", p)]
    return {
        "sales_count": sales[0], "sales_gross": sales[1], "subtotal_discount": sales[2],
        "line_discount": lines[0], "line_discount_count": lines[2], "subtotal_discount_count": sales[3],
        "sales_qty": lines[1], "refund_count": refunds[0], "refund_gross": refunds[1],
        "refund_qty": refund_qty[0], "taxes": taxes, "payments": payments, "opening_float": shifts[0],
        "counted_cash": shifts[1], "change": change,
        "cash_in": cash.get("in", (0, zero)), "cash_out": cash.get("out", (0, zero)),
        "tills": tills,
    }


def stores(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT store_id FROM stores ORDER BY 1")]


def stock_reconciliation(conn: psycopg.Connection, store: str) -> list[tuple[Any, ...]]:
    """Per product of the store: head office's on-hand, quantities sold and refunded by all the
    store's tills since their first entry (verified entries only, voided sales excluded), in
    thousandths: what head office takes off a base count to make a figure whose counted marks are
    the tills' accepted sequence numbers."""
    return conn.execute(
        """WITH moved AS (
               SELECT l.sku,
                      sum(CASE WHEN l.doc_kind = 'sale' THEN l.qty ELSE 0 END) AS sold,
                      sum(CASE WHEN l.doc_kind = 'refund' THEN l.qty ELSE 0 END) AS refunded
               FROM doc_lines l
               WHERE l.store_id = %(store)s
                 AND NOT EXISTS (SELECT 1 FROM sales_docs v WHERE v.store_id = l.store_id AND v.doc_kind = 'void'
                                 AND v.till = l.till AND v.doc_id = l.doc_id AND l.doc_kind = 'sale')
               GROUP BY l.sku)
           SELECT coalesce(p.sku, m.sku), s.on_hand_milli, coalesce(m.sold, 0), coalesce(m.refunded, 0)
           FROM moved m
           FULL JOIN (md_products p JOIN md_stock s ON s.product_id = p.id AND s.store_id = %(store)s)
             ON p.sku = m.sku
           ORDER BY 1""", {"store": store},
    ).fetchall()


# Every stock effect of the store's consolidated entries, at the sequence number of the entry that
# made it: a sale's lines, a refund's lines, and a void giving its sale's lines back.
MOVES = """
    SELECT l.till, l.sku, d.seq, l.doc_kind, l.qty
    FROM doc_lines l
    JOIN sales_docs d ON d.store_id = l.store_id AND d.till = l.till AND d.doc_kind = l.doc_kind AND d.doc_id = l.doc_id
                     AND d.business_date = l.business_date
    WHERE l.store_id = %(store)s AND l.doc_kind IN ('sale', 'refund')
    UNION ALL
    SELECT l.till, l.sku, v.seq, 'void', l.qty
    FROM sales_docs v
    JOIN doc_lines l ON l.store_id = v.store_id AND l.till = v.till AND l.doc_kind = 'sale' AND l.doc_id = v.doc_id
    WHERE v.store_id = %(store)s AND v.doc_kind = 'void'
"""


def stock_after_counted(conn: psycopg.Connection, store: str) -> list[tuple[Any, ...]]:
    """Per product of the store: head office's on-hand and what the store's tills sold, gave back by
    voids and took back by refunds in entries after each till's counted mark for that figure (the
    figure already includes the rest; no figure or no mark: every entry), in thousandths."""
    return conn.execute(
        f"""WITH figures AS (
                SELECT p.sku, s.product_id, s.on_hand_milli
                FROM md_stock s JOIN md_products p ON p.id = s.product_id
                WHERE s.store_id = %(store)s),
            after AS (
                SELECT m.sku,
                       coalesce(sum(m.qty) FILTER (WHERE m.doc_kind = 'sale'), 0) AS sold,
                       coalesce(sum(m.qty) FILTER (WHERE m.doc_kind = 'void'), 0) AS voided,
                       coalesce(sum(m.qty) FILTER (WHERE m.doc_kind = 'refund'), 0) AS refunded
                FROM ({MOVES}) m
                LEFT JOIN figures f ON f.sku = m.sku
                LEFT JOIN md_stock_counted c ON c.store_id = %(store)s AND c.product_id = f.product_id
                                            AND c.till = m.till
                WHERE m.seq > coalesce(c.counted_seq, 0)
                GROUP BY m.sku)
            SELECT coalesce(f.sku, a.sku), f.on_hand_milli, coalesce(a.sold, 0), coalesce(a.voided, 0),
                   coalesce(a.refunded, 0)
            FROM after a FULL JOIN figures f ON f.sku = a.sku
            ORDER BY 1""", {"store": store},
    ).fetchall()
