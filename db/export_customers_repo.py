"""What the customers export reads on the till: every customer with head office's balance and its
sales figures per customer, and the newest account entries per customer with the receipt each one
belongs to (balances and whole ledgers come from `PeopleRepo`, as the credit check reads them).

Rows come straight from SQLite's cursor (db/raw_sql.py) so a large ledger is never a list.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection

from db.raw_sql import RawSql

# A void or refund credit names the sale it reverses (ref_id); a payment names itself.
_CUSTOMERS = """
    SELECT id, name, customer_type, credit_limit, terms_days, blocked, central_balance
    FROM customers ORDER BY name, id"""

_SALES = """
    SELECT s.customer_id, count(*), coalesce(sum(s.gross), 0), max(s.business_date)
    FROM sales s
    WHERE s.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sale_voids v WHERE v.sale_id = s.id)
    GROUP BY s.customer_id"""

_REFUNDS = """
    SELECT s.customer_id, coalesce(sum(r.gross), 0), max(r.business_date)
    FROM refunds r JOIN sales s ON s.id = r.original_sale_id
    WHERE s.customer_id IS NOT NULL
    GROUP BY s.customer_id"""

_RECENT = """
    SELECT customer_id, business_date, kind, amount, due_date, receipt_no, ref_id, audit_seq FROM (
        SELECT l.customer_id, l.business_date, l.kind, l.amount, l.due_date, s.receipt_no, l.ref_id,
               l.audit_seq,
               row_number() OVER (PARTITION BY l.customer_id ORDER BY l.audit_seq DESC) AS newest
        FROM customer_ledger l LEFT JOIN sales s ON s.id = l.ref_id AND l.kind <> 'payment')
    WHERE newest <= ?
    ORDER BY (SELECT c.name FROM customers c WHERE c.id = customer_id), customer_id, audit_seq"""


class ExportCustomersRepo:
    def __init__(self, conn: Connection) -> None:
        self.sql = RawSql(conn)

    def customers(self) -> list[tuple[Any, ...]]:
        """(id, name, type, credit limit, terms days, blocked, head office's balance) by name."""
        return self.sql.all(_CUSTOMERS)

    def sales(self) -> dict[str, tuple[int, int, str | None]]:
        """Per customer: kept (not voided) sales, their gross, the last sale's business date."""
        return {row[0]: (int(row[1]), int(row[2]), row[3]) for row in self.sql.stream(_SALES)}

    def refunds(self) -> dict[str, tuple[int, str | None]]:
        """Per customer of the original sale: refunded gross and the last refund's business date."""
        return {row[0]: (int(row[1]), row[2]) for row in self.sql.stream(_REFUNDS)}

    def recent(self, per_customer: int) -> Iterator[tuple[Any, ...]]:
        """The newest `per_customer` ledger rows of each customer (customers by name), in the order
        the till wrote them (audit seq): (customer id,
        business date, kind, amount, due date, receipt no of the sale or None, ref, audit seq)."""
        return self.sql.stream(_RECENT, (per_customer,))
