"""Finalised rows read whole for `audit verify`: every column as stored, nothing interpreted.

The typed repositories hand back what the business needs; the verifier needs the rest too (row
keys, positions, rows that belong to nothing), because a column nobody checks is a column anyone
can change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

from sqlalchemy import Connection

# Tables read whole with `rows`; a name from outside this set is refused, never put into SQL.
WHOLE = frozenset({"shifts", "shift_closes", "cash_movements", "drawer_openings", "cash_counts", "sale_voids",
                   "discrepancies", "discrepancy_resolutions", "z_reports", "customer_ledger"})
# Child rows of a finalised record: (table, parent column, parent table).
CHILDREN = (("sale_lines", "sale_id", "sales"), ("sale_payments", "sale_id", "sales"),
            ("refund_lines", "refund_id", "refunds"), ("refund_payments", "refund_id", "refunds"))


class AuditRowsRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def rows(self, table: str) -> list[dict[str, Any]]:
        if table not in WHOLE:
            raise ValueError(f"{table} is not read whole")
        return [dict(r._mapping) for r in self.conn.exec_driver_sql(f'SELECT * FROM "{table}" ORDER BY rowid')]

    def receipts(self, table: str) -> list[tuple[Any, Any, Any]]:
        """(id, receipt_no, audit_seq) of every sale or refund: what to check, and its name."""
        if table not in ("sales", "refunds"):
            raise ValueError(f"{table} has no receipts")
        return [tuple(r) for r in self.conn.exec_driver_sql(
            f'SELECT id, receipt_no, audit_seq FROM "{table}" ORDER BY rowid')]

    def children(self, table: str) -> list[tuple[Any, Any, Any, Any]]:
        """(id, parent id, position, the parent's audit_seq or None when it does not exist) of every
        child row, by parent and position (the order the typed reads give them)."""
        _t, parent, parent_table = next(c for c in CHILDREN if c[0] == table)
        return [tuple(r) for r in self.conn.exec_driver_sql(
            f'SELECT c.id, c."{parent}", c.position, p.audit_seq FROM "{table}" c '
            f'LEFT JOIN "{parent_table}" p ON p.id = c."{parent}" ORDER BY c."{parent}", c.position, c.rowid')]

    def movements_by_entry(self) -> Iterator[tuple[Any, ...]]:
        """(audit_seq, movement id, product_id, delta_milli, reason, ref_id, created_at) of every
        movement linked to an entry, in entry order; a link whose movement is gone has Nones."""
        cursor = self.conn.exec_driver_sql(
            "SELECT e.audit_seq, e.movement_id, m.product_id, m.delta_milli, m.reason, m.ref_id, m.created_at "
            "FROM stock_movement_entries e LEFT JOIN stock_movements m ON m.id = e.movement_id "
            "ORDER BY e.audit_seq, e.movement_id").cursor
        # the driver's cursor iterates its rows as tuples, with no Row object per movement
        yield from cast(Iterable[tuple[Any, ...]], cursor)

    def unlinked_movements(self) -> list[tuple[Any, Any]]:
        """(id, reason) of movements no entry records."""
        return [tuple(r) for r in self.conn.exec_driver_sql(
            "SELECT m.id, m.reason FROM stock_movements m LEFT JOIN stock_movement_entries e "
            "ON e.movement_id = m.id WHERE e.movement_id IS NULL ORDER BY m.id")]

    # -- local evidence of entries the log no longer holds (app/usecases/tail_checks.py) ---------
    def receipt_counters(self) -> list[tuple[Any, Any]]:
        """(business_date, last_no) of every receipt counter."""
        return [tuple(r) for r in self.conn.exec_driver_sql(
            "SELECT business_date, last_no FROM receipt_counters ORDER BY business_date")]

    def shift_refs(self) -> list[tuple[str, Any, Any]]:
        """(where, shift id, audit_seq or None) of every shift row and every shift a cart names."""
        shifts = [("shift row", r[0], r[1]) for r in self.conn.exec_driver_sql(
            "SELECT id, audit_seq FROM shifts ORDER BY rowid")]
        carts = [("cart " + str(r[0]), r[1], None) for r in self.conn.exec_driver_sql(
            "SELECT id, shift_id FROM carts WHERE shift_id IS NOT NULL ORDER BY rowid")]
        return shifts + carts

    def completed_carts(self) -> list[tuple[Any, Any]]:
        """(cart id, sale id) of every cart that became a sale."""
        return [tuple(r) for r in self.conn.exec_driver_sql(
            "SELECT id, sale_id FROM carts WHERE sale_id IS NOT NULL ORDER BY rowid")]

    def print_refs(self) -> list[tuple[Any, Any, Any, bytes]]:
        """(job id, kind, ref, body) of every print job."""
        return [(r[0], r[1], r[2], bytes(r[3] or b"")) for r in self.conn.exec_driver_sql(
            "SELECT id, kind, ref, CAST(body AS BLOB) FROM print_jobs ORDER BY id")]

    def seq_marks(self) -> list[tuple[str, Any]]:
        """(what, value) of every sync-state value that names one of the till's audit sequence numbers:
        the pushed and re-checked marks (empty values are unset marks and left out), head office's
        counted marks."""
        marks = [(f"sync state {r[0]!r}", r[1]) for r in self.conn.exec_driver_sql(
            "SELECT key, value FROM sync_state WHERE key IN ('pushed_seq', 'recheck_seq') AND value != '' "
            "ORDER BY key")]
        marks += [(f"head office's stock figure for product {r[0]!r}", r[1]) for r in self.conn.exec_driver_sql(
            "SELECT product_id, counted_seq FROM stock_central ORDER BY product_id")]
        marks += [(f"head office's balance of customer {r[0]!r}", r[1]) for r in self.conn.exec_driver_sql(
            "SELECT customer_id, counted_seq FROM customer_counted ORDER BY customer_id")]
        return marks
