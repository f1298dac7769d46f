"""Writing a Book to a file so that a reader never sees half of one: the writer fills a temporary
file beside the target, which is synced and renamed over it only when every row is written. An
error (a bad row, a full disk, Ctrl-C) leaves the target as it was. The SHA-256 of what was written
goes into the export's audit entry, so the chain shows which file left the shop."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from app.exports.book import Book
from kernel.errors import InvalidInput

FORMATS = ("xlsx", "csv", "pdf")
OnRow = Callable[[int], None]  # called with the rows written so far, now and then (progress bars)


@dataclass(frozen=True)
class Written:
    path: Path
    format: str
    rows: dict[str, int]  # data rows per sheet, headers not counted
    sha256: str
    size: int

    @property
    def row_count(self) -> int:
        return sum(self.rows.values())


def choose_sheet(book: Book, sheet: str | None) -> Book:
    """Only the named sheet (CSV of one sheet, say); names match without regard to case."""
    if sheet is None:
        return book
    chosen = [s for s in book.sheets if s.name.casefold() == sheet.casefold()]
    if not chosen:
        names = ", ".join(s.name for s in book.sheets)
        raise InvalidInput(f"--sheet: this export has the sheets {names}.")
    book.sheets = chosen
    return book


def check_target(fmt: str, out: Path, book: Book) -> None:
    """Refuse before any work a target that cannot be right."""
    if fmt not in FORMATS:
        raise InvalidInput(f"--format is one of: {', '.join(FORMATS)}.")
    if fmt == "csv" and len(book.sheets) > 1 and out.suffix.lower() != ".zip":
        names = ", ".join(s.name for s in book.sheets)
        raise InvalidInput(f"This export has {len(book.sheets)} sheets ({names}): write them as a zip "
                           "(--out FILE.zip) or choose one with --sheet NAME.")
    if not out.parent.is_dir():
        raise InvalidInput(f"--out: the folder {out.parent} does not exist.")
    if out.is_dir():
        raise InvalidInput(f"--out: {out} is a folder; give a file name.")


def write_book(book: Book, fmt: str, out: Path, on_row: OnRow | None = None) -> Written:
    check_target(fmt, out, book)
    writer = import_module(f"app.exports.{fmt}_writer")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        rows: dict[str, int] = writer.write(book, tmp, on_row)
        digest, size = _sync_and_hash(tmp)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Written(path=out, format=fmt, rows=rows, sha256=digest, size=size)


def _sync_and_hash(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb+") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
        os.fsync(f.fileno())
    return h.hexdigest(), size
