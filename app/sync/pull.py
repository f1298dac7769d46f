"""Master data pull: catalogue, tax rates, users with PIN hashes, customers with their central
credit balance. Incremental: each table keeps the highest `version` seen, so a pull after a
day offline fetches only what changed. Applied in one till transaction: a half-applied
catalogue (a product whose tax rate has not arrived) is never visible at the till.
"""

from __future__ import annotations

import psycopg

from db.central import push_repo
from db.sync_repo import SyncRepo

MARK_PREFIX = "md_version."


def pull_master(ctx, conn: psycopg.Connection) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Fetch and apply changes; returns how many rows of each kind arrived."""
    with ctx.uow(read_only=True) as uow:
        state = SyncRepo(uow.conn).state()
    since = {k[len(MARK_PREFIX):]: int(v) for k, v in state.items() if k.startswith(MARK_PREFIX)}
    changes = push_repo.master_changes(conn, since)
    if not any(changes.values()):
        return {}
    with ctx.uow() as uow:
        repo = SyncRepo(uow.conn)
        marks = repo.apply_master(changes, ctx.now_iso())
        repo.set_state(**{MARK_PREFIX + k: v for k, v in marks.items()})
        uow.commit()
    return {k: len(v) for k, v in changes.items() if v}
