"""Head office's promotions in the central store: written by `hq promotions import`, read by
the tills' pull (db/central/pull_repo.py, under each till's own role)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from db.central.pull_repo import upsert_master


def upsert_promotions(conn: psycopg.Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert or replace by id; each write bumps the row's version, so the tills pull it again."""
    upsert_master(conn, "md_promotions", rows)


def promotion_stores(conn: psycopg.Connection, ids: Sequence[int]) -> dict[int, str | None]:
    """id -> the store an existing promotion is published for (None: every store)."""
    rows = conn.execute("SELECT id, store_id FROM md_promotions WHERE id = ANY(%s)", (list(ids),)).fetchall()
    return {int(r[0]): r[1] for r in rows}
