"""Enrolling a till at head office: its store, its own login role, its checkpoint key."""

from __future__ import annotations

import psycopg
from psycopg import sql

TILL_GROUP = "tillstone_till"


class AlreadyEnrolled(RuntimeError):
    """The till is enrolled already; a second role or key for it would split its identity."""


class RoleTaken(AlreadyEnrolled):
    """The role name is taken on this server (a copy of this database enrolled the till): altering it
    would hand this database's password to a role that logs in elsewhere."""


def database_tag(conn: psycopg.Connection) -> str:
    """This database's random tag (revision 0010): part of its till role names, since roles are
    shared by every database on the server."""
    row = conn.execute("SELECT tag FROM central_identity").fetchone()
    if row is None:
        raise RuntimeError("the central store has no identity tag; run `tillstone central init`")
    return str(row[0])


def role_name_for(tag: str, till: str) -> str:
    """Lower-case role name, one per database and till: (`3fa9c2d1`, `S001-T01`) -> `till_3fa9c2d1_s001_t01`."""
    return f"till_{tag}_" + till.lower().replace("-", "_")


def enrol(conn: psycopg.Connection, *, store: str, till: str, password: str, public_key: bytes,
          key_id: str) -> str:
    """Create the store if new, the till's login role and its row; returns the role name.

    Only the password's SCRAM verifier, made here by libpq, reaches the server: a plain password in
    CREATE ROLE would be written to the server log by log_statement and shown in pg_stat_activity.
    """
    conn.execute("SET LOCAL lock_timeout = 30000")
    conn.execute("SELECT 1 FROM hq_locks WHERE name = 'enrol' FOR UPDATE")  # no till role may lock it
    if conn.execute("SELECT 1 FROM tills WHERE till = %s", (till,)).fetchone():
        raise AlreadyEnrolled(f"till {till} is already enrolled")
    role = role_name_for(database_tag(conn), till)
    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
        raise RoleTaken(f"the role {role} exists already on this server (a copy of this database enrolled "
                        f"{till}?); enrol the till under another id")
    verifier = conn.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode("ascii")
    conn.execute("INSERT INTO stores (store_id) VALUES (%s) ON CONFLICT DO NOTHING", (store,))
    conn.execute(
        sql.SQL("CREATE ROLE {} LOGIN INHERIT NOCREATEDB NOCREATEROLE PASSWORD {} CONNECTION LIMIT 8").format(
            sql.Identifier(role), sql.Literal(verifier)
        )
    )
    conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(TILL_GROUP), sql.Identifier(role)))
    # this database only: revision 0010 took CONNECT from PUBLIC, so no other database lets the role in
    conn.execute(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
        sql.Identifier(conn.info.dbname), sql.Identifier(role)))
    conn.execute(
        "INSERT INTO tills (till, store_id, role_name, public_key, key_id) VALUES (%s, %s, %s, %s, %s)",
        (till, store, role, public_key, key_id),
    )
    conn.execute("INSERT INTO chain_state (store_id, till) VALUES (%s, %s)", (store, till))
    conn.execute("INSERT INTO push_locks (store_id, till) VALUES (%s, %s)", (store, till))
    return role


def register_witness_key(conn: psycopg.Connection, key_id: str, public_key: bytes) -> None:
    conn.execute(
        "INSERT INTO witness_keys (key_id, public_key) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (key_id, public_key),
    )


def witness_keys(conn: psycopg.Connection) -> dict[str, bytes]:
    return {kid: bytes(key) for kid, key in conn.execute("SELECT key_id, public_key FROM witness_keys")}
