"""Enrolling a till at head office: its store, its own login role, its checkpoint key."""

from __future__ import annotations

import psycopg
from psycopg import sql

TILL_GROUP = "tillstone_till"


class AlreadyEnrolled(RuntimeError):
    """The till is enrolled already; a second role or key for it would split its identity."""


def role_name_for(till: str) -> str:
    """Deterministic, lower-case role name: `S001-T01` -> `till_s001_t01`."""
    return "till_" + till.lower().replace("-", "_")


def enrol(conn: psycopg.Connection, *, store: str, till: str, password: str, public_key: bytes,
          key_id: str) -> str:
    """Create the store if new, the till's login role and its row; returns the role name.

    Only the password's SCRAM verifier, made here by libpq, reaches the server: a plain password in
    CREATE ROLE would be written to the server log by log_statement and shown in pg_stat_activity.
    """
    role = role_name_for(till)
    verifier = conn.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode("ascii")
    conn.execute("SET LOCAL lock_timeout = 30000")
    conn.execute("SELECT 1 FROM hq_locks WHERE name = 'enrol' FOR UPDATE")  # no till role may lock it
    if conn.execute("SELECT 1 FROM tills WHERE till = %s", (till,)).fetchone():
        raise AlreadyEnrolled(f"till {till} is already enrolled")
    conn.execute("INSERT INTO stores (store_id) VALUES (%s) ON CONFLICT DO NOTHING", (store,))
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    verb = "ALTER" if exists else "CREATE"
    conn.execute(
        sql.SQL(verb + " ROLE {} LOGIN INHERIT NOCREATEDB NOCREATEROLE PASSWORD {} CONNECTION LIMIT 8").format(
            sql.Identifier(role), sql.Literal(verifier)
        )
    )
    conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(TILL_GROUP), sql.Identifier(role)))
    dbname = conn.info.dbname
    conn.execute(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
        sql.Identifier(dbname), sql.Identifier(role)))
    conn.execute(
        "INSERT INTO tills (till, store_id, role_name, public_key, key_id) VALUES (%s, %s, %s, %s, %s)",
        (till, store, role, public_key, key_id),
    )
    conn.execute("INSERT INTO chain_state (till) VALUES (%s)", (till,))
    conn.execute("INSERT INTO push_locks (till) VALUES (%s)", (till,))
    return role


def register_witness_key(conn: psycopg.Connection, key_id: str, public_key: bytes) -> None:
    conn.execute(
        "INSERT INTO witness_keys (key_id, public_key) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (key_id, public_key),
    )


def witness_keys(conn: psycopg.Connection) -> dict[str, bytes]:
    return {kid: bytes(key) for kid, key in conn.execute("SELECT key_id, public_key FROM witness_keys")}
