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
from db.raw_sql import RawSql

AUDIT = table(AuditEntry)
# CAST(body AS BLOB) costs nothing on a BLOB and turns a body someone stored as TEXT into its bytes.
_RAW = "SELECT seq, CAST(body AS BLOB), prev, hash FROM audit_log WHERE seq >= ? ORDER BY seq"
_WITH_COLUMNS = "SELECT seq, CAST(body AS BLOB), prev, hash, ts, type, actor FROM audit_log WHERE seq >= ? ORDER BY seq"


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
        self.sql = RawSql(conn)
        self.last_hash = ""  # of the entry this unit of work appended last

    def head(self) -> tuple[int, str]:
        row = self.sql.one("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        return (row[0], row[1]) if row else (0, self.format.GENESIS_PREV)

    def append(self, *, ts: str, type_: str, actor: str | None, data: dict[str, Any]) -> int:
        """Write one entry; returns its sequence number."""
        last_seq, last_hash = self.head()
        seq = last_seq + 1
        _entry, body, digest = self.format.make_entry(
            till=self.till, seq=seq, ts=ts, type_=type_, actor=actor, data=data, prev=last_hash
        )
        # Driver-level SQL: this runs on every scan, and statement building would dominate it.
        self.sql.run(
            "INSERT INTO audit_log (seq, ts, type, actor, body, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (seq, ts, type_, actor, body, last_hash, digest),
        )
        self.last_hash = digest
        return seq

    def last_body(self, type_: str) -> bytes | None:
        """The stored bytes of the newest entry of one type (the log's `type` column is indexed)."""
        row = self.conn.exec_driver_sql(
            "SELECT CAST(body AS BLOB) FROM audit_log WHERE type = ? ORDER BY seq DESC LIMIT 1", (type_,)
        ).first()
        return bytes(row[0]) if row else None

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(AUDIT)).scalar_one())

    def iter_raw(self, start: int = 1) -> Iterator[tuple[int, bytes, str, str]]:
        """(seq, body, prev, hash) in seq order, streamed from a plain cursor (memory stays flat,
        and no object is made per row beyond the row itself). The body is always bytes (a body
        stored as TEXT is read as its UTF-8), so a damaged row cannot crash a reader;
        `not_stored_as_bytes` names such rows. Read-only use: the log is not written meanwhile."""
        rows: Iterator[tuple[int, bytes, str, str]] = self.sql.stream(_RAW, (start,))
        return rows

    def iter_with_columns(self, start: int = 1) -> Iterator[tuple[int, bytes, str, str, str, str, str | None]]:
        """(seq, body, prev, hash, ts, type, actor): `iter_raw` plus the columns reports read, which
        `audit verify` checks against the body."""
        rows: Iterator[tuple[int, bytes, str, str, str, str, str | None]] = self.sql.stream(_WITH_COLUMNS, (start,))
        return rows

    def checkpoint_bodies(self) -> list[tuple[int, bytes]]:
        """(seq, body) of the entries the log's `type` column calls checkpoints, newest first. The
        column is only a hint: a reader checks each body's signature before trusting it."""
        return [(int(r[0]), bytes(r[1])) for r in self.sql.all(
            "SELECT seq, CAST(body AS BLOB) FROM audit_log WHERE type = 'audit.checkpoint' ORDER BY seq DESC")]

    def not_stored_as_bytes(self) -> list[tuple[int, str]]:
        """(seq, storage class) of entries whose body is not a BLOB (the log only ever writes bytes)."""
        return [
            (int(r[0]), str(r[1]))
            for r in self.conn.exec_driver_sql(
                "SELECT seq, typeof(body) FROM audit_log WHERE typeof(body) != 'blob' ORDER BY seq"
            )
        ]

    def entry(self, seq: int) -> tuple[bytes, str] | None:
        """(canonical bytes, hash) of one entry."""
        row = self.conn.exec_driver_sql("SELECT CAST(body AS BLOB), hash FROM audit_log WHERE seq = ?", (seq,)).first()
        return (bytes(row[0]), row[1]) if row else None

    def body(self, seq: int) -> bytes | None:
        row = self.conn.exec_driver_sql("SELECT CAST(body AS BLOB) FROM audit_log WHERE seq = ?", (seq,)).first()
        return bytes(row[0]) if row else None

    def of_types(self, types: tuple[str, ...]) -> Iterator[tuple[int, bytes, str]]:
        """(seq, body, hash) of the entries whose `type` column is one of `types` (verify holds the
        column to the body, so a forged column is reported there)."""
        marks = ", ".join("?" * len(types))
        cursor = self.conn.exec_driver_sql(
            f"SELECT seq, CAST(body AS BLOB), hash FROM audit_log WHERE type IN ({marks}) ORDER BY seq", types)
        for seq, body, digest in cursor:
            yield int(seq), bytes(body), str(digest)
