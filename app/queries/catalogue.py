"""What the sale screen's catalogue panel and scan field look products up by."""

from __future__ import annotations

from dataclasses import dataclass

from app.context import TillContext
from kernel.records import ProductInfo

QUICK_KEYS = 24
FALLBACK_KEYS = 12


@dataclass(frozen=True)
class Category:
    id: str
    name: str


def categories(ctx: TillContext) -> list[Category]:
    with ctx.uow(read_only=True) as uow:
        return [Category(cid, name) for cid, name in uow.catalogue.categories()]


def category_products(ctx: TillContext, category_id: str) -> list[ProductInfo]:
    with ctx.uow(read_only=True) as uow:
        return uow.catalogue.by_category(category_id, limit=60)


def quick_keys(ctx: TillContext) -> list[ProductInfo]:
    """The products named by the `quick_keys` setting (SKUs, comma separated), in order; without
    it (or when none of them exists) the first active products."""
    with ctx.uow(read_only=True) as uow:
        skus = [s for s in (uow.settings.get("quick_keys") or "").split(",") if s]
        found = [uow.catalogue.by_sku(s) for s in skus[:QUICK_KEYS]]
        if not found:
            return uow.catalogue.active_products(limit=FALLBACK_KEYS)
    return [p for p in found if p is not None]


def search(ctx: TillContext, text: str) -> list[ProductInfo]:
    with ctx.uow(read_only=True) as uow:
        return uow.catalogue.search(text, limit=40)


def product(ctx: TillContext, code: str) -> ProductInfo | None:
    """The product a code names directly (a barcode or SKU, not a price/weight-embedded label)."""
    with ctx.uow(read_only=True) as uow:
        return uow.catalogue.by_barcode(code.strip()) or uow.catalogue.by_sku(code.strip())
