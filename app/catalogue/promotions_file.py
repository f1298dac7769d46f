"""Reading a promotions file (CSV or XLSX, one promotion per row) into checked promotions.

The file is untrusted, as a catalogue is (app/catalogue/sources.py bounds it and surfaces
formulas): every cell goes through the catalogue's field rules, then the whole promotion
through the engine's own check. A bad row is reported with its reason; the caller imports
nothing unless every row is good.

Columns: `id`, `name`, `kind` (required); `skus` and `categories` (separated by `;`), `buy`,
`pay`, `bundle_price`, `percent`, `amount_off`, `prices` (`SKU=1.20; SKU2=3.00`),
`customer_group`, `starts_at`, `ends_at` (`YYYY-MM-DD HH:MM`, the store's time), `weekdays`
(`mon;tue;…`), `daily_from`, `daily_to` (`HH:MM`), `active` (yes/no).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar

from app.catalogue import fields as f
from app.catalogue.importer import FILE_LEVEL, MAX_CATEGORY, MAX_NAME, MAX_SKU, RowError
from app.catalogue.sources import MAX_ROWS, Cell, Formula, SourceError, open_table
from app.domain.promotions import KINDS, Promotion, PromotionError, check

COLUMNS = ("id", "name", "kind", "skus", "categories", "buy", "pay", "bundle_price", "percent", "amount_off",
           "prices", "customer_group", "starts_at", "ends_at", "weekdays", "daily_from", "daily_to", "active")
REQUIRED = ("id", "name", "kind")
MAX_ID = 10**9
MAX_LIST = 500
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"(\d{1,2}):(\d{2})")
T = TypeVar("T")


@dataclass(frozen=True)
class PromotionLine:
    row_number: int
    promotion: Promotion
    active: bool


@dataclass
class PromotionsFile:
    rows: list[PromotionLine] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _key(cell: Cell) -> str:
    if cell is None or isinstance(cell, Formula):
        return ""
    return "_".join(str(cell).split()).lower().replace("-", "_")


def _whole(cell: Cell, label: str, low: int, high: int) -> int | None:
    text = f.as_text(cell, label, max_len=12)
    if text is None:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise f.FieldError(f"The {label} must be a whole number from {low} to {high}, not {f.quote(text)}.")
    return int(text)


def _percent_bp(cell: Cell) -> int | None:
    text = f.as_text(cell, "percent", max_len=8)
    if text is None:
        return None
    try:
        pct = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise f.FieldError(f"The percent {f.quote(text)} is not a number.") from None
    if not pct.is_finite() or not 0 < pct <= 100 or pct != pct.quantize(Decimal("0.01")):
        raise f.FieldError("The percent is above 0 and at most 100, with at most 2 decimals.")
    return int(pct * 100)


def _names(cell: Cell, label: str, max_len: int) -> frozenset[str]:
    text = f.as_text(cell, label, max_len=f.MAX_CELL_CHARS)
    parts = [p.strip() for p in (text or "").split(";") if p.strip()]
    if len(parts) > MAX_LIST:
        raise f.FieldError(f"The {label} lists more than {MAX_LIST} entries.")
    for p in parts:
        f.as_text(p, label, max_len=max_len)
    return frozenset(parts)


def _prices(cell: Cell, exponent: int) -> dict[str, int]:
    out: dict[str, int] = {}
    text = f.as_text(cell, "prices", max_len=f.MAX_CELL_CHARS) or ""
    for part in (p.strip() for p in text.split(";") if p.strip()):
        sku, sep, amount = part.partition("=")
        if not sep:
            raise f.FieldError(f"The prices entry {f.quote(part)} is not SKU=price.")
        sku = f.as_text(sku, "prices SKU", max_len=MAX_SKU, required=True) or ""
        out[sku] = f.as_money(amount.strip(), f"price of {f.quote(sku)}", exponent, required=True) or 0
    if len(out) > MAX_LIST:
        raise f.FieldError(f"The prices list more than {MAX_LIST} products.")
    return out


def _when(cell: Cell, label: str) -> datetime | None:
    if isinstance(cell, datetime):
        return cell.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(cell, date):
        return datetime(cell.year, cell.month, cell.day)
    text = f.as_text(cell, label, max_len=20)
    if text is None:
        return None
    for form in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, form)
        except ValueError:
            continue
    raise f.FieldError(f"The {label} {f.quote(text)} is not a date and time like 2026-12-24 17:00.")


def _minute(cell: Cell, label: str) -> int | None:
    if isinstance(cell, time):
        return cell.hour * 60 + cell.minute
    text = f.as_text(cell, label, max_len=5)
    if text is None:
        return None
    m = _HHMM.fullmatch(text)
    if not m or int(m[1]) > 24 or int(m[2]) > 59 or (int(m[1]) == 24 and int(m[2])):
        raise f.FieldError(f"The {label} {f.quote(text)} is not a time like 17:30.")
    return int(m[1]) * 60 + int(m[2])


def _weekdays(cell: Cell) -> frozenset[int] | None:
    names = _names(cell, "weekdays", 3)
    if not names:
        return None
    bad = [n for n in names if n.lower() not in WEEKDAYS]
    if bad:
        raise f.FieldError(f"The weekdays {f.quote(', '.join(sorted(bad)))} are not mon, tue, … sun.")
    return frozenset(WEEKDAYS.index(n.lower()) for n in names)


class _Rows:
    def __init__(self, index: dict[str, int], exponent: int) -> None:
        self.index, self.exponent = index, exponent
        self.ids: dict[int, int] = {}

    def parse(self, number: int, cells: list[Cell]) -> PromotionLine | list[RowError]:
        errors: list[RowError] = []

        def take(column: str, conv: Callable[[Cell], T], default: T) -> T:
            if column not in self.index:
                return default
            try:
                return conv(cells[self.index[column]] if self.index[column] < len(cells) else None)
            except f.FieldError as exc:
                errors.append(RowError(number, column, str(exc)))
                return default

        pid = take("id", lambda c: _whole(c, "id", 1, MAX_ID), None)
        name = take("name", lambda c: f.as_text(c, "name", max_len=MAX_NAME, required=True), None)
        kind = take("kind", lambda c: f.as_text(c, "kind", max_len=12, required=True), None)
        no_names: frozenset[str] = frozenset()
        skus = take("skus", lambda c: _names(c, "skus", MAX_SKU), no_names)
        categories = take("categories", lambda c: _names(c, "categories", MAX_CATEGORY), no_names)
        buy = take("buy", lambda c: _whole(c, "buy", 0, 1000), None) or 0
        pay = take("pay", lambda c: _whole(c, "pay", 0, 1000), None) or 0
        bundle = take("bundle_price", lambda c: f.as_money(c, "bundle price", self.exponent), None)
        pct = take("percent", _percent_bp, None) or 0
        off = take("amount_off", lambda c: f.as_money(c, "amount off", self.exponent), None) or 0
        no_prices: dict[str, int] = {}
        prices = take("prices", lambda c: _prices(c, self.exponent), no_prices)
        group = take("customer_group", lambda c: f.as_text(c, "customer group", max_len=10), None)
        starts = take("starts_at", lambda c: _when(c, "start"), None)
        ends = take("ends_at", lambda c: _when(c, "end"), None)
        days = take("weekdays", _weekdays, None)
        daily_from = take("daily_from", lambda c: _minute(c, "daily start"), None)
        daily_to = take("daily_to", lambda c: _minute(c, "daily end"), None)
        active = take("active", lambda c: f.as_bool(c, "active", True), True)
        if errors or pid is None or name is None or kind is None:
            return errors
        if kind.lower() not in KINDS:
            return [RowError(number, "kind", f"The kind {f.quote(kind)} is not one of {', '.join(KINDS)}.")]
        if pid in self.ids:
            return [RowError(number, "id", f"The id {pid} is already used on row {self.ids[pid]}.")]
        promotion = Promotion(
            id=pid, name=name, kind=kind.lower(), skus=skus, categories=categories, buy=buy, pay=pay,
            bundle_price=bundle, percent_bp=pct, amount_off=off, prices=prices, customer_group=group,
            starts_at=starts, ends_at=ends, weekdays=days, daily_from=daily_from, daily_to=daily_to,
        )
        try:
            check(promotion)
        except PromotionError as exc:
            return [RowError(number, None, str(exc))]
        self.ids[pid] = number
        return PromotionLine(number, promotion, active)


def parse_promotions(path: Path, *, exponent: int = 2) -> PromotionsFile:
    """Read and check a promotions file; never raises for anything the file contains."""
    result = PromotionsFile()
    try:
        table = open_table(Path(path))
        keys = [_key(c) for c in table.header]
        index: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key in index:
                raise SourceError(f"The column {key} appears twice in the first row.")
            if key in COLUMNS:
                index[key] = i
            elif key:
                result.errors.append(RowError(1, f.quote(key), f"The column \"{f.quote(key)}\" is not known."))
        missing = [c for c in REQUIRED if c not in index]
        if missing:
            raise SourceError(f"The first row must name the columns {', '.join(REQUIRED)}; "
                              f"missing: {', '.join(missing)}.")
        rows = _Rows(index, exponent)
        seen = 0
        for number, cells in table.rows:
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            seen += 1
            if seen > MAX_ROWS:
                raise SourceError(f"The file has more than {MAX_ROWS} promotions; split it.")
            parsed = rows.parse(number, cells)
            if isinstance(parsed, PromotionLine):
                result.rows.append(parsed)
            else:
                result.errors.extend(parsed)
        if seen == 0:
            result.errors.append(RowError(FILE_LEVEL, None, "The file has a header row but no promotions."))
    except SourceError as exc:
        result.rows.clear()
        result.errors.append(RowError(FILE_LEVEL, None, str(exc)))
    return result
