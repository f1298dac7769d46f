"""Reading a catalogue file into raw rows of cells, whatever its format.

The file is untrusted: size, column and row counts are bounded, the text must be
UTF-8, and formulas are surfaced as `Formula` cells (never evaluated) so the
validation can refuse them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is read
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_COLUMNS = 64
MAX_ROWS = 100_000
_BOM = b"\xef\xbb\xbf"
_FORMULA_TYPES = ("ArrayFormula", "DataTableFormula")


@dataclass(frozen=True)
class Formula:
    """A spreadsheet cell that holds a formula; its text is kept only to quote it in a message."""

    text: str


Cell = str | int | float | bool | date | datetime | time | Formula | None


class SourceError(ValueError):
    """The file as a whole cannot be read; the message is a sentence for a shop manager."""


@dataclass(frozen=True)
class RawTable:
    header: list[Cell]
    rows: Iterator[tuple[int, list[Cell]]]  # (row number as a spreadsheet shows it, cells)


def open_table(path: Path) -> RawTable:
    """The header and data rows of a `.csv` or `.xlsx` file, or a SourceError."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise SourceError(f"{path.name} is not a .csv or .xlsx file: save the catalogue as one of those.")
    try:
        size = path.stat().st_size
    except OSError:
        raise SourceError(f"The file {path.name} cannot be found or opened.") from None
    if size == 0:
        raise SourceError(f"The file {path.name} is empty.")
    if size > MAX_FILE_BYTES:
        raise SourceError(f"The file {path.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    return _csv_table(path) if suffix == ".csv" else _xlsx_table(path)


def decode_utf8(data: bytes) -> str:
    """The text of a UTF-8 file (with or without BOM); the error names the first bad byte."""
    body = data[len(_BOM):] if data.startswith(_BOM) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = exc.start + (len(data) - len(body))
        line = data.count(b"\n", 0, pos) + 1
        raise SourceError(
            f"The file is not UTF-8 text: the byte at position {pos} (line {line}) cannot be read. "
            "Save it as 'CSV UTF-8' and import it again."
        ) from None


def sniff_delimiter(text: str) -> str:
    """Comma or semicolon, whichever the header line uses more (European Excel writes ';')."""
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def _csv_table(path: Path) -> RawTable:
    try:
        text = decode_utf8(path.read_bytes())
    except OSError:
        raise SourceError(f"The file {path.name} cannot be read.") from None
    if not text.strip():
        raise SourceError(f"The file {path.name} is empty.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    numbered = _csv_rows(reader)
    try:
        _, header = next(numbered)
    except StopIteration:
        raise SourceError(f"The file {path.name} is empty.") from None
    return RawTable(list(header), numbered)


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[Cell]]]:
    number = 0
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SourceError(f"Row {number} cannot be read as CSV ({exc}). Check its quotes.") from None
        yield number, list(record)


def _xlsx_cell(cell: object) -> Cell:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or type(value).__name__ in _FORMULA_TYPES:
        text = value if isinstance(value, str) else str(getattr(value, "text", "") or "")
        return Formula(text if text.startswith("=") else "=" + text)
    if value is None or isinstance(value, str | int | float | bool | date | datetime | time):
        return value
    return str(value)


def _xlsx_table(path: Path) -> RawTable:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise SourceError(f"{path.name} cannot be opened as an Excel workbook (.xlsx).") from None
    if not book.worksheets:
        book.close()
        raise SourceError(f"The workbook {path.name} has no sheet.")
    sheet = book.worksheets[0]
    rows = _xlsx_rows(book, sheet)
    try:
        _, header = next(rows)
    except StopIteration:
        book.close()
        raise SourceError(f"The first sheet of {path.name} is empty.") from None
    return RawTable(header, rows)


def _xlsx_rows(book: Workbook, sheet: ReadOnlyWorksheet) -> Iterator[tuple[int, list[Cell]]]:
    """Rows of the first sheet, bounded in width; gaps between rows keep their numbers."""
    try:
        # types-openpyxl binds the read-only sheet's iter_rows to the full Worksheet as its self type
        for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1):  # type: ignore[misc]
            cells = [_xlsx_cell(c) for c in row]
            number = next((getattr(c, "row", None) for c in row if getattr(c, "row", None)), None)
            if number is None:
                continue  # a row with no cell at all
            yield number, cells
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise SourceError(f"The workbook cannot be read to the end ({type(exc).__name__}).") from None
    finally:
        book.close()
