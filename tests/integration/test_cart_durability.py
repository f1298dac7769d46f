"""Cart edits commit with synchronous=NORMAL, money with FULL, chosen per transaction on the same
pooled connection; and a scanned line whose process is killed by SIGKILL the instant it
committed is still there (with its audit entry) when the till starts again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from app.bootstrap import open_till
from app.usecases import audit, cart_lifecycle, checkout, shifts
from kernel.clock import ManualClock, iso_utc
from tests.support.crash_after_commit import NOT_KILLED
from tests.support.till import BARCODES, START, make_till

ROOT = Path(__file__).resolve().parents[2]
FULL, NORMAL = 2, 1


def _synchronous(uow) -> int:  # type: ignore[no-untyped-def]
    return int(uow.conn.exec_driver_sql("PRAGMA synchronous").scalar_one())


def test_each_transaction_sets_its_own_durability_on_the_pooled_connection(tmp_path):
    till = make_till(tmp_path / "till")
    for durable, expected in ((False, NORMAL), (True, FULL), (False, NORMAL), (True, FULL)):
        with till.ctx.uow(durable=durable) as uow:
            assert _synchronous(uow) == expected
    with till.ctx.uow() as uow:  # the default is the money rule
        assert _synchronous(uow) == FULL


def test_a_scan_commits_without_fsync_and_a_payment_with_it(tmp_path):
    """What each use case asks its unit of work for (the test above: what that sets)."""
    till = make_till(tmp_path / "till")
    seen: list[bool] = []
    factory = till.ctx.uow_factory

    def spying(*, read_only: bool = False, durable: bool = True):  # type: ignore[no-untyped-def]
        if not read_only:
            seen.append(durable)
        return factory(read_only=read_only, durable=durable)

    from dataclasses import replace

    from app.usecases import cart_lines

    ctx = replace(till.ctx, uow_factory=spying)
    shifts.open_shift(ctx, "anna", 10_000)
    cart_id = cart_lifecycle.start_cart(ctx, "anna")
    seen.clear()
    cart_lines.add_item(ctx, cart_id, "anna", BARCODES["milk"])
    assert seen == [False]
    seen.clear()
    checkout.add_payment(ctx, cart_id, "anna", "cash", 10_000)
    assert seen == [True]


def test_a_scan_killed_right_after_its_commit_is_kept(tmp_path):
    till = make_till(tmp_path / "till")
    shifts.open_shift(till.ctx, "anna", 10_000)
    cart_id = cart_lifecycle.start_cart(till.ctx, "anna")
    till.ctx.close()
    scanned_at = START + timedelta(minutes=3)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    child = subprocess.run(
        [sys.executable, "-m", "tests.support.crash_after_commit", str(till.data_dir), cart_id, iso_utc(scanned_at),
         f"scan:{BARCODES['cheese']}"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert child.returncode != NOT_KILLED, "the scan did not commit in the child"
    assert child.returncode == -signal.SIGKILL, child.stderr

    restarted = open_till(till.data_dir, ManualClock(scanned_at + timedelta(seconds=5)))
    cart = cart_lifecycle.get_cart(restarted, cart_id)
    assert [(line.sku, line.qty_milli) for line in cart.lines] == [("CHEESE", 1000)]
    with restarted.uow(read_only=True) as uow:
        _seq, head = uow.audit.head()
        body = uow.audit.body(_seq)
        held = uow.stock.held_by_line(cart_id)
    assert body is not None and b'"type":"cart.line_added"' in body and head
    assert held == {cart.lines[0].id: 1000}
    report = audit.verify(restarted)
    assert report.ok, report.problems[:3]
    due = checkout.amount_due(restarted, cart_id)  # and the sale can be finished
    assert checkout.add_payment(restarted, cart_id, "anna", "cash", due.due).status == "COMPLETED"
