"""Head office's SQL for the sales export: the consolidated sales and refunds (`sales_docs`,
`doc_lines`, `doc_payments`) as the rows the till's export reads (kernel/sales_export_records.py),
in minor units and thousandths.

Each query runs on a server-side cursor (`conn.cursor(name=...)`) fetched `ITERSIZE` rows at a
time, so no result is ever held whole in memory. Every query is bounded by the tills' accepted
sequence numbers read once (`heads`): an import committing meanwhile adds nothing to one sheet that
another lacks.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from kernel.sales_export_records import SalesDoc, SalesLine

ITERSIZE = 2_000


def _minor(expr: str) -> str:
    return f"round({expr} * %(scale)s)::bigint"


# Cost of a line: unit cost × quantity, half away from zero (costs and quantities are not negative),
# as the till rounds it (db/sales_export_repo.py).
_COST = "round(l.unit_cost * %(scale)s * l.qty)::bigint"
_VOIDED = ("EXISTS (SELECT 1 FROM sales_docs v WHERE v.doc_kind = 'void' AND v.store_id = s.store_id "
           "AND v.till = s.till AND v.doc_id = s.doc_id AND v.seq <= b.upto)")
_FROM = """
FROM sales_docs s
JOIN unnest(%(tills)s::text[], %(upto)s::bigint[]) AS b(till, upto) ON b.till = s.till AND s.seq <= b.upto
LEFT JOIN sales_docs o ON s.doc_kind = 'refund' AND o.doc_kind = 'sale' AND o.store_id = s.store_id
                       AND o.till = s.till AND o.doc_id = s.ref_id
JOIN doc_lines l ON l.store_id = s.store_id AND l.till = s.till AND l.doc_kind = s.doc_kind AND l.doc_id = s.doc_id
                AND l.business_date = s.business_date
"""
_CUSTOMER_ID = "CASE WHEN s.doc_kind = 'refund' THEN o.customer_id ELSE s.customer_id END"
_DOCS = f"""
SELECT s.doc_kind, s.doc_id, s.receipt_no, s.store_id, s.till, s.business_date::text,
       to_char(s.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       coalesce((SELECT u.name FROM md_users u WHERE u.id = s.actor), s.actor),
       coalesce((SELECT c.name FROM md_customers c WHERE c.id = {_CUSTOMER_ID}), {_CUSTOMER_ID}),
       s.doc_kind = 'sale' AND {_VOIDED}, o.receipt_no,
       {_minor("s.net")}, {_minor("s.tax")}, {_minor("s.gross")},
       CASE WHEN s.doc_kind = 'sale' THEN {_minor("sum(l.discount)")} ELSE 0 END,
       {_minor("coalesce(s.subtotal_discount, 0)")}, {_minor("coalesce(s.change, 0)")},
       (SELECT string_agg(p.method || '=' || {_minor("p.amount")}::text, ';' ORDER BY p.pay_no) FROM doc_payments p
        WHERE p.store_id = s.store_id AND p.till = s.till AND p.doc_kind = s.doc_kind AND p.doc_id = s.doc_id
          AND p.business_date = s.business_date),
       count(*), round(sum(l.qty) * 1000)::bigint, count(*) FILTER (WHERE l.discount <> 0),
       coalesce(sum({_COST}) FILTER (WHERE l.unit_cost IS NOT NULL), 0)::bigint,
       coalesce({_minor("sum(l.net) FILTER (WHERE l.unit_cost IS NOT NULL)")}, 0),
       count(*) FILTER (WHERE l.unit_cost IS NULL),
       coalesce({_minor("sum(l.net) FILTER (WHERE l.unit_cost IS NULL)")}, 0)
{_FROM}
WHERE s.doc_kind IN ('sale', 'refund') AND {{where}}
GROUP BY s.store_id, s.till, s.doc_kind, s.doc_id, s.business_date,
         o.store_id, o.till, o.doc_kind, o.doc_id, o.business_date, b.upto
ORDER BY s.business_date, s.till, s.seq
"""
_LINES = f"""
SELECT s.doc_kind, s.receipt_no, s.till, s.business_date::text, s.doc_kind = 'sale' AND {_VOIDED},
       l.sku, l.name, round(l.qty * 1000)::bigint, {_minor("l.unit_price")}, {_minor("l.discount")},
       {_minor("l.net")}, {_minor("l.tax")}, {_minor("l.gross")}, l.tax_code, {_minor("l.unit_cost")}, {_COST}
{_FROM}
WHERE s.doc_kind IN ('sale', 'refund') AND {{where}}
ORDER BY s.business_date, s.till, s.seq, l.line_no
"""


@dataclass(frozen=True)
class CentralSalesScope:
    """Which documents head office exports; None = no limit (`stores` None: every store)."""

    heads: dict[str, int]  # till -> the last accepted seq the export covers
    stores: Sequence[str] | None = None
    first_date: str | None = None
    last_date: str | None = None
    till: str | None = None  # "S001-T01", or "T01" for that till of every store exported
    cashier: str | None = None
    customer: str | None = None
    payment: str | None = None
    shift: str | None = None


def heads(conn: psycopg.Connection) -> dict[str, int]:
    return {r[0]: int(r[1]) for r in conn.execute("SELECT till, accepted_seq FROM chain_state")}


def _where(scope: CentralSalesScope) -> str:
    parts = ["true"]
    if scope.stores is not None:
        parts.append("s.store_id = ANY(%(stores)s)")
    if scope.first_date:
        parts.append("s.business_date >= %(first)s::date")
    if scope.last_date:
        parts.append("s.business_date <= %(last)s::date")
    if scope.till:
        parts.append("(s.till = %(till)s OR s.till LIKE '%%-' || %(till)s)")
    if scope.cashier:
        parts.append("(lower(s.actor) = lower(%(cashier)s) OR EXISTS (SELECT 1 FROM md_users u "
                     "WHERE u.id = s.actor AND lower(u.name) = lower(%(cashier)s)))")
    if scope.customer:
        parts.append(f"(lower({_CUSTOMER_ID}) = lower(%(customer)s) OR EXISTS (SELECT 1 FROM md_customers c "
                     f"WHERE c.id = {_CUSTOMER_ID} AND lower(c.name) = lower(%(customer)s)))")
    if scope.shift:
        parts.append("s.shift_id = %(shift)s")
    if scope.payment:
        parts.append("EXISTS (SELECT 1 FROM doc_payments p WHERE p.till = s.till AND p.doc_kind = s.doc_kind "
                     "AND p.doc_id = s.doc_id AND p.business_date = s.business_date AND p.method = %(payment)s)")
    return " AND ".join(parts)


def _params(scope: CentralSalesScope, exponent: int) -> dict[str, Any]:
    tills = sorted(scope.heads)
    return {"tills": tills, "upto": [scope.heads[t] for t in tills], "stores": list(scope.stores or ()),
            "first": scope.first_date, "last": scope.last_date, "till": scope.till, "cashier": scope.cashier,
            "customer": scope.customer, "payment": scope.payment, "shift": scope.shift, "scale": 10 ** exponent}


def _stream(conn: psycopg.Connection, sql: str, params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """Rows from a server-side cursor (it lives in the connection's transaction)."""
    with conn.cursor(name=f"export_sales_{uuid.uuid4().hex[:12]}") as cur:
        cur.itersize = ITERSIZE
        cur.execute(sql, params)
        yield from cur


def documents(conn: psycopg.Connection, scope: CentralSalesScope, exponent: int) -> Iterator[SalesDoc]:
    for row in _stream(conn, _DOCS.format(where=_where(scope)), _params(scope, exponent)):
        yield SalesDoc._make(row)


def lines(conn: psycopg.Connection, scope: CentralSalesScope, exponent: int) -> Iterator[SalesLine]:
    for row in _stream(conn, _LINES.format(where=_where(scope)), _params(scope, exponent)):
        yield SalesLine._make(row)
