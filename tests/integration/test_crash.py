"""Power-cut safety: a child process selling 200 sales is killed with SIGKILL at random moments
and resumed each time. Afterwards no sale is partial, receipt numbers have no gap per business
day, and the audit chain verifies."""

from __future__ import annotations

import json
import multiprocessing
import random
import sqlite3
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from app.bootstrap import DB_NAME, open_till
from app.usecases import audit, cart_lifecycle, cart_lines, checkout, shifts
from kernel.clock import ManualClock
from tests.support.independent_verifier import verify_export
from tests.support.till import BARCODES, START, make_till

TOTAL = 200
PER_DAY = 100
KILLS = 6


def _finish_open_carts(ctx, shift_id: str) -> None:
    """What a cashier does after a power cut: finish or drop the sales that were on screen."""
    with ctx.uow(read_only=True) as uow:
        left = uow.carts.open_carts(shift_id=shift_id)
    for cart_id, _label, _updated in left:
        state = cart_lifecycle.get_cart(ctx, cart_id)
        if state.parked:
            cart_lifecycle.resume(ctx, cart_id, "anna")
        if not state.lines:
            cart_lifecycle.cancel(ctx, cart_id, "anna")
            continue
        due = checkout.amount_due(ctx, cart_id)
        checkout.add_payment(ctx, cart_id, "anna", "cash", max(due.due, 1))


def _sell_until(data_dir: str, total: int) -> None:
    """The child: resume from whatever the file holds and sell until `total` sales exist.
    Time is a ManualClock derived from the number of sales, so every run agrees on it."""
    clock = ManualClock(START)
    ctx = open_till(Path(data_dir), clock=clock)
    rng = random.Random()
    while True:
        done = _count_sales(Path(data_dir) / DB_NAME)
        if done >= total:
            break
        clock.set(START + timedelta(days=done // PER_DAY, minutes=done))
        shift = shifts.current_shift(ctx)
        if shift is not None:
            _finish_open_carts(ctx, shift.id)
            if shift.business_date != ctx.business_date():
                with ctx.uow(read_only=True) as uow:
                    expected = uow.shifts.expected_cash(shift.id)
                shifts.close_shift(ctx, shift.user_id, expected)
                shift = None
            elif _count_sales(Path(data_dir) / DB_NAME) != done:
                continue  # a leftover sale completed: recount before the next one
        if shift is None:
            shifts.open_shift(ctx, "anna", 10000)
        cart_id = cart_lifecycle.start_cart(ctx, "anna")
        for code in rng.sample(["milk", "bread", "cheese"], rng.randint(1, 3)):
            cart_lines.add_item(ctx, cart_id, "anna", BARCODES[code])
        if rng.random() < 0.3:
            checkout.add_payment(ctx, cart_id, "anna", "card", 100)
        due = checkout.amount_due(ctx, cart_id)
        checkout.add_payment(ctx, cart_id, "anna", "cash", due.due + rng.choice([0, 0, 5, 100]))


def _count_sales(db: Path) -> int:
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute("SELECT COUNT(*) FROM sales").fetchone()[0]
    finally:
        con.close()


def test_killed_mid_sale_many_times_nothing_is_lost_or_half_written(tmp_path):
    till = make_till(tmp_path / "till")
    db = till.data_dir / DB_NAME
    with till.ctx.uow() as uow:
        for product_id in ("p-milk", "p-bread", "p-cheese"):
            uow.stock.set_on_hand(product_id, 10_000_000, "import", till.ctx.now_iso())
        uow.commit()
    till.ctx.close()
    mp = multiprocessing.get_context("spawn")
    rng = random.Random(20260302)
    kills = 0
    for _ in range(KILLS):
        before = _count_sales(db)
        target = before + rng.randint(5, 25)
        child = mp.Process(target=_sell_until, args=(str(till.data_dir), TOTAL))
        child.start()
        while child.is_alive() and _count_sales(db) < target:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.02))  # land anywhere inside the next sale
        if child.is_alive():
            child.kill()
            kills += 1
        child.join()
        assert child.exitcode in (0, -9), f"the child failed on its own (exit code {child.exitcode})"
    assert kills >= KILLS - 1
    final = mp.Process(target=_sell_until, args=(str(till.data_dir), TOTAL))
    final.start()
    final.join(timeout=120)
    assert final.exitcode == 0

    con = sqlite3.connect(db)
    sales = con.execute(
        "SELECT id, receipt_no, business_date, gross, change, rounding, audit_seq FROM sales").fetchall()
    assert len(sales) == TOTAL
    by_day: dict[str, list[int]] = defaultdict(list)
    for sale_id, receipt_no, business_date, gross, change, rounding, seq in sales:
        lines = con.execute("SELECT COUNT(*), COALESCE(SUM(gross), 0) FROM sale_lines WHERE sale_id = ?",
                            (sale_id,)).fetchone()
        paid = con.execute("SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM sale_payments WHERE sale_id = ?",
                           (sale_id,)).fetchone()
        assert lines[0] >= 1 and paid[0] >= 1, f"sale {receipt_no} is partial"
        assert lines[1] + rounding == gross and paid[1] - change == gross
        body = con.execute("SELECT body FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        assert body is not None, f"sale {receipt_no} has no audit entry"
        entry = json.loads(body[0])
        assert (entry["type"], entry["data"]["sale_id"]) == ("sale.completed", sale_id)
        moved = con.execute("SELECT COUNT(*) FROM stock_movements WHERE ref_id = ?", (sale_id,)).fetchone()[0]
        assert moved == lines[0]
        assert con.execute("SELECT COUNT(*) FROM carts WHERE sale_id = ? AND status = 'COMPLETED'",
                           (sale_id,)).fetchone()[0] == 1
        by_day[business_date].append(int(receipt_no.rsplit("-", 1)[1]))
        assert receipt_no.startswith(f"S001-T01-{business_date.replace('-', '')}-")
    assert len(by_day) == 2
    for business_date, numbers in by_day.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), f"receipt gap on {business_date}"
        counter = con.execute("SELECT last_no FROM receipt_counters WHERE business_date = ?",
                              (business_date,)).fetchone()[0]
        assert counter == len(numbers)
    orphans = con.execute("SELECT COUNT(*) FROM carts WHERE status = 'COMPLETED' AND sale_id NOT IN "
                          "(SELECT id FROM sales)").fetchone()[0]
    assert orphans == 0
    for product_id, on_hand in con.execute("SELECT product_id, on_hand_milli FROM stock").fetchall():
        moved = con.execute("SELECT COALESCE(SUM(delta_milli), 0) FROM stock_movements WHERE product_id = ?",
                            (product_id,)).fetchone()[0]
        assert moved == on_hand
    entries, last = con.execute("SELECT COUNT(*), MAX(seq) FROM audit_log").fetchone()
    assert entries == last, "the audit log has a gap"
    con.close()

    ctx = open_till(till.data_dir, clock=ManualClock(START))
    report = audit.verify(ctx)
    assert report.ok, report.as_dict()
    out = tmp_path / "audit.jsonl"
    audit.export(ctx, out)
    assert verify_export(out) == []
    ctx.close()


def test_every_connection_is_durable_and_writes_begin_immediate(tmp_path):
    till = make_till(tmp_path / "till")
    with till.ctx.uow(read_only=True) as uow:
        pragmas = {name: uow.conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                   for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    assert pragmas["journal_mode"] == "wal" and pragmas["synchronous"] == 2  # FULL
    assert pragmas["foreign_keys"] == 1 and pragmas["busy_timeout"] > 0
    with till.ctx.uow():
        # the unit of work holds the write lock before it reads anything: no other writer can
        # read the same audit head and fork the chain
        other = sqlite3.connect(till.data_dir / DB_NAME, timeout=0)
        try:
            other.isolation_level = None
            try:
                other.execute("BEGIN IMMEDIATE")
                raise AssertionError("a second writer got in while a unit of work was open")
            except sqlite3.OperationalError as exc:
                assert "locked" in str(exc)
        finally:
            other.close()
    till.ctx.close()
