"""The central store's audit entries as the audit export and head office's audit and activity
reports read them: the accepted chains the tills pushed (raw_entries bodies of accepted_entries,
never a fork or an entry the import has not accepted) and head office's own log (hq_audit), both
read with server-side cursors so no result is ever held whole in memory.

The `ts` and `type` columns only narrow the scan; the caller decides from the canonical body."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import psycopg

ITERSIZE = 5_000


def _narrow(alias: str, ts_from: datetime | None, ts_to: datetime | None,
            type_prefix: str | None) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if ts_from is not None:
        where.append(f"{alias}.ts >= %s")
        params.append(ts_from)
    if ts_to is not None:
        where.append(f"{alias}.ts < %s")
        params.append(ts_to)
    if type_prefix is not None:
        where.append(f"({alias}.type = %s OR starts_with({alias}.type, %s))")
        params += [type_prefix, type_prefix + "."]
    return where, params


def till_entries(conn: psycopg.Connection, *, stores: Sequence[str] | None, ts_from: datetime | None,
                 ts_to: datetime | None, type_prefix: str | None) -> Iterator[tuple[str, str, int, bytes, str]]:
    """(till, store, seq, body, hash) of accepted entries, by till then seq."""
    where, params = _narrow("a", ts_from, ts_to, type_prefix)
    if stores is not None:
        where.append("t.store_id = ANY(%s)")
        params.append(list(stores))
    sql = ("SELECT a.till, t.store_id, a.seq, r.body, a.hash FROM accepted_entries a "
           "JOIN raw_entries r ON r.till = a.till AND r.seq = a.seq AND r.hash = a.hash "
           "JOIN tills t ON t.till = a.till"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY a.till, a.seq")
    with conn.cursor(name="export_audit_tills", binary=True) as cur:
        cur.itersize = ITERSIZE
        cur.execute(sql, params)
        for till, store, seq, body, digest in cur:
            yield str(till), str(store), int(seq), bytes(body), str(digest)


def hq_entries(conn: psycopg.Connection, *, ts_from: datetime | None, ts_to: datetime | None,
               type_prefix: str | None) -> Iterator[tuple[int, bytes, str]]:
    """(seq, body, hash) of head office's own log, in seq order."""
    where, params = _narrow("h", ts_from, ts_to, type_prefix)
    sql = "SELECT h.seq, h.body, h.hash FROM hq_audit h" + (" WHERE " + " AND ".join(where) if where else "")
    with conn.cursor(name="export_audit_hq", binary=True) as cur:
        cur.itersize = ITERSIZE
        cur.execute(sql + " ORDER BY h.seq", params)
        for seq, body, digest in cur:
            yield int(seq), bytes(body), str(digest)


def heads(conn: psycopg.Connection, stores: Sequence[str] | None) -> dict[str, int]:
    """till -> its highest accepted seq now (0 for a till that has none), for the stores given."""
    rows = conn.execute(
        "SELECT t.till, coalesce(max(a.seq), 0) FROM tills t LEFT JOIN accepted_entries a ON a.till = t.till "
        "WHERE %s::text[] IS NULL OR t.store_id = ANY(%s) GROUP BY t.till",
        (None if stores is None else list(stores), None if stores is None else list(stores))).fetchall()
    return {str(till): int(seq) for till, seq in rows}


def hq_head(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT coalesce(max(seq), 0) FROM hq_audit").fetchone()
    return int(row[0]) if row else 0


def bodies_of_type(conn: psycopg.Connection, tills: Sequence[str], type_: str) -> list[tuple[str, int, bytes]]:
    """(till, seq, body) of the accepted entries of one type of these tills (settings changes and
    shift openings: few per till)."""
    rows = conn.execute(
        "SELECT a.till, a.seq, r.body FROM accepted_entries a "
        "JOIN raw_entries r ON r.till = a.till AND r.seq = a.seq AND r.hash = a.hash "
        "WHERE a.type = %s AND a.till = ANY(%s) ORDER BY a.till, a.seq", (type_, list(tills))).fetchall()
    return [(str(till), int(seq), bytes(body)) for till, seq, body in rows]


def user_names(conn: psycopg.Connection) -> dict[str, str]:
    """The users head office publishes (md_users); a till's own users are not known here."""
    return {str(uid): str(name) for uid, name in conn.execute("SELECT id, name FROM md_users")}


def known_stores(conn: psycopg.Connection) -> dict[str, str]:
    """store id -> name."""
    return {str(sid): str(name) for sid, name in conn.execute("SELECT store_id, name FROM stores")}
