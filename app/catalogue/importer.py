"""Catalogue import: a CSV or XLSX file to validated product rows and readable errors.

Parsing and validation only: the caller inserts `ImportResult.rows` in one transaction.
A bad row is reported and left out entirely, never half-taken; a problem with the
file itself (encoding, header, size) gives one file-level error and no rows at all.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from app.catalogue import fields as f
from app.catalogue.sources import MAX_COLUMNS, MAX_ROWS, Cell, Formula, SourceError, open_table
from kernel.barcodes import with_check_digit

COLUMNS = (
    "sku", "name", "price", "tax_code", "category", "unit", "cost", "barcodes",
    "allow_negative_stock", "stock", "active", "reorder_level",
)
REQUIRED = ("sku", "name", "price", "tax_code")
MAX_SKU, MAX_NAME, MAX_CATEGORY = 40, 120, 80
FILE_LEVEL = 0  # row_number of an error about the whole file
T = TypeVar("T")


@dataclass(frozen=True)
class ProductRow:
    """One product ready to insert. Money in minor units; stock in thousandths of the unit."""

    row_number: int
    sku: str
    name: str
    price: int
    tax_code: str
    category: str | None = None
    unit: Literal["each", "kg"] = "each"
    cost: int | None = None  # minor units; an empty cell is unknown (None), "0" a free product
    barcodes: tuple[str, ...] = ()
    allow_negative_stock: bool = False
    stock_milli: int | None = None
    active: bool = True
    reorder_milli: int | None = None  # head office's reorder level; the till's own import ignores it


@dataclass(frozen=True)
class RowError:
    """Why a row (or, with row_number 0, the whole file) was not imported."""

    row_number: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = "File" if self.row_number == FILE_LEVEL else f"Row {self.row_number}"
        return f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass
class ImportResult:
    rows: list[ProductRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # ignored columns; nothing was lost

    @property
    def ok(self) -> bool:
        return not self.errors


def _column_key(cell: Cell) -> str:
    if cell is None or isinstance(cell, Formula):
        return ""
    return " ".join(str(cell).split()).lower().replace(" ", "_").replace("-", "_")


def _read_header(header: list[Cell], result: ImportResult) -> dict[str, int] | None:
    """Column name -> index, or None after adding a file-level error."""
    keys = [_column_key(cell) for cell in header]
    named = [k for k in keys if k]
    if len(header) > MAX_COLUMNS and len(named) > MAX_COLUMNS:
        result.errors.append(RowError(FILE_LEVEL, None, (
            f"The first row has more than {MAX_COLUMNS} columns; a catalogue needs at most "
            f"{len(COLUMNS)}: {', '.join(COLUMNS)}."
        )))
        return None
    index: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key in COLUMNS:
            if key in index:
                message = f"The column {key} appears twice in the first row."
                result.errors.append(RowError(FILE_LEVEL, key, message))
                return None
            index[key] = i
        elif key:
            shown = f.quote(key)
            result.warnings.append(RowError(
                1, shown, f"The column \"{shown}\" is not known and was ignored."
            ))
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        result.errors.append(RowError(
            FILE_LEVEL, None,
            f"The first row must name the columns {', '.join(REQUIRED)}; missing: {', '.join(missing)}.",
        ))
        return None
    return index


def _row_values(number: int, cells: list[Cell], width: int) -> list[Cell] | RowError:
    if any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells[width:]):
        return RowError(number, None, "This row has more values than the first row has columns "
                                      "(often a comma inside a name: put such names in quotes).")
    return cells[:width] + [None] * (width - len(cells))


class _RowParser:
    """Validates rows one by one and remembers SKUs and barcodes already taken."""

    def __init__(self, index: dict[str, int], exponent: int, known_tax_codes: set[str] | None) -> None:
        self.index, self.exponent, self.known = index, exponent, known_tax_codes
        self.skus: dict[str, int] = {}
        self.barcodes: dict[str, tuple[str, int]] = {}

    def parse(self, number: int, cells: list[Cell]) -> ProductRow | list[RowError]:
        errors: list[RowError] = []

        def take(column: str, conv: Callable[[Cell], T], default: T) -> T:
            if column not in self.index:
                return default
            try:
                return conv(cells[self.index[column]])
            except f.FieldError as exc:
                errors.append(RowError(number, column, str(exc)))
                return default

        sku = take("sku", lambda c: f.as_text(c, "SKU", max_len=MAX_SKU, required=True), None)
        name = take("name", lambda c: f.as_text(c, "name", max_len=MAX_NAME, required=True), None)
        price = take("price", lambda c: f.as_money(c, "price", self.exponent, required=True), None)
        tax_code = take("tax_code", lambda c: f.as_tax_code(c, self.known), "")
        category = take("category", lambda c: f.as_text(c, "category", max_len=MAX_CATEGORY), None)
        unit = take("unit", f.as_unit, "each")
        cost = take("cost", lambda c: f.as_money(c, "cost", self.exponent), None)
        no_barcodes: tuple[str, ...] = ()
        barcodes = take("barcodes", lambda c: f.as_barcodes(c, unit), no_barcodes)
        negative = take("allow_negative_stock", lambda c: f.as_bool(c, "allow_negative_stock", False), False)
        stock = take("stock", lambda c: f.as_stock(c, unit), None)
        active = take("active", lambda c: f.as_bool(c, "active", True), True)
        reorder = take("reorder_level", lambda c: f.as_stock(c, unit, "reorder level"), None)
        if errors or sku is None or name is None or price is None:
            return errors
        first = self.skus.get(sku.casefold())
        if first is not None:
            return [RowError(number, "sku", f"The SKU {f.quote(sku)} is already used on row {first}; "
                                            "this row was not imported.")]
        for code in barcodes:
            if code in self.barcodes:
                other_sku, other_row = self.barcodes[code]
                errors.append(RowError(number, "barcodes", f"The barcode {code} is already used by SKU "
                                                           f"{f.quote(other_sku)} on row {other_row}."))
        if errors:
            return errors
        self.skus[sku.casefold()] = number
        for code in barcodes:
            self.barcodes[code] = (sku, number)
        return ProductRow(
            row_number=number, sku=sku, name=name, price=price, tax_code=tax_code, category=category,
            unit="kg" if unit == "kg" else "each", cost=cost, barcodes=barcodes,
            allow_negative_stock=negative, stock_milli=stock, active=active, reorder_milli=reorder,
        )


def parse_catalogue(
    path: Path, *, exponent: int = 2, known_tax_codes: set[str] | None = None
) -> ImportResult:
    """Read and validate a catalogue file; never raises for anything the file contains."""
    result = ImportResult()
    try:
        table = open_table(Path(path))
        index = _read_header(table.header, result)
        if index is None:
            return result
        width = 1 + max(i for i, cell in enumerate(table.header) if _column_key(cell))
        parser = _RowParser(index, exponent, known_tax_codes)
        seen = 0
        for number, cells in table.rows:
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            seen += 1
            if seen > MAX_ROWS:
                raise SourceError(f"The file has more than {MAX_ROWS} products; split it into smaller files.")
            values = _row_values(number, cells, width)
            if isinstance(values, RowError):
                result.errors.append(values)
                continue
            parsed = parser.parse(number, values)
            if isinstance(parsed, ProductRow):
                result.rows.append(parsed)
            else:
                result.errors.extend(parsed)
        if seen == 0:
            result.errors.append(RowError(FILE_LEVEL, None, "The file has a header row but no products."))
    except SourceError as exc:
        result.rows.clear()
        result.errors.append(RowError(FILE_LEVEL, None, str(exc)))
    return result


def write_template_csv(path: Path) -> None:
    """A header and example rows a manager can fill in; UTF-8 with BOM so Excel shows accents."""
    examples = [
        ["BAK-0001", "Baguette tradition", "1.20", "C", "Bakery", "each", "0.45",
         with_check_digit("376012345001"), "no", "40", "yes"],
        ["FRU-0001", "Pommes Golden (kg)", "2.49", "C", "Fruit & Vegetables", "kg", "1.10", "", "no",
         "25.500", "yes"],
    ]
    with Path(path).open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(examples)
