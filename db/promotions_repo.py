"""The till's promotions and price lists: written by an import or a pull, read to price carts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.models.base import table
from db.models.catalogue import Category, Product
from db.models.promotions import PromotionRow
from db.raw_sql import RawSql

PROMOTIONS, PRODUCTS, CATEGORIES = table(PromotionRow), table(Product), table(Category)
# Asked on every pricing of a cart (each scan): straight to the driver (docs/design.md, hot paths).
_FINGERPRINT_SQL = "SELECT count(*), coalesce(max(stamp), 0) FROM promotions"
_CATEGORIES_SQL = ("SELECT p.id, c.name FROM products p JOIN categories c ON c.id = p.category_id "
                   "WHERE p.id IN ({marks})")


@dataclass(frozen=True)
class StoredPromotion:
    id: int
    name: str
    kind: str
    rule: dict[str, Any]
    source: str
    version: int
    active: bool


class PromotionsRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def fingerprint(self) -> tuple[int, int]:
        """(rows, highest stamp): changes whenever a promotion is written."""
        row = RawSql(self.conn).one(_FINGERPRINT_SQL)
        return int(row[0]), int(row[1])

    def active(self) -> list[StoredPromotion]:
        return [p for p in self.all() if p.active]

    def all(self) -> list[StoredPromotion]:
        rows = self.conn.execute(select(PROMOTIONS).order_by(PROMOTIONS.c.id))
        return [StoredPromotion(r.id, r.name, r.kind, json.loads(r.rule), r.source, r.version, bool(r.active))
                for r in rows]

    def upsert(self, rows: Sequence[StoredPromotion]) -> None:
        """Write `rows` (by id), each with a new stamp so the pricing cache sees the change."""
        stamp = self.fingerprint()[1] + 1
        for r in rows:
            values = {"id": r.id, "name": r.name, "kind": r.kind, "source": r.source, "version": r.version,
                      "active": r.active, "stamp": stamp,
                      "rule": json.dumps(r.rule, sort_keys=True, separators=(",", ":"), ensure_ascii=False)}
            stmt = sqlite_insert(PROMOTIONS).values(**values)
            self.conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_={
                k: v for k, v in values.items() if k != "id"}))

    def categories_of(self, product_ids: Iterable[str]) -> dict[str, str]:
        """Product id -> its category's name (what promotions name), for products that have one."""
        ids = sorted(set(product_ids))
        if not ids:
            return {}
        rows = RawSql(self.conn).all(_CATEGORIES_SQL.format(marks=", ".join("?" * len(ids))), ids)
        return {str(r[0]): str(r[1]) for r in rows}
