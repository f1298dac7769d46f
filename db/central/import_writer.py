"""Writing what `hq import` accepted: on a second thread, so the server stores one chunk while the
importer verifies the next, and entry by entry only where the database refuses a chunk.

All of a till's writes go through here, in the importer's transaction: psycopg serialises use of
the connection and the importer fetches only after `wait()`, so no statement of the importer can
land inside a savepoint this module rolls back.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import psycopg
from psycopg import errors

from db.central import import_repo
from db.central.schema import ensure_partitions

# (seq, hash, {table: its rows as COPY text lines}) of one accepted entry
EntryRows = tuple[int, str, dict[str, bytes]]


@dataclass
class Chunk:
    """Everything one stretch of the walk decided, written together."""

    months: set[date] = field(default_factory=set)
    accepted: list[bytes] = field(default_factory=list)  # COPY lines for accepted_entries
    entries: list[EntryRows] = field(default_factory=list)
    problems: list[tuple[str, int, str]] = field(default_factory=list)
    quarantined: list[tuple[int, str, bytes | None, str]] = field(default_factory=list)
    checkpoints: list[tuple[int, dict[str, Any], dict[str, Any]]] = field(default_factory=list)


def write_chunk(conn: psycopg.Connection, till: str, chunk: Chunk,
                months_done: set[date] | None = None) -> list[tuple[int, str]]:
    """Store a chunk; returns (seq, reason) of accepted entries whose rows the database refused."""
    for kind, seq, detail in chunk.problems:
        import_repo.add_problem(conn, till, kind, seq, detail)
    for seq, digest, body, reason in chunk.quarantined:
        import_repo.quarantine(conn, till, seq, digest, body, reason)
    for entry_seq, data, witness in chunk.checkpoints:
        import_repo.add_checkpoint(conn, till, entry_seq, data, witness)
    done = months_done if months_done is not None else set()
    if chunk.months - done:
        ensure_partitions(conn, chunk.months - done)
        done.update(chunk.months)
    import_repo.add_accepted(conn, chunk.accepted)
    refused: list[tuple[int, str, str]] = []
    _write_or_split(conn, chunk.entries, refused)
    for seq, digest, reason in refused:
        import_repo.quarantine(conn, till, seq, digest, None, reason)
    return [(seq, reason) for seq, _, reason in refused]


def _write_or_split(conn: psycopg.Connection, entries: list[EntryRows], refused: list[tuple[int, str, str]]) -> None:
    """All rows in one go; if refused, halve until the refused entries stand alone (earlier entries first)."""
    if not entries:
        return
    try:
        with conn.transaction():  # a savepoint inside the till's transaction
            import_repo.add_consolidated(conn, _tables(entries))
        return
    except (errors.UniqueViolation, psycopg.DataError) as exc:  # what the data decides; a bug still fails
        if len(entries) == 1:
            refused.append((entries[0][0], entries[0][1], _reason(exc)))
            return
    mid = len(entries) // 2
    _write_or_split(conn, entries[:mid], refused)
    _write_or_split(conn, entries[mid:], refused)


def _tables(entries: list[EntryRows]) -> dict[str, list[bytes]]:
    tables: dict[str, list[bytes]] = {}
    for _, _, rows in entries:
        for table, lines in rows.items():
            tables.setdefault(table, []).append(lines)
    return tables


def _reason(exc: BaseException) -> str:
    if isinstance(exc, errors.UniqueViolation):
        return "business data: a document with this id, kind and business date was already consolidated"
    first = str(exc).strip().splitlines()
    return f"business data: cannot be stored: {first[0] if first else type(exc).__name__}"


class BackgroundWriter:
    """Runs `write_chunk` on its own thread, one chunk at a time.

    An error in the thread is raised again by `submit`, `wait` or on leaving the block, which rolls
    the till's whole transaction back like any other failure.
    """

    def __init__(self, conn: psycopg.Connection, till: str) -> None:
        self.conn, self.till = conn, till
        self.months_done: set[date] = set()
        self.refused: list[tuple[int, str]] = []
        self.jobs: queue.Queue[Chunk | None] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="hq-import-writer", daemon=True)

    def __enter__(self) -> BackgroundWriter:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.jobs.put(None)
        self.thread.join()
        if self.error is not None and exc[0] is None:
            raise self.error

    def submit(self, chunk: Chunk) -> None:
        self._raise()
        self.jobs.put(chunk)

    def wait(self) -> None:
        """Return once every submitted chunk is written: the connection is free."""
        self.jobs.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _work(self) -> None:
        while (chunk := self.jobs.get()) is not None:
            try:
                if self.error is None:
                    self.refused += write_chunk(self.conn, self.till, chunk, self.months_done)
            except BaseException as exc:  # raised again in the importing thread
                self.error = exc
            finally:
                self.jobs.task_done()
        self.jobs.task_done()
