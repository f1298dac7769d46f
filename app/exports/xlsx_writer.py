"""A Book as an Excel workbook, streamed: openpyxl's write-only mode sends each row to the file as
it is appended, so a million rows take no more memory than one (bench/export_bench.py).

Numbers stay numbers (a sum in Excel works): money is the amount with the currency's decimals
and code as its number format, a quantity has 3 decimals, a percentage is a fraction shown as
"25.34%", dates and times are real ones, 0 is 0 and None an empty cell. Text a spreadsheet would
run as a formula is an explicit string cell. The header row is frozen and carries an autofilter.
Rules in docs/exports.md, "Format rules".
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.exports import cells
from app.exports.book import Book, Column, Kind, Sheet, Typed

OnRow = Callable[[int], None]
Convert = Callable[[Any], Any]

QTY_FORMAT = "0.000"
PERCENT_FORMAT = "0.00%"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
_WRAP = Alignment(wrap_text=True, vertical="top")
_ERROR_CODES = frozenset(ERROR_CODES)


def money_format(currency: str, exponent: int) -> str:
    """'#,##0.00 "EUR"': grouped, the currency's decimals, its code as quoted literal text."""
    code = re.sub(r"[^A-Za-z0-9]", "", currency)[:8]
    digits = "#,##0" + ("." + "0" * exponent if exponent > 0 else "")
    return f'{digits} "{code}"' if code else digits


def write(book: Book, path: Path, on_row: OnRow | None = None) -> dict[str, int]:
    """Rows written per sheet (headers not counted), the sheets in the book's order."""
    wb = Workbook(write_only=True)
    wb.properties.title = cells.clean_text(book.title)[:255]
    progress = cells.Progress(on_row)
    written: dict[str, int] = {}
    titles = cells.sheet_names([s.name for s in book.sheets])
    try:
        for sheet, title in zip(book.sheets, titles, strict=True):
            ws = wb.create_sheet(title)
            written[sheet.name] = _write_sheet(ws, sheet, book, progress)
        if not book.sheets:
            wb.create_sheet("Sheet")  # a workbook needs one sheet to open
        wb.save(path)
    except BaseException:
        _discard(wb)
        raise
    return written


def _discard(wb: Workbook) -> None:
    """openpyxl streams each sheet to a temporary file of its own and removes it only when the
    workbook is saved: a failed export closes and removes them here, not at the process's exit."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            if not ws.closed:
                ws.close()
        with contextlib.suppress(OSError):
            os.remove(writer.out)


def _write_sheet(ws: WriteOnlyWorksheet, sheet: Sheet, book: Book, progress: cells.Progress) -> int:
    """Widths and the frozen pane go before the first row (write-only writes them first); the
    autofilter after the last, as it is written at the end of the sheet, when the range is known."""
    columns = list(sheet.columns)
    # The write-only sheet has these (Worksheet._setup); the type stubs do not say so.
    dimensions = ws.column_dimensions  # type: ignore[attr-defined]
    for i, column in enumerate(columns, 1):
        dimensions[get_column_letter(i)].width = cells.width(column)
    ws.freeze_panes = "A2"
    ws.append([_header(ws, column.title) for column in columns])
    by_kind = _converters(ws, book)
    convs = [_column_converter(column.kind, by_kind) for column in columns]
    count = _append_rows(ws, sheet, columns, convs, progress)
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"  # type: ignore[attr-defined]
    return count


def _append_rows(ws: WriteOnlyWorksheet, sheet: Sheet, columns: Sequence[Column], convs: Sequence[Convert],
                 progress: cells.Progress) -> int:
    append = ws.append
    width = len(columns)
    every = progress.every
    count = 0
    for row in sheet.rows:
        if len(row) != width:
            raise cells.bad_row(sheet.name, count + 1, len(row), width)
        try:
            append([conv(value) for conv, value in zip(convs, row, strict=True)])
        except cells.BadValue:
            raise cells.locate_bad_value(sheet.name, count + 1, columns, convs, row) from None
        count += 1
        if count % every == 0:
            progress.add(every)
    progress.add(count % every)
    return count



def _header(ws: WriteOnlyWorksheet, title: str) -> Cell:
    cell = _string_cell(ws, cells.clean_text(title)[: cells.EXCEL_CELL_CHARS])
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    return cell


def _string_cell(ws: WriteOnlyWorksheet, text: str) -> Cell:
    """A cell Excel shows as the text itself: openpyxl would make "=..." a formula and "#N/A"
    an error value, so the data type is set after the value."""
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    return cell


def _column_converter(kind: Kind, by_kind: dict[Kind, Convert]) -> Convert:
    """The column's converter, with the two cases every column has: empty, and a Typed cell."""
    inner = by_kind[kind]

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if value.__class__ is Typed:
            return None if value.value is None else by_kind[value.kind](value.value)
        return inner(value)

    return convert


def _converters(ws: WriteOnlyWorksheet, book: Book) -> dict[Kind, Convert]:
    """Per kind: a value of the project's exact type to what openpyxl appends."""
    scale = 10**book.exponent
    money_fmt = money_format(book.currency, book.exponent)
    limit = cells.EXCEL_CELL_CHARS

    def styled(value: Any, fmt: str) -> Cell:
        cell = WriteOnlyCell(ws)
        cell.number_format = fmt
        cell.value = value
        return cell

    def money(value: Any) -> Cell:
        minor = cells.check_int(value, Kind.MONEY)
        # A float prints with 16 significant digits: exact to the minor unit below 2**53 of them.
        return styled(minor / scale if scale != 1 else minor, money_fmt)

    def qty(value: Any) -> Cell:
        return styled(cells.check_int(value, Kind.QTY) / 1000, QTY_FORMAT)

    def percent(value: Any) -> Cell:
        return styled(cells.check_int(value, Kind.PERCENT) / 10_000, PERCENT_FORMAT)

    def integer(value: Any) -> int:
        return cells.check_int(value, Kind.INT)

    def day(value: Any) -> Cell:
        return styled(cells.check_date(value), DATE_FORMAT)

    def moment(value: Any) -> Cell:
        return styled(cells.check_datetime(value), DATETIME_FORMAT)

    def text(value: Any) -> Any:
        s = cells.text_of(value, Kind.TEXT)
        if len(s) > limit:
            s = s[:limit]
        if s.startswith("=") or s in _ERROR_CODES:
            return _string_cell(ws, s)
        return s

    def json_text(value: Any) -> Cell:
        cell = _string_cell(ws, cells.text_of(value, Kind.JSON)[:limit])
        cell.alignment = _WRAP
        return cell

    return {Kind.MONEY: money, Kind.QTY: qty, Kind.PERCENT: percent, Kind.INT: integer, Kind.DATE: day,
            Kind.DATETIME: moment, Kind.TEXT: text, Kind.JSON: json_text}
