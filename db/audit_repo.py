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
        """(seq, body, prev, hash) in seq order, read in batches to bound memory."""
        seq = start - 1
        while True:
            rows = self.conn.exec_driver_sql(
                "SELECT seq, body, prev, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", (seq, batch)
            ).cursor.fetchall()
            if not rows:
                return
            yield from rows
            seq = rows[-1][0]

    def entry(self, seq: int) -> tuple[bytes, str] | None:
        """(canonical bytes, hash) of one entry."""
        row = self.conn.exec_driver_sql("SELECT body, hash FROM audit_log WHERE seq = ?", (seq,)).first()
        return (bytes(row[0]), row[1]) if row else None

    def body(self, seq: int) -> bytes | None:
        row = self.conn.execute(select(AUDIT.c.body).where(AUDIT.c.seq == seq)).first()
        return bytes(row.body) if row else None
