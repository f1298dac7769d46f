"""Key/value settings of the till and the gap-free receipt counter."""

from __future__ import annotations

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.models.settings import Setting

SETTINGS = Setting.__table__


class SettingsRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def all(self) -> dict[str, str]:
        return {row.key: row.value for row in self.conn.execute(select(SETTINGS.c.key, SETTINGS.c.value))}

    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute(select(SETTINGS.c.value).where(SETTINGS.c.key == key)).first()
        return row.value if row else default

    def set(self, key: str, value: str) -> None:
        stmt = sqlite_insert(SETTINGS).values(key=key, value=value)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))

    def next_receipt_number(self, business_date: str) -> int:
        """Bump the counter for the day; called only in the transaction that completes a sale."""
        row = self.conn.exec_driver_sql(
            "INSERT INTO receipt_counters (business_date, last_no) VALUES (?, 1) "
            "ON CONFLICT (business_date) DO UPDATE SET last_no = last_no + 1 RETURNING last_no",
            (business_date,),
        ).first()
        return int(row[0])
