"""The till's SQLite engine: durable settings on every connection, IMMEDIATE write transactions.

WAL with synchronous=FULL means a commit the screen showed as done survives a power cut.
Python's sqlite3 would begin transactions lazily (DEFERRED), which lets two writers read the
same head of the audit chain; so we switch the driver's own transaction handling off and emit
BEGIN IMMEDIATE ourselves.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event

BUSY_TIMEOUT_MS = 10_000
READ_ONLY = {"sqlite_begin": "DEFERRED"}


def make_engine(db_path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine for the till database file at db_path (created if missing)."""
    engine = create_engine(
        f"sqlite+pysqlite:///{db_path}",
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine
