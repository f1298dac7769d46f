"""Key/value settings of the till."""

from __future__ import annotations

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.models.base import table
from db.models.settings import Setting
from db.raw_sql import RawSql
from db.spool_repo import read_device_settings

SETTINGS = table(Setting)


class SettingsRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def all(self) -> dict[str, str]:
        """Every setting (the checkout reads the device settings from these on every sale)."""
        return dict(RawSql(self.conn).all("SELECT key, value FROM settings"))

    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute(select(SETTINGS.c.value).where(SETTINGS.c.key == key)).first()
        return row.value if row else default

    def set(self, key: str, value: str) -> None:
        stmt = sqlite_insert(SETTINGS).values(key=key, value=value)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))

    def devices(self) -> dict[str, str]:
        """The `device.*` settings the device layer is built from (missing keys are absent)."""
        return read_device_settings(self.conn)
