"""The part of `hq import` that needs no order: read each entry (hash, bounds, JSON, envelope), hash
its Merkle leaf, consolidate it and render its rows as COPY lines. Pure, so it runs in worker
processes (`--jobs`) on ranges of one till's entries while the importer walks the chain and grows
the Merkle tree in order; with one job it runs in the importer itself, through the same code.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from app.audit import checkpoint, merkle
from app.audit.format_v1 import read_entry_fast
from app.hq.consolidate import DataError, business_date, rows_for
from db.central.schema import month_start


class Prepared(NamedTuple):
    """One pushed row, ready for the walk. `refused` set: unreadable (quarantine with `body`);
    `data_error` set: readable, in the chain, its business data quarantined (with `body`)."""

    seq: int
    digest: str
    prev: str | None
    type: str | None
    checkpoint: dict[str, Any] | None  # the data of an audit.checkpoint entry
    leaf: bytes | None
    accepted: bytes | None  # its COPY line for accepted_entries
    tables: dict[str, bytes]  # COPY lines per consolidated table
    month: date | None
    refused: str | None
    data_error: str | None
    body: bytes | None


def _field(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        text: str = value
        if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
            text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return text
    if isinstance(value, bytes):
        return "\\\\x" + value.hex()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def copy_line(values: tuple[Any, ...]) -> bytes:
    """One row in COPY's text format. Text PostgreSQL cannot store (a NUL, a lone surrogate) goes
    through as it is, and the server's refusal quarantines the entry like any other data error."""
    return ("\t".join(map(_field, values)) + "\n").encode("utf-8", "surrogatepass")


def prepare(till: str, store: str, rows: list[tuple[int, str, bytes]]) -> list[Prepared]:
    """Prepared rows for (seq, hash, body) rows of one till, in the same order."""
    return [_one(till, store, seq, digest, body) for seq, digest, body in rows]


def _one(till: str, store: str, seq: int, digest: str, body: bytes) -> Prepared:
    entry, reason = read_entry_fast(seq, digest, body, till)
    if entry is None:
        return Prepared(seq, digest, None, None, None, None, None, {}, None, reason or "unreadable", None, body)
    kind = entry["type"]
    day, month, tables, error = None, None, {}, None
    try:
        day = business_date(entry)
        tables = {t: b"".join(map(copy_line, r)) for t, r in rows_for(entry, store, day).items() if r}
        month = month_start(day) if day else None
    except (DataError, KeyError, TypeError) as exc:
        error, tables = f"business data: {exc}", {}
    leaf = merkle.leaf_hash(body)
    accepted = copy_line((store, till, seq, digest, leaf, kind, entry["ts"], day))
    data = entry["data"] if kind == checkpoint.CHECKPOINT_TYPE else None
    return Prepared(seq, digest, entry["prev"], kind, data, leaf, accepted, tables, month, None, error,
                    body if error else None)
