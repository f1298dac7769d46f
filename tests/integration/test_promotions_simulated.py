"""Acceptance: on simulated days with promotions active, every Z report agrees to the cent with
a recomputation from the audit export alone, and the promotions really priced sales."""

from __future__ import annotations

import json
from pathlib import Path

from app.bootstrap import init_till
from app.simulate.runner import simulate
from app.usecases import setup
from tests.integration.test_report_z_recompute import _check_every_day, cli


def test_z_matches_audit_export_on_simulated_days_with_promotions(tmp_path: Path) -> None:
    ctx = init_till(tmp_path / "sim", store="S001", till="T01")
    setup.load_demo(ctx)
    simulate(ctx, 2, 40, seed=5, promotions=True)
    reports = _check_every_day(tmp_path / "sim", tmp_path)
    assert len(reports) == 2
    sales = [json.loads(line)["data"] for line in (tmp_path / "log.jsonl").read_text().splitlines()
             if json.loads(line)["type"] == "sale.completed"]
    promoted = [ln for s in sales for ln in s["lines"] if ln.get("promotion_id")]
    assert promoted and all(ln["promotion_discount"] != "0.00" for ln in promoted)
    code, out = cli(tmp_path / "sim", "audit", "verify", "--json")
    assert code == 0, out
