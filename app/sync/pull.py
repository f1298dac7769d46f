"""Master data pull: catalogue, tax rates, users with PIN hashes, customers with their central
credit balance, the store's stock levels; then head office's countersignatures of this till's
checkpoints.

Incremental: each table keeps the highest `version` seen, so a pull after a day offline fetches
only what changed. Applied in one till transaction: a half-applied catalogue (a product whose tax
rate has not arrived) is never visible at the till, and a refused stock row leaves everything as
it was. Stock and customer balances: head office's figure includes this till's entries up to a
sequence number it names; the till shows that figure plus its own movements recorded after it
(docs/central.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from app.audit import checkpoint as cp
from app.audit import witness as witnesses
from app.context import TillContext
from app.sync.pull_checks import (
    PulledDataRefused,
    customer_problems,
    price_problems,
    promotion_problems,
    refuse,
    reorder_problems,
    stock_problems,
)
from db.central import pull_repo
from db.sync_repo import SyncRepo
from kernel.records import Witnessed

MARK_PREFIX = "md_version."
MASTER_APPLIED = "master.applied"
WITNESS_ERROR = "witness_error"
WITNESS_RETRY = "witness_retry_from"  # tree size of the lowest refused countersignature


def pull_master(ctx: TillContext, conn: psycopg.Connection) -> dict[str, int]:
    """Fetch and apply changes; returns how many rows of each kind arrived. Raises PulledDataRefused
    (after applying what could be) when master data or a countersignature was refused."""
    refused: list[str] = []
    counts: dict[str, int] = {}
    try:
        counts.update(_pull_master_data(ctx, conn))
    except PulledDataRefused as exc:
        refused.append(str(exc))
    stored = pull_witnesses(ctx, conn)
    if stored.get("stored"):
        counts["witnesses"] = stored["stored"]
    if stored.get("refused"):
        refused.append(str(stored["refused"]))
    if refused:
        raise PulledDataRefused("; ".join(refused))
    return counts


def _pull_master_data(ctx: TillContext, conn: psycopg.Connection) -> dict[str, int]:
    with ctx.uow(read_only=True) as uow:
        state = uow.sync.state()
    since = {k[len(MARK_PREFIX):]: int(v) for k, v in state.items() if k.startswith(MARK_PREFIX)}
    changes = pull_repo.master_changes(conn, since)
    if not any(changes.values()):
        return {}
    counts = {k: len(v) for k, v in changes.items() if v}
    with ctx.uow() as uow:
        repo = uow.sync
        _check(repo, changes)
        now = ctx.now_iso()
        marks = repo.apply_master(changes, now)
        in_force = repo.prices_in_force(now)
        repo.set_state(**{MARK_PREFIX + k: v for k, v in marks.items()})
        versions = {k: [min(int(r["version"]) for r in v), max(int(r["version"]) for r in v)]
                    for k, v in changes.items() if v}
        uow.audit.append(ts=now, type_=MASTER_APPLIED, actor=None,
                         data={"counts": counts, "versions": versions, "prices_in_force": in_force})
        uow.commit()
    return counts


def apply_due_prices(ctx: TillContext) -> int:
    """Scheduled prices whose time has come by the till's clock take effect, with their
    `master.applied` entry; works offline (the prices were pulled earlier). Returns how many
    products changed price; a run that changes none writes nothing."""
    with ctx.uow() as uow:
        now = ctx.now_iso()
        changed = uow.sync.prices_in_force(now)
        if not changed:
            return 0
        uow.audit.append(ts=now, type_=MASTER_APPLIED, actor=None,
                         data={"counts": {}, "versions": {}, "prices_in_force": changed})
        uow.commit()
    return changed


def _check(repo: SyncRepo, changes: dict[str, list[dict[str, Any]]]) -> None:
    """Refuse the whole pull, before anything is written, if a customer, price or stock row is wrong."""
    last_seq = repo.last_seq()
    refusals = []
    customers = customer_problems(changes.get("customers") or [], last_seq)
    if customers:
        refusals.append(refuse("customer balances from head office", customers))
    products = changes.get("products") or []
    if products:
        held = repo.product_ids_by_sku({p["sku"] for p in products if isinstance(p.get("sku"), str)})
        clashes = [f"SKU {p['sku']} is another product on this till" for p in products
                   if held.get(p["sku"], p["id"]) != p["id"]] + reorder_problems(products)
        if clashes:
            refusals.append(refuse("products from head office", clashes))
    prices = changes.get("prices") or []
    if prices:
        known = repo.known_products({r["product_id"] for r in prices if isinstance(r.get("product_id"), str)})
        known.update(p["id"] for p in changes.get("products", ()))
        problems = price_problems(prices, known)
        if problems:
            refusals.append(refuse("prices from head office", problems))
    rows = changes.get("stock") or []
    if rows:
        flags = repo.negative_stock_flags({r["product_id"] for r in rows if isinstance(r.get("product_id"), str)})
        flags.update({p["id"]: bool(p["allow_negative_stock"]) for p in changes.get("products", ())})
        stock = stock_problems(rows, flags, last_seq)
        if stock:
            refusals.append(refuse("stock levels from head office", stock))
    promotions = promotion_problems(changes.get("promotions") or [])
    if promotions:
        refusals.append(refuse("promotions from head office", promotions))
    if refusals:
        raise PulledDataRefused("; ".join(str(r) for r in refusals))


def pull_witnesses(ctx: TillContext, conn: psycopg.Connection) -> dict[str, Any]:
    """Store head office's countersignatures of this till's checkpoints that verify; a bad one is
    not stored, its reason is kept in the sync state, and it is asked for again every round (even
    once later ones are held) until head office sends one that verifies."""
    till = ctx.settings.audit_till
    with ctx.uow(read_only=True) as uow:
        after = uow.witnesses.latest_tree_size()
        retry_from = int(uow.sync.state().get(WITNESS_RETRY) or 0)
    if retry_from:
        after = min(after, retry_from - 1)
    rows = pull_repo.witnesses(conn, after)
    public = _till_public_key(ctx.data_dir)
    good: list[Witnessed] = []
    bad: list[str] = []
    bad_sizes: list[int] = []
    for row in rows:
        item = witnesses.from_pulled(row)
        reason = item if isinstance(item, str) else witnesses.refusal(item, till, public)
        if reason is None and not isinstance(item, str):
            good.append(item)
        elif reason is not None:
            bad.append(reason)
            bad_sizes.append(row["tree_size"] if isinstance(row.get("tree_size"), int) else after + 1)
    if not rows and not retry_from:
        return {}
    with ctx.uow() as uow:
        repo = uow.witnesses
        stored = sum(repo.add(item, ctx.now_iso()) for item in good)
        message = refuse("countersignatures from head office", bad, "not stored") if bad else None
        uow.sync.set_state(**{WITNESS_ERROR: str(message) if message else "",
                                        WITNESS_RETRY: min(bad_sizes) if bad_sizes else ""})
        uow.commit()
    return {"stored": stored, "refused": message}


def _till_public_key(data_dir: Path | str | None) -> bytes | None:
    if data_dir is None or not (Path(data_dir) / cp.PUBLIC_KEY_FILE).exists():
        return None
    try:
        return cp.load_public_key(data_dir)
    except (OSError, ValueError):
        return None
