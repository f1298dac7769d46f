"""Real tills (SQLite, real use cases via `simulate`) enrolled in a central test database."""

from __future__ import annotations

import json
from pathlib import Path

from app.audit import checkpoint
from app.bootstrap import init_till, open_till
from app.simulate.runner import simulate
from app.sync import enrol as enrolment
from app.sync.connection import CentralSettings, read_file
from app.usecases.checkpoints import ensure_till_key
from app.usecases.setup import load_demo


def make_synced_till(url: str, data_dir: Path, store: str, till: str = "T01", *, days: int = 2,
                     sales: int = 20, seed: int = 1) -> tuple[object, CentralSettings]:
    """A till that sold offline for `days`, enrolled with its own key and connected."""
    ctx = init_till(data_dir, store=store, till=till)
    load_demo(ctx)
    public = ensure_till_key(data_dir)
    if days:
        simulate(ctx, days, sales, seed=seed)
    settings = enrolment.enrol(url, store=store, till_id=till, public_key=public)
    out = data_dir.parent / f"{store}-{till}.central.json"
    out.write_text(json.dumps(settings.to_json()))
    enrolment.install(data_dir, read_file(out), ctx.settings.audit_till)
    assert checkpoint.load_public_key(data_dir) == public
    return open_till(data_dir), settings


def audit_rows(ctx) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    with ctx.uow(read_only=True) as uow:
        return [(seq, digest) for seq, _body, _prev, digest in uow.audit.iter_raw()]
