"""Taking data out of the till as a file, and saying so in the audit log.

The entry `export.created` names who took which data (kind, format, filters), how many rows, and
the SHA-256 of the file written, so a file found later can be matched to the entry that made it.
It is written after the file is complete and renamed into place: an export that failed leaves
neither a file nor an entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.context import TillContext
from app.exports import filters as export_filters
from app.exports.files import OnRow, Written, choose_sheet, write_book
from app.exports.registry import kinds
from app.usecases.auth import require
from kernel.errors import InvalidInput


def export(ctx: TillContext, kind: str, fmt: str, out: Path, raw_filters: Mapping[str, Any], *,
           user_id: str | None = None, sheet: str | None = None, via: str = "cli",
           on_row: OnRow | None = None) -> Written:
    """`user_id` None: the till's operator at the command line (the entry says `via`)."""
    found = kinds().get(kind)
    if found is None:
        raise InvalidInput(f"There is no '{kind[:40]}' export; choose one of: {', '.join(kinds())}.")
    if user_id is not None:
        with ctx.uow(read_only=True) as uow:
            require(uow, user_id, "export")
    checked = export_filters.parse(found.filters, raw_filters, ctx.settings.exponent)
    book = choose_sheet(found.till(ctx, checked), sheet)
    written = write_book(book, fmt, out, on_row)
    with ctx.uow() as uow:
        uow.audit.append(ts=ctx.now_iso(), type_="export.created", actor=user_id,
                         data=entry_data(kind, written, checked, sheet, via))
        uow.commit()
    return written


def entry_data(kind: str, written: Written, checked: Mapping[str, Any], sheet: str | None,
               via: str) -> dict[str, Any]:
    """The `export.created` data, the same at the till and at head office."""
    return {
        "kind": kind, "format": written.format, "file": written.path.name, "sha256": written.sha256,
        "bytes": written.size, "rows": written.row_count, "sheets": written.rows,
        "filters": {k: _plain(v) for k, v in checked.items() if v not in (None, False)},
        "sheet": sheet, "via": via,
    }


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, bool)) else str(value)
