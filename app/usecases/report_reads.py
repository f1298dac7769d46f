"""Reading the audit or activity report takes data out of the till as surely as an export does,
so it is audited the same way: an `export.created` entry with kind `report:audit` or
`report:activity`, the format printed (`json` or `text`), the filters, the rows it covers and the
SHA-256 of exactly what was printed (so a copy found later can be matched to the entry)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from app.context import TillContext


def read_entry_data(kind: str, fmt: str, output: str, rows: int, filters: Mapping[str, Any],
                    via: str) -> dict[str, Any]:
    """The entry's data, the same at the till and in hq_audit."""
    encoded = output.encode("utf-8")
    return {
        "kind": f"report:{kind}", "format": fmt, "file": None, "sha256": hashlib.sha256(encoded).hexdigest(),
        "bytes": len(encoded), "rows": rows, "sheets": {}, "sheet": None, "via": via,
        "filters": {k: v if isinstance(v, (str, int, bool)) else str(v) for k, v in filters.items()
                    if v not in (None, False)},
    }


def record_read(ctx: TillContext, kind: str, fmt: str, output: str, rows: int, filters: Mapping[str, Any], *,
                user_id: str | None = None, via: str = "cli") -> int:
    """Write the entry (before the report is shown: a report nobody can trace is never shown)."""
    with ctx.uow() as uow:
        seq = uow.audit.append(ts=ctx.now_iso(), type_="export.created", actor=user_id,
                               data=read_entry_data(kind, fmt, output, rows, filters, via))
        uow.commit()
    return seq
