"""The till's SQL for the sales export: sales and refunds with the sums of their lines and
payments, and their lines, streamed row by row from SQLite's own cursor (no list of them).

Every statement is bounded by an audit sequence number taken once (`head`), so the Summary, the
Sales and the Line Items sheets describe the same sales even while the till goes on selling; each
sheet reads in a read-only unit of work of its own as the writer consumes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from db.raw_sql import RawSql
from kernel.sales_export_records import SalesDoc, SalesLine

# Cost of a line in minor units: unit cost × qty (thousandths), half up (costs and quantities are
# not negative). The central store's SQL (db/central/export_sales.py) rounds the same way.
_COST = "(l.unit_cost * l.qty_milli + 500) / 1000"
_LINE_SUMS = f"""count(*), sum(l.qty_milli), sum(l.discount != 0),
    coalesce(sum(CASE WHEN l.unit_cost IS NOT NULL THEN {_COST} END), 0),
    coalesce(sum(CASE WHEN l.unit_cost IS NOT NULL THEN l.net END), 0),
    sum(l.unit_cost IS NULL), coalesce(sum(CASE WHEN l.unit_cost IS NULL THEN l.net END), 0)"""
_USER = "coalesce((SELECT u.name FROM users u WHERE u.id = {col}), {col})"
_CUSTOMER = "coalesce((SELECT c.name FROM customers c WHERE c.id = {col}), {col})"
_NAME = re.compile(r":([a-z]+)\b")
_VOIDED = "EXISTS (SELECT 1 FROM sale_voids v WHERE v.sale_id = {col} AND v.audit_seq <= :head)"

_SALE_DOCS = f"""
SELECT 'sale', s.id, s.receipt_no, :store, :till, s.business_date, s.completed_at,
       {_USER.format(col="s.user_id")}, {_CUSTOMER.format(col="s.customer_id")}, {_VOIDED.format(col="s.id")},
       NULL, s.net, s.tax, s.gross, s.line_discount, s.subtotal_discount, s.change,
       (SELECT group_concat(p.method || '=' || p.amount, ';') FROM sale_payments p WHERE p.sale_id = s.id),
       {_LINE_SUMS}
       , s.audit_seq AS seq
FROM sales s CROSS JOIN sale_lines l ON l.sale_id = s.id
WHERE s.audit_seq <= :head AND {{sale_where}}
GROUP BY s.audit_seq"""
_REFUND_DOCS = f"""
SELECT 'refund', r.id, r.receipt_no, :store, :till, r.business_date, r.created_at,
       {_USER.format(col="r.user_id")}, {_CUSTOMER.format(col="o.customer_id")}, 0,
       o.receipt_no, r.net, r.tax, r.gross, 0, 0, 0,
       (SELECT group_concat(p.method || '=' || p.amount, ';') FROM refund_payments p WHERE p.refund_id = r.id),
       {_LINE_SUMS}
       , r.audit_seq
FROM refunds r CROSS JOIN refund_lines l ON l.refund_id = r.id JOIN sales o ON o.id = r.original_sale_id
WHERE r.audit_seq <= :head AND {{refund_where}}
GROUP BY r.audit_seq"""

_SALE_LINES = f"""
SELECT 'sale', s.receipt_no, :till, s.business_date, {_VOIDED.format(col="s.id")}, l.sku, l.name, l.qty_milli,
       l.unit_price, l.discount, l.net, l.tax, l.gross, l.tax_code, l.unit_cost, {_COST},
       s.audit_seq AS seq, l.position AS n
FROM sales s CROSS JOIN sale_lines l ON l.sale_id = s.id
WHERE s.audit_seq <= :head AND {{sale_where}}"""
_REFUND_LINES = f"""
SELECT 'refund', r.receipt_no, :till, r.business_date, 0, l.sku, l.name, l.qty_milli,
       l.unit_price, l.discount, l.net, l.tax, l.gross, l.tax_code, l.unit_cost, {_COST},
       r.audit_seq, l.position
FROM refunds r CROSS JOIN refund_lines l ON l.refund_id = r.id JOIN sales o ON o.id = r.original_sale_id
WHERE r.audit_seq <= :head AND {{refund_where}}"""


@dataclass(frozen=True)
class SalesScope:
    """Which documents an export takes; None = no limit. `cashier` and `customer` match an id or a
    name (without regard to case); `payment` keeps documents with a payment of that method."""

    head: int  # the last audit seq the export covers
    first_date: str | None = None
    last_date: str | None = None
    cashier: str | None = None
    customer: str | None = None
    payment: str | None = None
    shift: str | None = None


def _where(alias: str, customer_col: str, pay_table: str, pay_key: str, scope: SalesScope) -> str:
    parts = ["1"]
    if scope.first_date:
        parts.append(f"{alias}.business_date >= :first")
    if scope.last_date:
        parts.append(f"{alias}.business_date <= :last")
    if scope.cashier:
        parts.append(f"(lower({alias}.user_id) = lower(:cashier) OR EXISTS (SELECT 1 FROM users u "
                     f"WHERE u.id = {alias}.user_id AND lower(u.name) = lower(:cashier)))")
    if scope.customer:
        parts.append(f"(lower({customer_col}) = lower(:customer) OR EXISTS (SELECT 1 FROM customers c "
                     f"WHERE c.id = {customer_col} AND lower(c.name) = lower(:customer)))")
    if scope.shift:
        parts.append(f"{alias}.shift_id = :shift")
    if scope.payment:
        parts.append(f"EXISTS (SELECT 1 FROM {pay_table} p WHERE p.{pay_key} = {alias}.id AND p.method = :payment)")
    return " AND ".join(parts)


class SalesExportRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def head(self) -> int:
        row = RawSql(self.conn).one("SELECT coalesce(max(seq), 0) FROM audit_log")
        return int(row[0])

    def _run(self, sale_part: str, refund_part: str, scope: SalesScope, order: str, store: str,
             till: str) -> Iterator[Any]:
        sale_where = _where("s", "s.customer_id", "sale_payments", "sale_id", scope)
        refund_where = _where("r", "o.customer_id", "refund_payments", "refund_id", scope)
        sql = (sale_part.format(sale_where=sale_where) + "\nUNION ALL" + refund_part.format(refund_where=refund_where)
               + f"\nORDER BY {order}")
        named = {"head": scope.head, "first": scope.first_date, "last": scope.last_date, "cashier": scope.cashier,
                 "customer": scope.customer, "payment": scope.payment, "shift": scope.shift, "store": store,
                 "till": till}
        names = _NAME.findall(sql)  # named marks to positional ones, for the driver's own cursor
        return RawSql(self.conn).stream(_NAME.sub("?", sql), tuple(named[name] for name in names))

    def documents(self, scope: SalesScope, *, store: str, till: str) -> Iterator[SalesDoc]:
        """Sales (voided ones too, marked) and refunds in the order the till recorded them (audit
        sequence): each arm walks its unique audit_seq index, so nothing is sorted or grouped in
        a temporary table, and the two are merged on the way out."""
        for row in self._run(_SALE_DOCS, _REFUND_DOCS, scope, "seq", store, till):
            yield SalesDoc._make((*row[:9], bool(row[9]), *row[10:25]))

    def lines(self, scope: SalesScope, *, till: str) -> Iterator[SalesLine]:
        for row in self._run(_SALE_LINES, _REFUND_LINES, scope, "seq, n", "", till):
            yield SalesLine._make((*row[:4], bool(row[4]), *row[5:16]))
