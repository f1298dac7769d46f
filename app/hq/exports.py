"""Head office takes data out of the central store: the same export kinds and writers as the
till, read with server-side cursors, and an `export.created` entry in head office's own audit log
(hq_audit) once the file is complete. The central store keeps no currency yet: money filters are
read with 2 decimals, as master data is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from app.exports import filters as export_filters
from app.exports.files import OnRow, Written, choose_sheet, write_book
from app.exports.registry import kinds
from app.hq import hq_audit
from app.usecases.exports import entry_data
from kernel.errors import InvalidInput

CENTRAL_EXPONENT = 2


def export(conn: psycopg.Connection, kind: str, fmt: str, out: Path, raw_filters: Mapping[str, Any], *,
           stores: Sequence[str] | None, actor: str, sheet: str | None = None, via: str = "cli",
           on_row: OnRow | None = None, now: datetime | None = None) -> Written:
    found = kinds().get(kind)
    if found is None:
        raise InvalidInput(f"There is no '{kind[:40]}' export; choose one of: {', '.join(kinds())}.")
    checked = export_filters.parse(found.filters, raw_filters, CENTRAL_EXPONENT)
    book = choose_sheet(found.hq(conn, stores, checked), sheet)
    written = write_book(book, fmt, out, on_row)
    data = entry_data(kind, written, checked, sheet, via) | {"stores": list(stores) if stores else None}
    with conn.transaction():
        hq_audit.append(conn, now=now or datetime.now(UTC), type_="export.created", actor=actor, data=data)
    return written
