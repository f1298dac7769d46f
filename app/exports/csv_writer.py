"""A Book as CSV: one file for a book of one sheet, a zip of one `<Sheet name>.csv` per sheet for
more (files.py refuses a multi-sheet CSV unless the target ends in .zip).

UTF-8 with a byte order mark, so Excel on Windows opens it with the right characters; comma
separated, CRLF line ends (RFC 4180), a header row. Numbers are plain text with '.' as the decimal
separator and no grouping: money with the currency's decimals ("0.00", "-12.50"), quantities with
3 ("1.500"), percentages with 2 ("25.34"); dates ISO ("2026-03-01", "2026-03-01 14:05:09"). Text
a spreadsheet would run as a formula gets a leading apostrophe. Rules in docs/exports.md.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from app.exports import cells
from app.exports.book import Book, Column, Kind, Sheet

OnRow = Callable[[int], None]
Convert = Callable[[Any], str]
ENCODING = "utf-8-sig"  # UTF-8 with a BOM


def write(book: Book, path: Path, on_row: OnRow | None = None) -> dict[str, int]:
    """Rows written per sheet (headers not counted)."""
    progress = cells.Progress(on_row)
    if len(book.sheets) <= 1:
        with path.open("w", encoding=ENCODING, newline="") as out:
            return {s.name: _write_sheet(out, s, book.exponent, progress) for s in book.sheets}
    written: dict[str, int] = {}
    names = cells.sheet_names([s.name for s in book.sheets], limit=100)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for sheet, name in zip(book.sheets, names, strict=True):
            with zf.open(f"{name}.csv", "w", force_zip64=True) as raw, \
                    io.TextIOWrapper(raw, encoding=ENCODING, newline="") as out:
                written[sheet.name] = _write_sheet(out, sheet, book.exponent, progress)
    return written


def _write_sheet(out: IO[str], sheet: Sheet, exponent: int, progress: cells.Progress) -> int:
    columns = list(sheet.columns)
    writer = csv.writer(out)
    writer.writerow([cells.defuse(cells.clean_text(c.title)) for c in columns])
    convert = row_converter(columns, exponent)
    writerow = writer.writerow
    width = len(columns)
    every = progress.every
    count = 0
    for row in sheet.rows:
        if len(row) != width:
            raise cells.bad_row(sheet.name, count + 1, len(row), width)
        try:
            writerow(convert(row))
        except cells.BadValue:
            convs = [_column_converter(c.kind, exponent) for c in columns]
            raise cells.locate_bad_value(sheet.name, count + 1, columns, convs, row) from None
        count += 1
        if count % every == 0:
            progress.add(every)
    progress.add(count % every)
    return count



def cell_text(kind: Kind, value: Any, exponent: int) -> str:
    """One cell as the CSV writes it, a Typed one by its own kind."""
    kind, value = cells.unwrap(value, kind)
    text = cells.plain_text(kind, value, exponent)
    return cells.defuse(text) if kind in (Kind.TEXT, Kind.JSON) else text


def _column_converter(kind: Kind, exponent: int) -> Convert:
    return lambda value: "" if value is None else cell_text(kind, value, exponent)


def row_converter(columns: Sequence[Column], exponent: int) -> Callable[[Sequence[Any]], list[Any]]:
    """One function for a whole row, compiled for the sheet's columns: the common cell of each
    kind (a printable str not starting like a formula, a non-negative int, a naive datetime) is
    converted by an inline expression, anything else (None, Typed, negative amounts, control
    characters, a wrong type) by cell_text. Cell-by-cell functions cost the CSV export a third of
    its speed (bench/export_bench.py); the output is the same."""
    scale = 10**exponent
    decimals = f'f"{{$x // {scale}}}.{{$x % {scale}:0{exponent}d}}"' if exponent else "str($x)"
    positive = " if $x.__class__ is int and $x >= 0 else S[$i]($x)"
    fast = {
        Kind.TEXT: "$x if $x.__class__ is str and $x.isprintable() and $x[:1] not in LEADS else S[$i]($x)",
        Kind.INT: "$x if $x.__class__ is int else S[$i]($x)",
        Kind.DATE: "$x.isoformat() if $x.__class__ is date else S[$i]($x)",
        Kind.DATETIME: "$x.isoformat(' ', 'seconds') if $x.__class__ is datetime and $x.tzinfo is None else S[$i]($x)",
        Kind.MONEY: decimals + positive,
        Kind.QTY: 'f"{$x // 1000}.{$x % 1000:03d}"' + positive,
        Kind.PERCENT: 'f"{$x // 100}.{$x % 100:02d}"' + positive,
    }
    slow = [_column_converter(c.kind, exponent) for c in columns]
    names = [f"x{i}" for i in range(len(columns))]
    parts = [fast.get(c.kind, "S[$i]($x)").replace("$x", names[i]).replace("$i", str(i)) for i, c in enumerate(columns)]
    unpack = f"    {', '.join(names)}, = r\n" if columns else ""
    source = f"def convert(r):\n{unpack}    return [" + ",\n            ".join(f"({p})" for p in parts) + "]\n"
    namespace: dict[str, Any] = {"S": slow, "LEADS": frozenset("=+-@"), "date": date, "datetime": datetime}
    exec(compile(source, f"<csv row converter, {len(columns)} columns>", "exec"), namespace)
    convert: Callable[[Sequence[Any]], list[Any]] = namespace["convert"]
    return convert
