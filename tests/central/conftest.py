"""Real PostgreSQL for the central-store tests: each module gets its own database.

Without a server the tests skip with a loud reason, unless TILLSTONE_REQUIRE_PG=1 (CI), where
a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

ADMIN_URL = os.environ.get("TILLSTONE_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin() -> psycopg.Connection:
    return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)


def _server_answers() -> str | None:
    try:
        with _admin():
            return None
    except psycopg.OperationalError as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"


def fresh_database() -> Iterator[str]:
    """URL of a fresh database; dropped (with its till roles) when the generator is closed."""
    reason = _server_answers()
    if reason:
        message = f"PostgreSQL at {ADMIN_URL} unavailable ({reason}): central-store tests NOT RUN"
        if os.environ.get("TILLSTONE_REQUIRE_PG") == "1":
            pytest.fail(message)
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    name = f"tillstone_test_{uuid.uuid4().hex[:12]}"
    with _admin() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    yield url
    drop_database(url)


def drop_database(url: str) -> None:
    """Drop a test database and the till roles it enrolled."""
    name = url.rsplit("/", 1)[1]
    roles: list[str] = []
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            roles = [r[0] for r in conn.execute("SELECT role_name FROM tills")]
    except psycopg.Error:
        pass
    with _admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        for role in roles:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """URL of a fresh database for this module."""
    yield from fresh_database()


def unique_store() -> str:
    """Store ids unique per run: login roles are cluster-wide, databases are not."""
    return "S" + uuid.uuid4().hex[:6].upper()
