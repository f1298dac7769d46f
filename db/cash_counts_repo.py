"""Drawer counts by denomination (table of db/models/cash_counts.py)."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from db.models.base import table
from db.models.cash_counts import CashCount

COUNTS = table(CashCount)


class CashCountsRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def insert(self, shift_id: str, kind: str, counts: dict[int, int]) -> None:
        """The non-zero lines of one count; `kind` is open (the float) or close."""
        rows = [{"shift_id": shift_id, "kind": kind, "denomination": d, "quantity": q}
                for d, q in sorted(counts.items()) if q]
        if rows:
            self.conn.execute(insert(COUNTS), rows)

    def of(self, shift_id: str, kind: str) -> dict[int, int]:
        """{denomination: pieces} of one count of a shift; empty when it was given as a total."""
        rows = self.conn.execute(select(COUNTS.c.denomination, COUNTS.c.quantity)
                                 .where(COUNTS.c.shift_id == shift_id, COUNTS.c.kind == kind))
        return {r.denomination: r.quantity for r in rows}
