"""The inventory export (seed 004, phase 2B): Summary, Stock Items (per product and store) and, with
--movements, Stock Movements, from the till or the central store (`inventory_central.py`).

`--as-of DATE` values the stock at the end of that business date: today's level less every
movement stamped after it (at the till, the end of the date is the store's rollover hour on the
next day in its time zone). Cost and price are today's; quantities are the date's. A level head
office set after the date (a pulled count) moved the stock without a movement, so such products
are counted in the Summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.context import TillContext
from app.exports.book import Book, Column, Kind, Sheet, Typed
from app.exports.filters import Filter, FilterType
from app.exports.registry import ExportKind
from app.exports.stock_items import STATUS_WORDS, Item, listed, wanted
from kernel.clock import iso_utc
from kernel.errors import InvalidInput
from kernel.money import parse_qty

FILTERS: tuple[Filter, ...] = (
    Filter("store", FilterType.TEXT, "only this store (at the till: its own)"),
    Filter("category", FilterType.TEXT, "only products of this category (its name)"),
    Filter("status", FilterType.CHOICE, "only items in stock, low (at or below the reorder level) or out",
           tuple(STATUS_WORDS)),
    Filter("min-qty", FilterType.QTY, "only items with at least this much on hand"),
    Filter("exclude-zero-value", FilterType.FLAG, "leave out items with no value at cost or at price"),
    Filter("movements", FilterType.FLAG, "add the Stock Movements sheet"),
    Filter("as-of", FilterType.DATE, "stock at the end of this business date, counted back from the movements"),
)

SUMMARY = (Column("Figure", width=40), Column("Value", width=18))
ITEMS = (
    Column("Store", width=5), Column("SKU", width=8), Column("Product", width=14), Column("Barcode", width=13),
    Column("Category", width=8), Column("Unit", width=5), Column("On hand", Kind.QTY),
    Column("Reorder level", Kind.QTY), Column("Status", width=8), Column("Unit cost", Kind.MONEY),
    Column("Price", Kind.MONEY), Column("Value at cost", Kind.MONEY), Column("Value at price", Kind.MONEY),
    Column("Unit margin", Kind.MONEY), Column("Margin %", Kind.PERCENT), Column("Potential profit", Kind.MONEY),
    Column("Active", width=5),
)
MOVEMENTS = (
    Column("Time (UTC)", Kind.DATETIME), Column("Store", width=6), Column("Till", width=10),
    Column("SKU", width=10), Column("Product", width=24), Column("Reason", width=9),
    Column("Reference", width=24), Column("Quantity", Kind.QTY), Column("Audit seq", Kind.INT),
)
MovementRow = Sequence[Any]


def item_row(i: Item) -> tuple[Any, ...]:
    return (i.store, i.sku, i.name, i.barcode, i.category, i.unit, i.on_hand, i.reorder_level,
            STATUS_WORDS[i.status], i.unit_cost, i.price, i.value_at_cost, i.value_at_price, i.unit_margin,
            i.margin_bp, i.potential_profit, "yes" if i.active else "no")


def summary_rows(items: Sequence[Item], as_of: date | None, extra: Sequence[tuple[str, Typed]] = ()
                 ) -> list[tuple[str, Typed]]:
    def money(total: int) -> Typed:
        return Typed(Kind.MONEY, total)

    def count(n: int) -> Typed:
        return Typed(Kind.INT, n)

    known = [i for i in items if i.unit_cost is not None]
    unknown = [i for i in items if i.unit_cost is None]
    rows: list[tuple[str, Typed]] = [
        ("Stock as of", Typed(Kind.DATE, as_of) if as_of else Typed(Kind.TEXT, "now")),
        ("Items (product and store)", count(len(items))),
        ("Products", count(len({i.product_id for i in items}))),
        ("Stores", count(len({i.store for i in items}))),
        ("Quantity on hand (pieces)", Typed(Kind.QTY, sum(i.on_hand for i in items if i.unit != "kg"))),
        ("Quantity on hand (kg)", Typed(Kind.QTY, sum(i.on_hand for i in items if i.unit == "kg"))),
        ("Value at cost (items of known cost)", money(sum(i.value_at_cost or 0 for i in known))),
        ("Value at price", money(sum(i.value_at_price for i in items))),
        ("Potential profit (items of known cost)", money(sum(i.potential_profit or 0 for i in known))),
        ("Items of unknown cost", count(len(unknown))),
        ("Value at price of items of unknown cost", money(sum(i.value_at_price for i in unknown))),
        *((f"Status {word}", count(sum(i.status == key for i in items))) for key, word in STATUS_WORDS.items()),
        *extra,
    ]
    for store in sorted({i.store for i in items}):
        mine = [i for i in items if i.store == store]
        rows += [
            (f"Store {store}: items", count(len(mine))),
            (f"Store {store}: value at cost (known cost)", money(sum(i.value_at_cost or 0 for i in mine))),
            (f"Store {store}: value at price", money(sum(i.value_at_price for i in mine))),
            (f"Store {store}: items of unknown cost", count(sum(i.unit_cost is None for i in mine))),
        ]
    return rows


def make_book(*, store: str, currency: str, exponent: int, checked: Mapping[str, Any], meta: list[tuple[str, str]],
              items: Sequence[Item], extra: Sequence[tuple[str, Typed]] = (),
              movements: Iterable[MovementRow] | None = None, generated: datetime | None = None) -> Book:
    sheets = [Sheet("Summary", SUMMARY, summary_rows(items, checked.get("as_of"), extra)),
              Sheet("Stock Items", ITEMS, (item_row(i) for i in items), wide=True)]
    if movements is not None:
        sheets.append(Sheet("Stock Movements", MOVEMENTS, movements, wide=True))
    return Book(title="Inventory export", store=store, currency=currency, exponent=exponent,
                filters=dict(checked), meta=meta, sheets=sheets, generated=generated)


def end_of_business_date(day: date, timezone: str, rollover_hour: int) -> str:
    """The audit timestamp at which business date `day` ends: the rollover hour of the next day."""
    local = datetime.combine(day + timedelta(days=1), time(rollover_hour), tzinfo=ZoneInfo(timezone))
    return iso_utc(local)


def _utc(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).replace(tzinfo=None)


def till_book(ctx: TillContext, checked: Mapping[str, Any]) -> Book:
    settings = ctx.settings
    store = settings.store_id
    if checked.get("store") and checked["store"].upper() != store:
        raise InvalidInput(f"--store: this till belongs to store {store}.")
    as_of: date | None = checked.get("as_of")
    cutoff = end_of_business_date(as_of, settings.timezone, settings.rollover_hour) if as_of else None
    default_level = parse_qty(settings.reorder_level_default)
    with ctx.uow(read_only=True) as uow:
        repo = uow.export_inventory
        rows = repo.items()
        moved = repo.moved_since(cutoff) if cutoff else {}
        recounted = repo.central_since(cutoff) if cutoff else set()
    items = []
    for pid, sku, name, category, unit, price, cost, level, active, on_hand, barcode in rows:
        qty = int(on_hand) - moved.get(pid, 0)
        if not listed(bool(active), qty):
            continue
        item = Item(store=store, product_id=pid, sku=sku, name=name, category=category, unit=unit, barcode=barcode,
                    on_hand=qty, reorder_level=default_level if level is None else int(level),
                    unit_cost=None if cost is None else int(cost), price=int(price), active=bool(active))
        if wanted(item, checked):
            items.append(item)
    extra = [("Items whose level head office set after the date",
              Typed(Kind.INT, sum(i.product_id in recounted for i in items)))] if cutoff else []
    meta = [("Till", settings.audit_till)] + ([("Stock at", f"{cutoff} (end of {as_of})")] if cutoff else [])
    movements = _till_movements(ctx, {i.product_id: i for i in items}, cutoff) if checked.get("movements") else None
    return make_book(store=settings.store_name, currency=settings.currency, exponent=settings.exponent,
                     checked=checked, meta=meta, items=items, extra=extra, movements=movements,
                     generated=ctx.now())


def _till_movements(ctx: TillContext, items: dict[str, Item], cutoff: str | None) -> Iterator[MovementRow]:
    """The listed products' movements up to the cutoff, read when the sheet is written."""
    till = ctx.settings.audit_till
    with ctx.uow(read_only=True) as uow:
        for created, pid, reason, receipt, delta, seq in uow.export_inventory.movements(cutoff):
            item = items.get(pid)
            if item is not None:
                yield (_utc(created), item.store, till if seq is not None else None, item.sku, item.name, reason,
                       receipt, int(delta), seq)


def _hq_book(conn: Any, stores: Sequence[str] | None, checked: Mapping[str, Any]) -> Book:
    from app.exports.inventory_central import hq_book

    return hq_book(conn, stores, checked)


KIND = ExportKind(name="inventory", help="stock per product and store, valued at cost and at price",
                  filters=FILTERS, till=till_book, hq=_hq_book)
