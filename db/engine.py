"""The till's SQLite engine: durable settings on every connection, IMMEDIATE write transactions.

WAL with synchronous=FULL means a commit the screen showed as done survives a power cut.
Python's sqlite3 would begin transactions lazily (DEFERRED), which lets two writers read the
same head of the audit chain; so we switch the driver's own transaction handling off and emit
BEGIN IMMEDIATE ourselves.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext

from db import thread_check
from kernel.errors import DatabaseDamaged

BUSY_TIMEOUT_MS = 10_000
READ_ONLY = {"sqlite_begin": "DEFERRED"}
# SQLite's primary result codes for a file that is not (or no longer) a sound database:
# SQLITE_CORRUPT and SQLITE_NOTADB (extended codes keep the primary one in the low byte).
_DAMAGE_CODES = frozenset({11, 26})


def damage_of(exc: BaseException) -> str | None:
    """SQLite's own words when `exc` says the file is corrupt, else None (a lock, a constraint...)."""
    if isinstance(exc, sqlite3.DatabaseError) and (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in _DAMAGE_CODES:
        return str(exc)
    return None


def check_intact(conn: Connection) -> None:
    """PRAGMA quick_check: raise DatabaseDamaged with SQLite's first finding unless it says ok.
    Reading a damaged page can also just raise, which the engine turns into the same error."""
    rows = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA quick_check(5)")]
    if rows != ["ok"]:
        # Findings come as lines under a "*** in database main ***" heading: the first one says enough.
        lines = [line for row in rows for line in row.splitlines() if line.strip() and not line.startswith("***")]
        raise DatabaseDamaged(f"the integrity check found {lines[0][:160]}" if lines
                              else "the integrity check did not say ok")


# C all the way down (no Python frame per value): TEXT that is not UTF-8 keeps its bad bytes as
# surrogate escapes instead of failing the whole query.
_LENIENT_TEXT = partial(bytes.decode, encoding="utf-8", errors="surrogateescape")


@contextmanager
def lenient_text(conn: Connection) -> Iterator[None]:
    """While inside, TEXT columns that are not valid UTF-8 read as strings with the bad bytes
    escaped: for `audit verify`, which must report such a value as a problem, not die on it."""
    raw = conn.connection.dbapi_connection
    if not isinstance(raw, sqlite3.Connection):
        raise TypeError("lenient_text needs a connection to an SQLite till database")
    before = raw.text_factory
    raw.text_factory = _LENIENT_TEXT
    try:
        yield
    finally:
        raw.text_factory = before


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

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        # Every caller (CLI, GUI, sync) gets one clear error for a corrupt file instead of a driver
        # traceback; raising here replaces SQLAlchemy's wrapper exception.
        damage = damage_of(context.original_exception)
        if damage is not None:
            raise DatabaseDamaged(damage) from context.original_exception

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        # Straight to the driver: this runs on every scan, and a statement through SQLAlchemy costs
        # more than the BEGIN itself. Errors still reach the unit of work, which names a damaged file.
        statement = f"BEGIN {mode}"
        thread_check.check_here(statement)
        conn.connection.dbapi_connection.execute(statement)  # type: ignore[union-attr]

    return engine
