"""What the three writers agree on about a cell: how a typed value reads as text, which text must
never be taken for a formula, which characters no file may hold, how wide a column starts, and
what a sheet may be called. One place, so a CSV and a PDF of the same export show the same digits.

Every value is the project's exact type (docs/exports.md, "Format rules"): money an int of minor
units, a quantity an int of thousandths, a percentage an int of basis points. Anything else in
such a column is a bug in the export kind, refused with a message naming the sheet and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from app.exports.book import Column, Kind, Typed
from kernel.money import format_money, format_qty

# Characters XML 1.0 cannot hold (C0 controls but tab, newline and CR; lone surrogates; U+FFFE/F).
# openpyxl refuses the controls (ILLEGAL_CHARACTERS_RE) and writes the others into a file that
# Excel will not open; a CSV or PDF with them is no better. They are removed, never kept.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Text a spreadsheet would run as a formula (OWASP "CSV Injection").
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

EXCEL_CELL_CHARS = 32_767  # Excel's limit on the characters of one cell
SHEET_NAME_CHARS = 31  # Excel's limit on a sheet name
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")

NUMERIC_KINDS = frozenset({Kind.MONEY, Kind.QTY, Kind.INT, Kind.PERCENT})
_KIND_WIDTH = {Kind.MONEY: 14, Kind.QTY: 11, Kind.INT: 9, Kind.PERCENT: 9, Kind.DATE: 11,
               Kind.DATETIME: 19, Kind.TEXT: 14, Kind.JSON: 60}


class BadValue(TypeError):
    """A value whose type is not its column's: a bug in the export kind, not bad user input."""


def clean_text(text: str) -> str:
    """The text without characters no file format may hold."""
    return _UNWRITABLE.sub("", text) if _UNWRITABLE.search(text) else text


def text_of(value: Any, kind: Kind = Kind.TEXT) -> str:
    """A TEXT or JSON cell as a string; a JSON column may also be handed the object itself."""
    if value.__class__ is str:
        return clean_text(value)
    if kind is Kind.JSON and not isinstance(value, str):
        return clean_text(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str))
    return clean_text(str(value))


def defuse(text: str) -> str:
    """CSV's rule: text a spreadsheet would run gets a leading apostrophe, shown as text."""
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def percent_text(basis_points: int) -> str:
    """2534 -> "25.34": basis points as a percentage with 2 decimals, no sign."""
    sign = "-" if basis_points < 0 else ""
    whole, frac = divmod(abs(basis_points), 100)
    return f"{sign}{whole}.{frac:02d}"


def grouped(plain: str) -> str:
    """ "-1234567.50" -> "-1,234,567.50": thousands grouped for reading (PDF), never for data."""
    sign, digits = ("-", plain[1:]) if plain.startswith("-") else ("", plain)
    whole, dot, frac = digits.partition(".")
    return f"{sign}{int(whole):,}{dot}{frac}"


def datetime_text(value: datetime) -> str:
    return value.isoformat(sep=" ", timespec="seconds")


def plain_text(kind: Kind, value: Any, exponent: int) -> str:
    """A value as plain text, the way the CSV writes it ('.' decimals, no grouping, ISO dates)."""
    if value is None:
        return ""
    if kind is Kind.MONEY:
        return format_money(check_int(value, kind), exponent)
    if kind is Kind.QTY:
        return format_qty(check_int(value, kind))
    if kind is Kind.PERCENT:
        return percent_text(check_int(value, kind))
    if kind is Kind.INT:
        return str(check_int(value, kind))
    if kind is Kind.DATETIME:
        return datetime_text(check_datetime(value))
    if kind is Kind.DATE:
        return check_date(value).isoformat()
    return text_of(value, kind)


def check_int(value: Any, kind: Kind) -> int:
    if value.__class__ is not int:
        raise BadValue(f"a {kind.value} cell holds {type(value).__name__} {value!r}, not an int")
    return int(value)


def check_date(value: Any) -> date:
    if not isinstance(value, date):
        raise BadValue(f"a date cell holds {type(value).__name__} {value!r}")
    return value


def check_datetime(value: Any) -> datetime:
    """Naive, as the column's title names its zone; an aware one keeps its wall time."""
    if not isinstance(value, datetime):
        raise BadValue(f"a datetime cell holds {type(value).__name__} {value!r}")
    return value.replace(tzinfo=None) if value.tzinfo is not None else value


def width(column: Column) -> int:
    """Characters: the column's own, else by kind, never narrower than its title."""
    if column.width is not None:
        return max(2, min(column.width, 255))
    return max(_KIND_WIDTH[column.kind], min(len(column.title) + 2, 40))


def unwrap(value: Any, kind: Kind) -> tuple[Kind, Any]:
    """A Typed cell's own kind and value, else the column's."""
    if value.__class__ is Typed:
        return value.kind, value.value
    return kind, value


def sheet_names(names: Sequence[str], limit: int = SHEET_NAME_CHARS) -> list[str]:
    """Names Excel accepts, and file names a zip may hold: no []:*?/\\ or controls, not empty, no
    leading or trailing apostrophe, at most `limit` characters, unique regardless of case."""
    out: list[str] = []
    taken: set[str] = set()
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", clean_text(name)).strip().strip("'").strip() or "Sheet"
        if base.casefold() == "history":  # reserved by Excel
            base = "History_"
        base = base[:limit]
        candidate, n = base, 2
        while candidate.casefold() in taken:
            suffix = f" ({n})"
            candidate, n = base[: limit - len(suffix)] + suffix, n + 1
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def bad_row(sheet: str, row_no: int, values: int, columns: int) -> ValueError:
    return ValueError(f"Sheet '{sheet}' row {row_no} has {values} values for {columns} columns.")


def bad_cell(sheet: str, row_no: int, column: Column, exc: BadValue) -> ValueError:
    return ValueError(f"Sheet '{sheet}' row {row_no} column '{column.title}': {exc}.")


class Progress:
    """Calls on_row with the rows written so far, across sheets, every `every` rows."""

    def __init__(self, on_row: Callable[[int], None] | None, every: int = 1000) -> None:
        self.on_row = on_row
        self.every = every
        self.total = 0

    def add(self, rows: int) -> None:
        """Count rows written since the last call (a caller calls this once per `every` rows)."""
        if rows == 0:
            return
        self.total += rows
        if self.on_row is not None:
            self.on_row(self.total)


def locate_bad_value(sheet: str, row_no: int, columns: Sequence[Column], convs: Sequence[Callable[[Any], Any]],
                     row: Sequence[Any]) -> ValueError:
    """The same row again, one cell at a time, to name the column of the bad value (the writers
    convert a whole row at once and only look closer when that fails)."""
    for column, conv, value in zip(columns, convs, row, strict=True):
        try:
            conv(value)
        except BadValue as exc:
            return bad_cell(sheet, row_no, column, exc)
    return ValueError(f"Sheet '{sheet}' row {row_no} holds a value of the wrong type.")
