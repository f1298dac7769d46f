"""Discrepancies and their resolutions (tables of db/models/discrepancies.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, insert, select

from db.models.base import table
from db.models.discrepancies import Discrepancy, DiscrepancyResolution

DISC, RES = table(Discrepancy), table(DiscrepancyResolution)


class DiscrepanciesRepo:
    """Rows read back carry the resolution's columns (None while unresolved)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def insert(self, **values: Any) -> None:
        self.conn.execute(insert(DISC).values(**values))

    def insert_resolution(self, **values: Any) -> None:
        self.conn.execute(insert(RES).values(**values))

    def _select(self) -> Select[Any]:
        return (select(DISC, RES.c.resolved_by, RES.c.resolved_at, RES.c.note)
                .join(RES, RES.c.discrepancy_id == DISC.c.id, isouter=True).order_by(DISC.c.detected_at, DISC.c.id))

    def get(self, discrepancy_id: str) -> Any:
        return self.conn.execute(self._select().where(DISC.c.id == discrepancy_id)).first()

    def find(self, *, shift_id: str | None = None, unresolved: bool = False) -> list[Any]:
        stmt = self._select()
        if shift_id:
            stmt = stmt.where(DISC.c.shift_id == shift_id)
        if unresolved:
            stmt = stmt.where(RES.c.discrepancy_id.is_(None))
        return list(self.conn.execute(stmt))
