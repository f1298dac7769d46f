"""Head office publishes the catalogue, prices and stock counts to the central store.

Each use case validates everything first (the till's own catalogue validation, app/catalogue/), then
writes the change and its `hq_audit` entry in one transaction: a file with one bad row writes
nothing. The tills' incremental pull picks the change up by the versions the write bumps.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from app.catalogue import fields as f
from app.catalogue.importer import FILE_LEVEL, MAX_SKU, RowError, parse_catalogue
from app.catalogue.sources import MAX_ROWS, Cell, SourceError, open_table
from app.hq import hq_audit
from db.central import master_repo
from kernel.errors import InvalidInput, NotFound
from kernel.ids import new_id
from kernel.money import format_money, format_qty

EXPONENT = 2  # head office's amounts are in cents; a currency with another exponent is not supported yet
MAX_SHOWN = 10


class FileRefused(InvalidInput):
    """A file with bad rows: nothing of it was written. The message lists the first problems."""

    def __init__(self, what: str, errors: list[RowError]) -> None:
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:MAX_SHOWN])
        more = f" (and {len(errors) - MAX_SHOWN} more)" if len(errors) > MAX_SHOWN else ""
        super().__init__(f"{what} refused, nothing written: {shown}{more}")


@dataclass(frozen=True)
class CatalogueImported:
    products: int
    added: int
    updated: int
    prices: int
    audit_seq: int


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def check_store(conn: psycopg.Connection, store: str | None) -> str | None:
    if store is None:
        return None
    store = store.strip().upper()
    if not master_repo.store_exists(conn, store):
        raise NotFound(f"Head office knows no store {f.quote(store)}; enrol a till of it first.")
    return store


def import_catalogue(conn: psycopg.Connection, path: Path, *, store: str | None, now: datetime,
                     actor: str) -> CatalogueImported:
    """Products with barcodes, prices, tax codes, cost and reorder level, all or nothing. New products
    are listed for `store` only when one is given (else for every store); an existing product keeps
    its listing, and with `store` its new price is that store's price."""
    with conn.transaction():
        store = check_store(conn, store)
        result = parse_catalogue(Path(path), exponent=EXPONENT, known_tax_codes=master_repo.tax_codes(conn))
        if result.errors:
            raise FileRefused("The catalogue", result.errors)
        existing = master_repo.products_by_sku(conn, [r.sku for r in result.rows])
        owners = master_repo.barcode_owners(conn, [c for r in result.rows for c in r.barcodes])
        in_file = {r.sku.casefold() for r in result.rows}
        errors = []
        for r in result.rows:
            old = existing.get(r.sku.casefold())
            if old is not None and store and old["store_id"] not in (None, store):
                errors.append(RowError(r.row_number, "sku", f"The SKU {f.quote(r.sku)} is listed for store "
                                                            f"{old['store_id']} only."))
            for code in r.barcodes:
                owner = owners.get(code)
                if owner is not None and owner.casefold() != r.sku.casefold() and owner.casefold() not in in_file:
                    errors.append(RowError(r.row_number, "barcodes", f"The barcode {code} belongs to SKU "
                                                                     f"{f.quote(owner)} at head office."))
        if errors:
            raise FileRefused("The catalogue", errors)
        rows: list[dict[str, Any]] = []
        prices: list[tuple[str, int, str | None]] = []
        for r in result.rows:
            old = existing.get(r.sku.casefold())
            row: dict[str, Any] = {
                "id": old["id"] if old else new_id(), "sku": r.sku, "name": r.name, "unit": r.unit,
                "cost": r.cost, "tax_code": r.tax_code, "allow_negative_stock": r.allow_negative_stock,
                "active": r.active, "barcodes": list(r.barcodes), "reorder_level_milli": r.reorder_milli,
                "category": r.category,
            }
            if old is None:
                row.update(store_id=store, price=r.price)
            else:  # the listing stays; with --store the new price is that store's (md_prices), not the base
                row.update(store_id=old["store_id"], price=old["price"] if store is not None else r.price)
            if old is not None and (store is not None or old["price"] != r.price):
                prices.append((row["id"], r.price, old["store_id"]))  # newer than any earlier price in force
            rows.append(row)
        master_repo.upsert_products(conn, rows)
        for product_id, price, listed in prices:
            master_repo.add_price(conn, product_id=product_id, store_id=store or listed, price=price,
                                  effective_from=now)
        added = sum(1 for r in result.rows if r.sku.casefold() not in existing)
        seq = hq_audit.append(conn, now=now, type_="catalogue.imported", actor=actor, data={
            "file": f.quote(Path(path).name, 120), "sha256": _digest(Path(path)), "store": store,
            "products": len(rows), "added": added, "updated": len(rows) - added, "prices": len(prices),
        })
    return CatalogueImported(len(rows), added, len(rows) - added, len(prices), seq)


MAX_RATE_BP = 10_000


def set_tax_rate(conn: psycopg.Connection, *, code: str, name: str, rate: str, now: datetime, actor: str) -> int:
    """A tax code and its rate in percent (`20`, `5.5`), for every store; returns its hq_audit seq."""
    try:
        checked = f.as_tax_code(code, None)
        label = f.as_text(name, "tax name", max_len=80, required=True)
        rate_bp = f.as_money(rate, "tax rate", 2, required=True)  # percent with 2 decimals = basis points
    except f.FieldError as exc:
        raise InvalidInput(str(exc)) from None
    assert label is not None and rate_bp is not None
    if rate_bp > MAX_RATE_BP:
        raise InvalidInput(f"A tax rate is at most 100 percent, not {f.quote(rate)}.")
    with conn.transaction():
        master_repo.upsert_tax_rate(conn, checked, label, rate_bp)
        return hq_audit.append(conn, now=now, type_="tax.set", actor=actor,
                               data={"code": checked, "name": label, "rate_bp": rate_bp})


def parse_when(text: str | None) -> datetime | None:
    """An ISO date-time with its UTC offset (`2026-12-24T06:00:00+01:00`, `...Z`); a time without one
    is refused, since tills in other zones would read it differently."""
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"The time {f.quote(text)} is not an ISO date-time such as 2026-12-24T06:00:00+01:00.")\
            from None
    if when.tzinfo is None:
        raise InvalidInput(f"The time {f.quote(text)} has no UTC offset; add one, e.g. +01:00 or Z.")
    if not 2000 <= when.year <= 9998:
        raise InvalidInput(f"The time {f.quote(text)} is not a date a till can schedule.")
    return when.astimezone(UTC)


def set_price(conn: psycopg.Connection, *, sku: str, price: str, store: str | None, effective_from: datetime | None,
              now: datetime, actor: str) -> int:
    """A price for one store or every store, now or from a time on; returns its hq_audit seq."""
    try:
        minor = f.as_money(price, "price", EXPONENT, required=True)
    except f.FieldError as exc:
        raise InvalidInput(str(exc)) from None
    assert minor is not None
    with conn.transaction():
        store = check_store(conn, store)
        product = master_repo.products_by_sku(conn, [sku]).get(sku.strip().casefold())
        if product is None:
            raise NotFound(f"Head office lists no product with the SKU {f.quote(sku)}.")
        if store is not None and product["store_id"] not in (None, store):
            raise InvalidInput(f"The SKU {f.quote(sku)} is listed for store {product['store_id']} only.")
        when = effective_from or now
        store = store or product["store_id"]  # a product of one store: only that store's tills may see its price
        version = master_repo.add_price(conn, product_id=product["id"], store_id=store, price=minor,
                                        effective_from=when)
        if store == product["store_id"] and effective_from is None:
            master_repo.set_base_price(conn, product["id"], minor)
        return hq_audit.append(conn, now=now, type_="price.set", actor=actor, data={
            "sku": product["sku"], "product_id": product["id"], "price": format_money(minor, EXPONENT),
            "store": store, "effective_from": hq_audit.iso(when), "version": version,
        })


def _count_rows(path: Path) -> list[tuple[int, Cell, Cell]]:
    try:
        table = open_table(Path(path))
        keys = [str(c).strip().lower() if isinstance(c, str) else "" for c in table.header]
        if "sku" not in keys or "counted" not in keys:
            raise SourceError("The first row must name the columns sku and counted.")
        at_sku, at_qty = keys.index("sku"), keys.index("counted")
        rows: list[tuple[int, Cell, Cell]] = []
        for number, cells in table.rows:
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise SourceError(f"The file has more than {MAX_ROWS} rows; split it into smaller files.")
            cells = cells + [None] * (max(at_sku, at_qty) + 1 - len(cells))
            rows.append((number, cells[at_sku], cells[at_qty]))
    except SourceError as exc:
        raise FileRefused("The stock count", [RowError(FILE_LEVEL, None, str(exc))]) from None
    if not rows:
        raise FileRefused("The stock count", [RowError(FILE_LEVEL, None, "The file has no counted products.")])
    return rows


def stock_count(conn: psycopg.Connection, path: Path, *, store: str, now: datetime, actor: str) -> int:
    """A store's counted levels (`sku,counted` per row), all or nothing. Each figure is taken to include
    every till's entries head office has imported (its accepted sequence number), the counted-mark
    rule of docs/central.md; returns the hq_audit seq."""
    raw = _count_rows(Path(path))
    errors: list[RowError] = []
    parsed: list[tuple[int, str, Cell]] = []
    for number, sku_cell, qty_cell in raw:
        try:
            sku = f.as_text(sku_cell, "SKU", max_len=MAX_SKU, required=True)
        except f.FieldError as exc:
            errors.append(RowError(number, "sku", str(exc)))
            continue
        assert sku is not None
        parsed.append((number, sku, qty_cell))
    with conn.transaction():
        checked = check_store(conn, store)
        assert checked is not None
        products = master_repo.products_by_sku(conn, [s for _n, s, _q in parsed])
        seen: dict[str, int] = {}
        levels: list[tuple[str, int]] = []
        for number, sku, qty_cell in parsed:
            product = products.get(sku.casefold())
            if product is None or product["store_id"] not in (None, checked):
                errors.append(RowError(number, "sku", f"No product {f.quote(sku)} is listed for store {checked}."))
                continue
            if sku.casefold() in seen:
                errors.append(RowError(number, "sku", f"The SKU {f.quote(sku)} is already counted on row "
                                                      f"{seen[sku.casefold()]}."))
                continue
            seen[sku.casefold()] = number
            try:
                qty = f.as_stock(qty_cell, str(product["unit"]), "counted quantity")
            except f.FieldError as exc:
                errors.append(RowError(number, "counted", str(exc)))
                continue
            if qty is None:
                errors.append(RowError(number, "counted", "The counted quantity is missing."))
                continue
            levels.append((str(product["id"]), qty))
        if errors:
            raise FileRefused("The stock count", sorted(errors, key=lambda e: e.row_number))
        marks = master_repo.store_marks(conn, checked)
        for product_id, qty in levels:
            master_repo.set_stock(conn, checked, product_id, qty, marks)
        return hq_audit.append(conn, now=now, type_="stock.counted", actor=actor, data={
            "store": checked, "file": f.quote(Path(path).name, 120), "sha256": _digest(Path(path)),
            "products": len(levels), "total": format_qty(sum(q for _p, q in levels)), "counted_seq": marks,
        })
