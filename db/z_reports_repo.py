"""Z reports and the business counter they number (table of db/models/z_reports.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, select

from db.models.base import table
from db.models.z_reports import ZReport

ZREP = table(ZReport)


class ZReportsRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, business_date: str) -> Any:
        """The Z report that closed the day, or None while the day is open."""
        return self.conn.execute(select(ZREP).where(ZREP.c.business_date == business_date)).first()

    def next_business_counter(self) -> int:
        return int(self.conn.execute(select(func.coalesce(func.max(ZREP.c.business_counter), 0))).scalar_one()) + 1

    def insert(self, **values: Any) -> None:
        self.conn.execute(insert(ZREP).values(**values))
