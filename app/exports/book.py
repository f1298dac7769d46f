"""What an export is before it becomes a file: a book of sheets, each a header of typed columns
and a stream of rows. Every export kind (sales, customers, inventory, audit) builds a Book from
its data source, the till's SQLite or the central PostgreSQL store; the writers (xlsx, csv, pdf)
turn any Book into a file. The kinds know nothing of file formats and the writers nothing of
shops, so the CLI, the till's shift screen, scheduled exports and the web console share both.

Values in rows are the project's exact types, never floats: money is an int of minor units,
a quantity an int of thousandths, a percentage an int of basis points, a date a `date`, a time
a naive `datetime` already in the zone its column title names. `None` is an empty cell (an
unknown cost is empty, never 0); a 0 is written as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple


class Kind(StrEnum):
    TEXT = "text"
    MONEY = "money"  # int minor units
    QTY = "qty"  # int thousandths, shown with 3 decimals
    INT = "int"
    PERCENT = "percent"  # int basis points: 2534 is 25.34 %
    DATE = "date"
    DATETIME = "datetime"
    JSON = "json"  # text holding formatted JSON: wrapped, never a formula


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT
    width: int | None = None  # characters; None lets the writer choose by kind and title


class Typed(NamedTuple):
    """A cell whose type is not its column's, as in a Summary sheet's Value column."""

    kind: Kind
    value: Any


@dataclass
class Sheet:
    name: str  # also the CSV file name inside a zip, and the PDF section heading
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]  # consumed once, lazily: a generator over a cursor keeps memory flat
    wide: bool = False  # PDF: A4 landscape


@dataclass
class Book:
    title: str  # "Sales export"
    store: str  # store name or id for the PDF's first page
    currency: str
    exponent: int  # the currency's decimals (settings `exponent`)
    filters: dict[str, Any] = field(default_factory=dict)  # as given; printed on the first page
    meta: list[tuple[str, str]] = field(default_factory=list)  # more first-page lines ("Chain verified", ...)
    sheets: list[Sheet] = field(default_factory=list)  # the Summary first
    generated: datetime | None = None  # from the context's clock, for the PDF's first page; None: now
