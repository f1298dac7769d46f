"""Connecting to the central PostgreSQL store and bringing its schema up to date.

The central schema has its own alembic tree (migrations/central) and version table, so a till
database and the central database never share migration history.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

CENTRAL_SCRIPTS = Path(__file__).resolve().parent.parent.parent / "migrations" / "central"
CONNECT_TIMEOUT_S = 10
STATEMENT_TIMEOUT_MS = 120_000
PARTITIONED = ("sales_docs", "doc_lines", "doc_payments", "shift_events", "cash_events")


class CentralUnavailable(RuntimeError):
    """The central database did not answer or refused the login."""


def store_of(till: str) -> str:
    """The store of a till id `STORE-TILL`: the distribution column of every per-till table
    (revision 0011), given in each statement so a sharded store routes it to one node."""
    return till.split("-", 1)[0]


def connect(url: str, *, autocommit: bool = False, statement_timeout_ms: int = STATEMENT_TIMEOUT_MS,
            params: Mapping[str, Any] | None = None) -> psycopg.Connection:
    """A psycopg connection with explicit timeouts, so a dead network never hangs a caller.
    `params` are libpq connection parameters that complete or override `url`."""
    try:
        return psycopg.connect(
            url,
            autocommit=autocommit,
            connect_timeout=CONNECT_TIMEOUT_S,
            options=f"-c statement_timeout={int(statement_timeout_ms)}",
            **(params or {}),
        )
    except psycopg.OperationalError as exc:
        raise CentralUnavailable(str(exc).strip().splitlines()[0] if str(exc).strip() else "unreachable") from exc


def sqlalchemy_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def upgrade(url: str, revision: str = "head") -> str:
    """Create or upgrade the central schema (to `revision`, by default the newest); returns the
    revision now current."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    connect(url).close()  # a clear CentralUnavailable before alembic's own error
    cfg = Config()
    cfg.set_main_option("script_location", str(CENTRAL_SCRIPTS))
    engine = create_engine(sqlalchemy_url(url), connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            conn.commit()
    finally:
        engine.dispose()
    with connect(url) as conn:
        close_to_public(conn)
        row = conn.execute("SELECT version_num FROM tillstone_central_version").fetchone()
        if row is None:
            raise CentralUnavailable("The central schema has no version after its upgrade.")
        return str(row[0])


def close_to_public(conn: psycopg.Connection) -> None:
    """Only roles enrolled here may log in (revision 0010). Again on every `central init`: a copy made
    with CREATE DATABASE ... TEMPLATE gets the default ACL back, CONNECT for PUBLIC."""
    conn.execute(sql.SQL("REVOKE CONNECT, TEMPORARY ON DATABASE {} FROM PUBLIC").format(
        sql.Identifier(conn.info.dbname)))
    conn.commit()


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def ensure_partitions(conn: psycopg.Connection, months: set[date]) -> None:
    """Create the monthly partitions the consolidated rows will land in (idempotent)."""
    for month in sorted(months):
        for table in PARTITIONED:
            name = f"{table}_{month:%Y_%m}"
            conn.execute(
                sql.SQL("CREATE TABLE IF NOT EXISTS {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})").format(
                    sql.Identifier(name), sql.Identifier(table),
                    sql.Literal(month.isoformat()), sql.Literal(next_month(month).isoformat()),
                )
            )
