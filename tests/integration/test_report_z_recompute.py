"""Acceptance: for every business day, `report z --json` agrees to the cent with a recomputation
from `audit export` alone (tests/support/recompute.py), through the real CLI."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from app.bootstrap import init_till
from app.cli.main import main
from app.simulate.runner import simulate
from app.usecases import setup
from tests.support import recompute
from tests.support.days import run_days
from tests.support.till import make_till


def cli(data_dir: Path, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["--data-dir", str(data_dir), *argv])
    return code, out.getvalue()


def _check_every_day(data_dir: Path, tmp_path: Path) -> list[dict]:
    code, _ = cli(data_dir, "audit", "export", "--out", str(tmp_path / "log.jsonl"))
    assert code == 0
    entries = recompute.load(tmp_path / "log.jsonl")
    dates = recompute.business_dates(entries)
    assert dates
    reports = []
    for day in dates:
        code, out = cli(data_dir, "report", "z", "--business-date", day, "--json")
        assert code == 0, out
        report = json.loads(out)
        assert report["report_scope"] == "daily" and report["business_date"] == day
        assert recompute.from_report(report) == recompute.recompute(entries, day), day
        reports.append(report)
    return reports


@pytest.mark.parametrize("cash_rounding", [0, 5])
def test_z_matches_audit_export_for_every_day(tmp_path: Path, cash_rounding: int) -> None:
    till = make_till(tmp_path / "till", cash_rounding=cash_rounding)
    dates = run_days(till, days=3, sales=9)
    reports = _check_every_day(till.data_dir, tmp_path)
    assert [r["business_date"] for r in reports] == dates
    assert any(r["discount_for_lineitems"]["amount"] != "0.00" for r in reports)
    assert any(r["returns"]["count"] for r in reports)
    assert any(r["cash"]["difference_amount"] != "0.00" for r in reports)
    assert sum(r["voids"]["count"] for r in reports) >= 3
    # The Z entries and checkpoints did not disturb the chain, and a second Z is a marked copy.
    code, out = cli(till.data_dir, "audit", "verify", "--json")
    assert code == 0, out
    code, out = cli(till.data_dir, "report", "z", "--business-date", dates[0], "--json")
    again = json.loads(out)
    assert again["copy"] is True and again["sales_net"] == reports[0]["sales_net"]
    assert again["checkpoint_root"] == reports[0]["checkpoint_root"]


def test_z_matches_audit_export_for_simulated_days(tmp_path: Path) -> None:
    ctx = init_till(tmp_path / "sim", store="S001", till="T01")
    setup.load_demo(ctx)
    simulate(ctx, 3, 25, seed=3)
    reports = _check_every_day(tmp_path / "sim", tmp_path)
    assert len(reports) == 3
