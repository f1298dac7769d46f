"""The till's audit log as the audit export and the audit reports read it: the entries of a time
range streamed from SQLite's own cursor (memory stays flat however long the log), the users'
names, and the few entry types read up front (time zone changes, shift openings).

The `ts` and `type` columns only narrow the scan; the caller decides from the canonical body
(`audit verify` holds those columns to it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from db.raw_sql import RawSql
from db.uow import UnitOfWork


def entries(uow: UnitOfWork, *, ts_from: str | None, ts_to: str | None, max_seq: int,
            type_prefix: str | None = None) -> Iterator[tuple[int, bytes, str]]:
    """(seq, body, hash) in seq order, up to entry `max_seq`, with `ts_from <= ts < ts_to` where
    given (audit form, UTC), and a type that is `type_prefix` or starts with `type_prefix.`."""
    where: list[str] = ["seq <= ?"]
    params: list[Any] = [max_seq]
    if ts_from is not None:
        where.append("ts >= ?")
        params.append(ts_from)
    if ts_to is not None:
        where.append("ts < ?")
        params.append(ts_to)
    if type_prefix is not None:
        where.append("(type = ? OR substr(type, 1, ?) = ?)")
        params += [type_prefix, len(type_prefix) + 1, type_prefix + "."]
    sql = f"SELECT seq, CAST(body AS BLOB), hash FROM audit_log WHERE {' AND '.join(where)} ORDER BY seq"
    rows: Iterator[tuple[int, bytes, str]] = RawSql(uow.conn).stream(sql, params)
    return rows


def head_seq(uow: UnitOfWork) -> int:
    row = RawSql(uow.conn).one("SELECT max(seq) FROM audit_log")
    return int(row[0]) if row and row[0] is not None else 0


def bodies_of_type(uow: UnitOfWork, type_: str) -> list[tuple[int, bytes]]:
    """(seq, body) of every entry of one type (the `type` column is indexed), in seq order."""
    return [(int(seq), bytes(body)) for seq, body in RawSql(uow.conn).all(
        "SELECT seq, CAST(body AS BLOB) FROM audit_log WHERE type = ? ORDER BY seq", (type_,))]


def user_names(uow: UnitOfWork) -> dict[str, str]:
    """Every user the till knows, disabled ones too: an old entry still names its actor."""
    rows: list[Any] = RawSql(uow.conn).all("SELECT id, name FROM users")
    return {str(uid): str(name) for uid, name in rows}
