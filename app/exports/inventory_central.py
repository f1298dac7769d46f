"""The inventory export at head office: every product listed for each store, valued as the till
values it (`app/exports/stock_items.py`).

A store's level is head office's figure (`md_stock`, from `hq stock count`) plus what its tills
moved in verified entries after their counted marks for that figure (with no figure, every such
movement from zero), the level each till shows for its own entries, over all the store's tills. What
head office cannot know: movements a till made without an entry (a till's own catalogue import or
set-up count), a till's time zone (so `--as-of` ends the date at midnight UTC here), and a
store's default reorder level (a till setting): a product without its own level has 0 here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import psycopg

from app.exports.book import Book
from app.exports.customers_central import check_stores
from app.exports.inventory import MovementRow, make_book
from app.exports.stock_items import Item, listed, wanted
from app.hq.exports import CENTRAL_EXPONENT
from db.central import export_inventory as repo


def hq_book(conn: psycopg.Connection, stores: Sequence[str] | None, checked: Mapping[str, Any]) -> Book:
    chosen = check_stores(conn, stores) or repo.stores(conn)
    as_of: date | None = checked.get("as_of")
    cutoff = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=UTC) if as_of else None
    items: list[Item] = []
    for row in repo.items(conn, chosen, datetime.now(UTC), cutoff):
        store, pid, sku, name, category, unit, price, cost, level, active, barcode, on_hand, after_cutoff = row
        qty = int(on_hand) - int(after_cutoff)
        if not listed(bool(active), qty):
            continue
        item = Item(store=store, product_id=pid, sku=sku, name=name, category=category, unit=unit, barcode=barcode,
                    on_hand=qty, reorder_level=int(level or 0), unit_cost=None if cost is None else int(cost),
                    price=int(price), active=bool(active))
        if wanted(item, checked):
            items.append(item)
    meta = [("Source", "central store (head office's counts and the verified entries of every till)"),
            ("Stores", ", ".join(chosen))]
    if cutoff:
        meta.append(("Stock at", f"{cutoff.isoformat()} (end of {as_of}, UTC)"))
    movements = _movements(conn, chosen, cutoff, items) if checked.get("movements") else None
    return make_book(store="Head office", currency="", exponent=CENTRAL_EXPONENT, checked=checked, meta=meta,
                     items=items, movements=movements)


def _movements(conn: psycopg.Connection, stores: Sequence[str], cutoff: datetime | None, items: list[Item]
               ) -> Iterator[MovementRow]:
    names = {(i.store, i.sku): i.name for i in items}
    for ts, store, till, sku, reason, reference, delta, seq in repo.movements(conn, stores, cutoff):
        name = names.get((store, sku))
        if name is not None:
            yield (ts.astimezone(UTC).replace(tzinfo=None), store, till, sku, name, reason, reference, int(delta),
                   int(seq))
