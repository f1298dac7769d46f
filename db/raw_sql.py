"""Driver-level statements for the till's hot paths (a scan, a checkout), on the unit of work's
own connection and transaction.

SQLAlchemy's per-statement machinery (result set-up, events, parameter processing) costs tens
of microseconds a statement, which on a 20-line checkout is more than SQLite's own work. The
statements that run on every scan and checkout go straight to the sqlite3 cursor here; they
stay inside the same BEGIN IMMEDIATE transaction the unit of work opened. The GUI-thread check
(`db/thread_check.py`) still sees them, and a damaged file still becomes `DatabaseDamaged`
(the unit of work translates it on the way out).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Table

from db import thread_check


def insert_sql(table: Table, columns: Sequence[str]) -> str:
    """The `INSERT` of these columns of a model's table, in this order (positional `?`), built once
    at import and run with `RawSql.run`/`many`: adding a column is adding its name to `columns`.
    A name the table does not have fails at import."""
    names = [table.c[name].name for name in columns]
    return f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"


class RawSql:
    """The sqlite3 connection under a unit of work's SQLAlchemy connection."""

    __slots__ = ("_db",)
    _db: sqlite3.Connection

    def __init__(self, conn: Connection) -> None:
        db = conn.connection.dbapi_connection
        if not isinstance(db, sqlite3.Connection):
            raise TypeError("RawSql needs a connection to an SQLite till database")
        self._db = db

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first row (a tuple), or None."""
        thread_check.check_here(sql)
        return self._db.execute(sql, params).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        thread_check.check_here(sql)
        rows: list[Any] = self._db.execute(sql, params).fetchall()
        return rows

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        """The rows one by one from SQLite's own cursor: no list of them, no wrapper per row."""
        thread_check.check_here(sql)
        return iter(self._db.execute(sql, params))

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute a write; returns the number of rows it changed."""
        thread_check.check_here(sql)
        count: int = self._db.execute(sql, params).rowcount
        return count

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """executemany: one prepared statement for every row."""
        thread_check.check_here(sql)
        self._db.executemany(sql, rows)
