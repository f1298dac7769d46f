"""Appending to and reading the hash-chained audit log.

Appends run inside the caller's IMMEDIATE transaction, so the head read here cannot change
before the insert; UNIQUE(prev) and UNIQUE(hash) back that up if anything ever forks.
The entry encoding is handed in (`EntryFormat`, in practice the module app.audit.format_v1),
so the format has one home above this layer and the repository only stores what it makes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from sqlalchemy import Connection, func, select

from db.models.audit import AuditEntry
from db.models.base import table

AUDIT = table(AuditEntry)
# CAST(body AS BLOB) costs nothing on a BLOB and turns a body someone stored as TEXT into its bytes.
_RAW = "SELECT seq, CAST(body AS BLOB), prev, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?"
_WITH_COLUMNS = ("SELECT seq, CAST(body AS BLOB), prev, hash, ts, type, actor FROM audit_log WHERE seq > ? "
                 "ORDER BY seq LIMIT ?")


class EntryFormat(Protocol):
    """What the log needs of its format: the `prev` of the first entry, and how to make an entry."""

    GENESIS_PREV: str

    def make_entry(
        self, *, till: str, seq: int, ts: str, type_: str, actor: str | None, data: dict[str, Any], prev: str
    ) -> tuple[dict[str, Any], bytes, str]: ...


class AuditRepo:
    def __init__(self, conn: Connection, till: str, entry_format: EntryFormat) -> None:
        self.conn = conn
        self.till = till
        self.format = entry_format

    def head(self) -> tuple[int, str]:
        row = self.conn.exec_driver_sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first()
        return (row[0], row[1]) if row else (0, self.format.GENESIS_PREV)

    def append(self, *, ts: str, type_: str, actor: str | None, data: dict[str, Any]) -> int:
        """Write one entry; returns its sequence number."""
        last_seq, last_hash = self.head()
        seq = last_seq + 1
        _entry, body, digest = self.format.make_entry(
            till=self.till, seq=seq, ts=ts, type_=type_, actor=actor, data=data, prev=last_hash
        )
        # Driver-level SQL: this runs on every scan, and statement building would dominate it.
        self.conn.exec_driver_sql(
            "INSERT INTO audit_log (seq, ts, type, actor, body, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (seq, ts, type_, actor, body, last_hash, digest),
        )
        return seq

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(AUDIT)).scalar_one())

    def iter_raw(self, start: int = 1, batch: int = 5000) -> Iterator[tuple[int, bytes, str, str]]:
        """(seq, body, prev, hash) in seq order, read in batches to bound memory. The body is always
        bytes (a body stored as TEXT is read as its UTF-8), so a damaged row cannot crash a reader;
        `not_stored_as_bytes` names such rows."""
        return self._iter(_RAW, start, batch)

    def iter_with_columns(self, start: int = 1, batch: int = 5000) -> Iterator[tuple[int, bytes, str, str, str, str,
                                                                                      str | None]]:
        """(seq, body, prev, hash, ts, type, actor): `iter_raw` plus the columns reports read, which
        `audit verify` checks against the body."""
        return self._iter(_WITH_COLUMNS, start, batch)

    def _iter(self, sql: str, start: int, batch: int) -> Iterator[Any]:
        seq = start - 1
        while True:
            rows = self.conn.exec_driver_sql(sql, (seq, batch)).cursor.fetchall()
            if not rows:
                return
            yield from rows
            seq = rows[-1][0]

    def not_stored_as_bytes(self) -> list[tuple[int, str]]:
        """(seq, storage class) of entries whose body is not a BLOB (the log only ever writes bytes)."""
        return [(int(r[0]), str(r[1])) for r in self.conn.exec_driver_sql(
            "SELECT seq, typeof(body) FROM audit_log WHERE typeof(body) != 'blob' ORDER BY seq")]

    def entry(self, seq: int) -> tuple[bytes, str] | None:
        """(canonical bytes, hash) of one entry."""
        row = self.conn.exec_driver_sql("SELECT CAST(body AS BLOB), hash FROM audit_log WHERE seq = ?",
                                        (seq,)).first()
        return (bytes(row[0]), row[1]) if row else None

    def body(self, seq: int) -> bytes | None:
        row = self.conn.exec_driver_sql("SELECT CAST(body AS BLOB) FROM audit_log WHERE seq = ?", (seq,)).first()
        return bytes(row[0]) if row else None
