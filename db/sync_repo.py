"""Till-side SQL the sync worker needs: unsynced audit entries, the sync state, master data.

The audit log is read, never written, here; what the central store has acknowledged is kept
in `sync_state` (revision 0004_sync_state) and is only a cache of the server's own watermark.
Pulled stock figures go through StockRepo.apply_central, which writes no stock movement: a
figure from head office is not something that happened on this till. A customer's balance is
stored with its counted mark, and neither writes a ledger row, for the same reason.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

from db.catalogue_repo import CatalogueRepo
from db.people_repo import PeopleRepo
from db.promotions_repo import PromotionsRepo, StoredPromotion
from db.stock_repo import StockRepo
from kernel.records import CustomerInfo

PUSHED_SEQ = "pushed_seq"


class SyncRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- state ---------------------------------------------------------------------------
    def state(self) -> dict[str, str]:
        return {k: v for k, v in self.conn.execute(text("SELECT key, value FROM sync_state"))}

    def set_state(self, **values: object) -> None:
        for key, value in values.items():
            self.conn.execute(
                text("INSERT INTO sync_state (key, value) VALUES (:k, :v) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                {"k": key, "v": str(value)},
            )

    def pushed_seq(self) -> int:
        row = self.conn.execute(text("SELECT value FROM sync_state WHERE key = :k"), {"k": PUSHED_SEQ}).first()
        return int(row[0]) if row else 0

    # -- audit log -------------------------------------------------------------------------
    def entries_after(self, seq: int, limit: int) -> list[tuple[int, str, bytes]]:
        """(seq, hash, body) of up to `limit` entries after `seq`, in order."""
        rows = self.conn.execute(
            text("SELECT seq, hash, body FROM audit_log WHERE seq > :s ORDER BY seq LIMIT :n"),
            {"s": seq, "n": limit},
        )
        return [(int(r[0]), str(r[1]), bytes(r[2])) for r in rows]

    def last_seq(self) -> int:
        return int(self.conn.execute(text("SELECT coalesce(max(seq), 0) FROM audit_log")).scalar_one())

    # -- master data -----------------------------------------------------------------------
    def negative_stock_flags(self, product_ids: set[str]) -> dict[str, bool]:
        """allow_negative_stock of those of `product_ids` the till knows."""
        flags: dict[str, bool] = {}
        ids = sorted(product_ids)
        for at in range(0, len(ids), 500):
            chunk = ids[at:at + 500]
            rows = self.conn.exec_driver_sql(
                f"SELECT id, allow_negative_stock FROM products WHERE id IN ({', '.join('?' * len(chunk))})",
                tuple(chunk),
            )
            flags.update({str(r[0]): bool(r[1]) for r in rows})
        return flags

    def product_ids_by_sku(self, skus: set[str]) -> dict[str, str]:
        """sku -> id of those of `skus` the till has."""
        out: dict[str, str] = {}
        wanted = sorted(skus)
        for at in range(0, len(wanted), 500):
            chunk = wanted[at:at + 500]
            rows = self.conn.exec_driver_sql(
                f"SELECT sku, id FROM products WHERE sku IN ({', '.join('?' * len(chunk))})", tuple(chunk))
            out.update({str(r[0]): str(r[1]) for r in rows})
        return out

    def known_products(self, product_ids: set[str]) -> set[str]:
        """Those of `product_ids` the till has."""
        return set(self.negative_stock_flags(product_ids))

    def prices_in_force(self, now: str) -> int:
        """Give every product with a head-office price in force at `now` (audit form, compared as
        text) the newest such price; returns how many products changed price. A line already in a
        cart keeps the price it was rung up at (cart lines hold their own)."""
        due = ("SELECT s.price FROM price_schedule s WHERE s.product_id = products.id AND s.effective_from <= :now "
               "ORDER BY s.effective_from DESC, s.version DESC LIMIT 1")
        result = self.conn.execute(
            text(f"UPDATE products SET price = ({due}), updated_at = :now "
                 f"WHERE id IN (SELECT product_id FROM price_schedule WHERE effective_from <= :now) "
                 f"AND price != ({due})"), {"now": now})
        # a price superseded by a newer one in force can never apply again: keep the table small
        self.conn.execute(text(
            "DELETE FROM price_schedule WHERE effective_from <= :now AND id != ("
            "SELECT n.id FROM price_schedule n WHERE n.product_id = price_schedule.product_id "
            "AND n.effective_from <= :now ORDER BY n.effective_from DESC, n.version DESC LIMIT 1)"), {"now": now})
        return int(result.rowcount or 0)

    def apply_master(self, changes: dict[str, list[dict[str, Any]]], now: str) -> dict[str, int]:
        """Upsert pulled rows through the till's own repositories (products before the stock that
        names them); returns the new watermarks. The caller has checked the customer and stock rows."""
        catalogue, people = CatalogueRepo(self.conn), PeopleRepo(self.conn)
        marks: dict[str, int] = {}
        for row in changes.get("tax_rates", ()):
            catalogue.upsert_tax_rate(row["code"], row["name"], int(row["rate_bp"]))
        products = []
        for row in changes.get("products", ()):
            products.append({
                "id": row["id"], "sku": row["sku"], "name": row["name"], "unit": row["unit"],
                "price": int(row["price"]), "tax_code": row["tax_code"],
                "cost": None if row["cost"] is None else int(row["cost"]),  # None: head office does not know it
                "allow_negative_stock": bool(row["allow_negative_stock"]), "active": bool(row["active"]),
                "updated_at": now, "barcodes": tuple(row.get("barcodes") or ()),
                "reorder_level_milli": None if row.get("reorder_level_milli") is None
                else int(row["reorder_level_milli"]),
            })
        catalogue.upsert_products(products)
        for row in changes.get("users", ()):
            people.upsert_user(user_id=row["id"], name=row["name"], role=row["role"], pin_hash=row["pin_hash"],
                               active=bool(row["active"]), now=now)
        for row in changes.get("customers", ()):
            people.upsert_customer(
                CustomerInfo(row["id"], row["name"], row["customer_type"], int(row["credit_limit"]),
                             int(row["terms_days"]), bool(row["blocked"]), int(row["central_balance"])),
                now, counted_seq=int(row["counted_seq"]),
            )
        for row in changes.get("prices", ()):
            self.conn.execute(
                text("INSERT INTO price_schedule (id, product_id, price, effective_from, version) "
                     "VALUES (:id, :p, :price, :at, :v) ON CONFLICT(id) DO UPDATE SET "
                     "product_id = excluded.product_id, price = excluded.price, "
                     "effective_from = excluded.effective_from, version = excluded.version"),
                {"id": int(row["id"]), "p": row["product_id"], "price": int(row["price"]),
                 "at": row["effective_from"], "v": int(row["version"])},
            )
        PromotionsRepo(self.conn).upsert([
            StoredPromotion(int(row["id"]), row["name"], row["kind"], json.loads(row["rule"]), "hq",
                            int(row["version"]), bool(row["active"]))
            for row in changes.get("promotions", ())])
        stock = StockRepo(self.conn)
        for row in changes.get("stock", ()):
            stock.apply_central(row["product_id"], int(row["on_hand_milli"]), int(row["counted_seq"]),
                                int(row["version"]), now)
        for name, rows in changes.items():
            if rows:
                marks[name] = max(int(r["version"]) for r in rows)
        return marks
