"""The operational commands through the real CLI: exit codes, --json, hostile arguments."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from app.cli.main import main
from app.usecases import cart_lifecycle, cart_lines, shifts
from tests.support.till import BARCODES, Till


def cli(data_dir: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--data-dir", str(data_dir), *argv])
    return code, out.getvalue(), err.getvalue()


def test_close_expired_cli_dry_run_skip_and_force(till: Till) -> None:
    shift = shifts.open_shift(till.ctx, "anna", 5_000)  # opened in March: long expired by the real clock
    cart_id = cart_lifecycle.start_cart(till.ctx, "anna")
    cart_lines.add_item(till.ctx, cart_id, "anna", BARCODES["milk"])
    code, out, _ = cli(till.data_dir, "shift", "close-expired", "--json")
    assert code == 0 and json.loads(out)["shifts"][0]["action"] == "skipped"
    code, out, _ = cli(till.data_dir, "shift", "close-expired", "--force", "--dry-run")
    assert code == 0 and "would close" in out
    code, out, _ = cli(till.data_dir, "shift", "close-expired", "--force", "--hours", "12")
    assert code == 0 and f"closed: shift {shift.id}" in out
    code, out, _ = cli(till.data_dir, "report", "shift", shift.id, "--json")
    assert code == 0 and json.loads(out)["shift"]["status"] == "CLOSED"
    code, out, _ = cli(till.data_dir, "report", "shift", shift.id)
    assert code == 0 and "SHIFT REPORT" in out and "Sales/hour" in out
    code, out, _ = cli(till.data_dir, "audit", "verify")
    assert code == 0, out


@pytest.mark.parametrize("argv", [
    ("shift", "close-expired", "--hours", "0"),
    ("shift", "close-expired", "--hours", "abc"),
    ("shift", "reconciliation-remind", "--days", "-1"),
    ("report", "z", "--business-date", "2026-13-45"),
    ("report", "x", "--width", "40"),
    ("report", "shift", "no-such-shift"),
    ("report", "commission", "--month", "0", "--year", "2026"),
    ("audit", "verify", "--from", "03/02/2026"),
    ("audit", "verify", "--from", "2026-03-05", "--to", "2026-03-01"),
])
def test_bad_arguments_exit_2_and_write_nothing(till: Till, argv: tuple[str, ...]) -> None:
    with till.ctx.uow(read_only=True) as uow:
        before = uow.audit.count()
    code, _out, _err = cli(till.data_dir, *argv)
    assert code == 2
    with till.ctx.uow(read_only=True) as uow:
        assert uow.audit.count() == before


def test_z_cli_refused_while_shift_open(till: Till) -> None:
    shifts.open_shift(till.ctx, "anna", 5_000)
    code, _out, err = cli(till.data_dir, "report", "z", "--business-date", "2026-03-02")
    assert code == 2 and "still open" in err
    code, out, _ = cli(till.data_dir, "report", "x", "--business-date", "2026-03-02", "--width", "32")
    assert code == 0 and "X REPORT" in out and max(len(x) for x in out.splitlines()) <= 32


def test_commission_cli(till: Till) -> None:
    code, out, _ = cli(till.data_dir, "report", "commission", "--month", "3", "--year", "2026", "--json")
    assert code == 0 and json.loads(out)["total_commission"] == "0.00"
