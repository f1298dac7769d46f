"""Products, barcodes, tax rates, categories and the FTS5 name search."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Select, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.models.base import table
from db.models.catalogue import Barcode, Category, Product, Stock, TaxRate
from db.raw_sql import RawSql
from kernel.records import ProductInfo

PRODUCTS, BARCODES, TAXES = table(Product), table(Barcode), table(TaxRate)
CATEGORIES, STOCK = table(Category), table(Stock)
_PRODUCT_COLS = (
    PRODUCTS.c.id, PRODUCTS.c.sku, PRODUCTS.c.name, PRODUCTS.c.category_id, PRODUCTS.c.unit,
    PRODUCTS.c.price, PRODUCTS.c.cost, PRODUCTS.c.tax_code, TAXES.c.rate_bp, PRODUCTS.c.allow_negative_stock,
    PRODUCTS.c.active,
)
_LOOKUP = (
    "SELECT p.id, p.sku, p.name, p.category_id, p.unit, p.price, p.cost, p.tax_code, t.rate_bp, "
    "p.allow_negative_stock, p.active FROM products p JOIN tax_rates t ON t.code = p.tax_code "
)
_WORD = re.compile(r"\w+", re.UNICODE)


def _product(row: Any) -> ProductInfo:
    """From a row in the column order of `_PRODUCT_COLS` and `_LOOKUP`."""
    return ProductInfo(
        id=row[0], sku=row[1], name=row[2], category_id=row[3], unit=row[4], price=row[5], cost=row[6],
        tax_code=row[7], tax_rate_bp=row[8], allow_negative_stock=bool(row[9]), active=bool(row[10]),
    )


def fts_query(text_: str) -> str | None:
    """Each word a quoted prefix term, all required: user text never reaches FTS syntax."""
    words = _WORD.findall(text_)[:8]
    return " AND ".join(f'"{word}"*' for word in words) if words else None


class CatalogueRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _lookup(self, where: str, value: str) -> ProductInfo | None:
        """Scan-time lookups in driver-level SQL (they run on every scan)."""
        row = RawSql(self.conn).one(_LOOKUP + where, (value,))
        return _product(row) if row else None

    def _select(self) -> Select[Any]:
        return select(*_PRODUCT_COLS).join(TAXES, TAXES.c.code == PRODUCTS.c.tax_code)

    def costs(self, product_ids: Iterable[str]) -> dict[str, int | None]:
        """Each product's cost (None: unknown), for the lines of a sale to keep; one statement."""
        ids = sorted(set(product_ids))
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = RawSql(self.conn).all(f"SELECT id, cost FROM products WHERE id IN ({marks})", tuple(ids))
        return {row[0]: row[1] for row in rows}

    def by_barcode(self, code: str) -> ProductInfo | None:
        return self._lookup("WHERE p.id = (SELECT product_id FROM barcodes WHERE code = ?)", code)

    def by_sku(self, sku: str) -> ProductInfo | None:
        return self._lookup("WHERE p.sku = ?", sku)

    def by_id(self, product_id: str) -> ProductInfo | None:
        return self._lookup("WHERE p.id = ?", product_id)

    def search(self, text_: str, limit: int = 50) -> list[ProductInfo]:
        """Word-prefix search over name and SKU.

        FTS5's bm25 ranking scores every match, which for a two-letter prefix on a million
        products is most of the index; so take a bounded set of candidates unranked and order
        those: names starting with the typed text first, then shorter names."""
        query = fts_query(text_)
        if not query:
            return []
        candidates = self.conn.exec_driver_sql(
            "SELECT product_id, name FROM products_fts WHERE products_fts MATCH ? LIMIT ?", (query, limit * 4)
        ).fetchall()
        if not candidates:
            return []
        typed = text_.strip().casefold()
        candidates = sorted(candidates, key=lambda row: (not row[1].casefold().startswith(typed), len(row[1]), row[1]))
        ids = [row[0] for row in candidates[:limit]]
        marks = ",".join("?" * len(ids))
        rows = self.conn.exec_driver_sql(_LOOKUP + f"WHERE p.id IN ({marks})", tuple(ids))
        found = {row.id: _product(row) for row in rows}
        return [found[i] for i in ids if i in found and found[i].active]

    def by_category(self, category_id: str, limit: int = 200) -> list[ProductInfo]:
        rows = self.conn.execute(
            self._select().where(PRODUCTS.c.category_id == category_id, PRODUCTS.c.active.is_(True))
            .order_by(PRODUCTS.c.name).limit(limit)
        )
        return [_product(row) for row in rows]

    def active_products(self, limit: int = 400) -> list[ProductInfo]:
        """Sellable products in SKU order (the load generator's shelf)."""
        rows = self.conn.execute(
            self._select().where(PRODUCTS.c.active.is_(True), PRODUCTS.c.price > 0)
            .order_by(PRODUCTS.c.sku).limit(limit)
        )
        return [_product(row) for row in rows]

    def tax_rates(self) -> dict[str, tuple[str, int]]:
        return {row.code: (row.name, row.rate_bp) for row in self.conn.execute(select(TAXES))}

    def categories(self) -> list[tuple[str, str]]:
        return [(r.id, r.name) for r in self.conn.execute(select(CATEGORIES).order_by(CATEGORIES.c.position))]

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(PRODUCTS)).scalar_one())

    def upsert_tax_rate(self, code: str, name: str, rate_bp: int) -> None:
        stmt = sqlite_insert(TAXES).values(code=code, name=name, rate_bp=rate_bp)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["code"], set_={"name": name, "rate_bp": rate_bp}))

    def upsert_category(self, category_id: str, name: str, position: int = 0) -> None:
        stmt = sqlite_insert(CATEGORIES).values(id=category_id, name=name, position=position)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_={"name": name, "position": position}))

    def category_id_by_name(self, name: str) -> str | None:
        row = self.conn.execute(select(CATEGORIES.c.id).where(CATEGORIES.c.name == name)).first()
        return row.id if row else None

    def upsert_products(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert or update products (keyed by id) with their barcodes; returns the count."""
        count = 0
        for row in rows:
            barcodes = row.pop("barcodes", ())
            stmt = sqlite_insert(PRODUCTS).values(**row)
            updatable = {k: v for k, v in row.items() if k != "id"}
            self.conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=updatable))
            for code in barcodes:
                bstmt = sqlite_insert(BARCODES).values(code=code, product_id=row["id"])
                self.conn.execute(bstmt.on_conflict_do_update(index_elements=["code"], set_={"product_id": row["id"]}))
            stock = sqlite_insert(STOCK).values(product_id=row["id"], on_hand_milli=0)
            self.conn.execute(stock.on_conflict_do_nothing())
            count += 1
        return count

    def barcode_owner(self, code: str) -> str | None:
        row = self.conn.execute(select(BARCODES.c.product_id).where(BARCODES.c.code == code)).first()
        return row.product_id if row else None
