"""Head office publishes promotions and price lists: the same file and checks as a standalone
till's import (app/catalogue/promotions_file.py), all or nothing, written with its `hq_audit`
entry in one transaction; the tills' next pull applies them (app/sync/pull.py)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg

from app.catalogue import fields as f
from app.catalogue.importer import RowError
from app.catalogue.promotions_file import parse_promotions
from app.domain.promotion_codec import to_rule
from app.hq import hq_audit
from app.hq.master import EXPONENT, FileRefused, check_store
from db.central import promotions_repo


@dataclass(frozen=True)
class PromotionsPublished:
    promotions: int
    active: int
    audit_seq: int


def import_promotions(conn: psycopg.Connection, path: Path, *, store: str | None, now: datetime,
                      actor: str) -> PromotionsPublished:
    """Every promotion of the file for `store` (or every store), or none of them."""
    with conn.transaction():
        store = check_store(conn, store)
        parsed = parse_promotions(Path(path), exponent=EXPONENT)
        if parsed.errors:
            raise FileRefused("The promotions file", parsed.errors)
        known = promotions_repo.promotion_stores(conn, [r.promotion.id for r in parsed.rows])
        clashes = [RowError(r.row_number, "id", f"Promotion {r.promotion.id} is published for "
                                                f"{known[r.promotion.id] or 'every store'}, not for "
                                                f"{store or 'every store'}.")
                   for r in parsed.rows if r.promotion.id in known and known[r.promotion.id] != store]
        if clashes:
            raise FileRefused("The promotions file", clashes)
        promotions_repo.upsert_promotions(conn, [
            {"id": r.promotion.id, "store_id": store, "name": r.promotion.name, "kind": r.promotion.kind,
             "rule": json.dumps(to_rule(r.promotion), sort_keys=True, separators=(",", ":"), ensure_ascii=False),
             "active": r.active}
            for r in parsed.rows
        ])
        active = sum(1 for r in parsed.rows if r.active)
        seq = hq_audit.append(conn, now=now, type_="promotions.imported", actor=actor, data={
            "file": f.quote(Path(path).name, 120), "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(),
            "store": store, "promotions": len(parsed.rows), "active": active,
            "ids": sorted(r.promotion.id for r in parsed.rows),
        })
    return PromotionsPublished(len(parsed.rows), active, seq)
