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
from pathlib import Path
from typing import IO, Any

from app.exports import cells
from app.exports.book import Book, Column, Kind, Sheet, Typed
from kernel.money import format_money, format_qty

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
    convs = [_column_converter(column.kind, exponent) for column in columns]
    writerow = writer.writerow
    width = len(columns)
    every = progress.every
    count = 0
    for row in sheet.rows:
        if len(row) != width:
            raise cells.bad_row(sheet.name, count + 1, len(row), width)
        try:
            writerow([conv(value) for conv, value in zip(convs, row, strict=True)])
        except cells.BadValue:
            raise _located(sheet.name, count + 1, columns, convs, row) from None
        count += 1
        if count % every == 0:
            progress.add(every)
    progress.add(count % every)
    return count


def _located(sheet: str, row_no: int, columns: Sequence[Column], convs: Sequence[Convert],
             row: Sequence[Any]) -> ValueError:
    for column, conv, value in zip(columns, convs, row, strict=True):
        try:
            conv(value)
        except cells.BadValue as exc:
            return cells.bad_cell(sheet, row_no, column, exc)
    return ValueError(f"Sheet '{sheet}' row {row_no} holds a value of the wrong type.")


def cell_text(kind: Kind, value: Any, exponent: int) -> str:
    """One cell as the CSV writes it, a Typed one by its own kind."""
    kind, value = cells.unwrap(value, kind)
    text = cells.plain_text(kind, value, exponent)
    return cells.defuse(text) if kind in (Kind.TEXT, Kind.JSON) else text


def _column_converter(kind: Kind, exponent: int) -> Convert:
    """The hot kinds get a converter of their own; the rest go through cell_text."""
    if kind is Kind.MONEY:
        def money(value: Any) -> str:
            if value.__class__ is int:
                return format_money(value, exponent)
            return "" if value is None else cell_text(kind, value, exponent)
        return money
    if kind is Kind.QTY:
        def qty(value: Any) -> str:
            if value.__class__ is int:
                return format_qty(value)
            return "" if value is None else cell_text(kind, value, exponent)
        return qty
    if kind is Kind.TEXT:
        leads = cells.FORMULA_LEADS
        clean = cells.clean_text

        def text(value: Any) -> str:
            if value.__class__ is str:
                s: str = clean(value)
                return "'" + s if s.startswith(leads) else s
            if value is None:
                return ""
            if value.__class__ is Typed:
                return cell_text(kind, value, exponent)
            return cells.defuse(cells.text_of(value))
        return text
    return lambda value: "" if value is None else cell_text(kind, value, exponent)
