"""The gap-free receipt number sequence per business date (table of db/models/receipt_numbers.py)."""

from __future__ import annotations

from sqlalchemy import Connection

from db.raw_sql import RawSql


class ReceiptNumbersRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def next(self, business_date: str) -> int:
        """Take the day's next number. Call it only in the transaction that completes the sale or
        refund: a rollback gives the number back, so the numbers stay gap-free."""
        row = RawSql(self.conn).one(
            "INSERT INTO receipt_counters (business_date, last_no) VALUES (?, 1) "
            "ON CONFLICT (business_date) DO UPDATE SET last_no = last_no + 1 RETURNING last_no",
            (business_date,),
        )
        return int(row[0])
