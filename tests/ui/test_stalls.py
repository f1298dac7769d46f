"""The GUI thread keeps running while the work it started is stuck: a printer that hangs, a
database call that waits on a lock another program holds, a scale that sends garbage.

Each test holds the slow work itself (the fake printer does not read, the test holds the
database's write lock, the scale's answer is held back) and counts the ticks of a 10 ms QTimer
while it is held: ticks only come while the GUI thread is free. How long the GUI stalls is a
benchmark figure (`python -m bench --only ui_bench`), not a test assertion. With the thread
check on (tests/conftest.py), any SQL the GUI thread itself issued fails these tests too.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer

from app.bootstrap import DB_NAME
from app.usecases import cart_lifecycle, cart_lines, checkout, shifts
from tests.support.till import BARCODES, make_till
from tests.ui.conftest import Driver, running_till

TICKS = 5


class Ticks:
    """Counts the ticks of a 10 ms timer on the GUI thread while in the `with` block."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer(interval=10, timeout=self._tick)

    def _tick(self) -> None:
        self.count += 1

    def __enter__(self) -> Ticks:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()


def open_and_sell(driver: Driver) -> None:
    driver.login("anna")
    driver.type("count_5000", "2")
    driver.tap("shOpen")
    driver.type("scan", BARCODES["milk"], enter=True)
    driver.tap("btnPay")
    driver.tap("quick_0")


def test_printer_hang_does_not_freeze(qtbot: Any, tmp_path: Path) -> None:
    """The loopback printer accepts the spool's connection and then never reads or answers."""
    with running_till(qtbot, tmp_path) as driver:
        printer = driver.printer
        printer.stalled = True
        open_and_sell(driver)
        assert printer.wait_for(lambda p: p.connections >= 1, timeout=5)  # the spool's link hangs in it
        with Ticks() as ticks:
            driver.tap("newSale")
            for _ in range(5):  # the cashier keeps scanning while the receipt is stuck
                driver.type("scan", BARCODES["bread"], enter=True)
            start = ticks.count
            qtbot.waitUntil(lambda: ticks.count >= start + TICKS, timeout=10000)
            assert driver.shell.devices.pending  # ticked while the receipt still waits in the spool
        sale = driver.shell.sale_screen()
        assert sale.view is not None and sale.view.cart.lines[0].qty_milli == 5000
        printer.stalled = False  # the printer recovers: the receipt prints, once
        assert len(driver.receipts()) == 1


def test_a_database_call_waiting_on_a_lock_does_not_freeze(driver: Driver) -> None:
    """Another program holds the till database's write lock: the scan's write waits for it (up to
    SQLite's busy timeout) on the database worker, and the GUI thread ticks on meanwhile."""
    driver.login("anna")
    driver.type("count_5000", "1")
    driver.tap("shOpen")
    other = sqlite3.connect(driver.till.data_dir / DB_NAME, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # the stand-in for that other program, not the GUI's work
        with Ticks() as ticks:
            field = driver.find("scan")
            driver.qtbot.keyClicks(field, BARCODES["bread"])
            driver.qtbot.keyClick(field, Qt.Key.Key_Return)
            driver.qtbot.waitUntil(lambda: ticks.count >= TICKS, timeout=5000)
            assert driver.shell.worker.pending  # the scan is still waiting for the lock
            assert driver.shell.sale_screen().table.rowCount() == 0
        other.execute("ROLLBACK")
    finally:
        other.close()
    driver.idle()
    assert driver.shell.sale_screen().table.rowCount() == 1


def _many_sales(till: Any, count: int) -> None:
    """One real sale through the use cases, then `count` copies written in one transaction: the
    report reads them like any other sales (this is load, not a valid audit chain)."""
    ctx = till.ctx
    shift = shifts.open_shift(ctx, "anna", 10000)
    cid = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, cid, "anna", BARCODES["bread"])
    sale = checkout.add_payment(ctx, cid, "anna", "cash", 349).sale
    with ctx.uow() as uow:
        for i in range(count):
            sid = f"load-{i}"
            uow.sales.insert_sale(replace(
                sale, id=sid, receipt_no=f"S001-T01-LOAD-{i:06d}", audit_seq=10_000_000 + i, shift_id=shift.id,
                lines=tuple(replace(ln, id=f"{sid}:{ln.position}") for ln in sale.lines)))
        uow.commit()


def test_big_report_is_built_on_the_worker(qtbot: Any, tmp_path: Path) -> None:
    """An X report over many sales: with the thread check on, building it anywhere but on the
    database worker fails the test."""
    count = int(os.environ.get("TILLSTONE_STALL_SALES", "2000"))
    till = make_till(tmp_path / "till")
    _many_sales(till, count)
    with running_till(qtbot, tmp_path, till=till) as driver:
        driver.login("sofia")
        driver.tap("btnShift")
        preview = driver.shell.screens["shift"].preview
        driver.tap("shX")
        qtbot.waitUntil(lambda: "X REPORT" in preview.toPlainText(), timeout=60000)
        assert f"Gross sales ({count + 1})" in preview.toPlainText()


def test_scale_garbage_does_not_freeze(driver: Driver) -> None:
    """The pty scale answers every `W` with 4 KiB of noise (a scale on the wrong baud rate).
    The noise is seeded and holds no STX or CR, so it can never form a frame by chance. The first
    answer is held back until the GUI thread has ticked: it ticks while the scale is being read."""
    reads: list[int] = []
    rng = random.Random(7)
    frame_bytes = {0x02, 0x0D}
    noise = bytes(b for b in rng.randbytes(8192) if b not in frame_bytes)[:4096]
    release = threading.Event()
    errors: list[str] = []
    driver.shell.devices.weight_error.connect(errors.append)

    def answer(chunk: bytes) -> list[bytes] | None:
        if b"W" not in chunk:
            return None
        reads.append(1)
        release.wait(10)  # the pty's own thread: the scale's read is in flight until this answers
        return [noise]

    driver.scale.pty.responder = answer
    driver.login("anna")
    driver.type("count_5000", "1")
    driver.tap("shOpen")
    try:
        with Ticks() as ticks:
            driver.type("scan", "APPLE", enter=True)
            driver.qtbot.waitUntil(lambda: bool(reads), timeout=5000)
            start = ticks.count
            driver.qtbot.waitUntil(lambda: ticks.count >= start + TICKS, timeout=5000)
            assert errors == []  # those ticks came before the scale's read ended
    finally:
        release.set()
    for _ in range(29):
        driver.type("scan", "APPLE", enter=True)
    driver.qtbot.waitUntil(lambda: len(reads) >= 30, timeout=20000)
    driver.qtbot.wait(200)
    assert "scale" in driver.banner()  # unreadable (or, by chance of the noise, another refusal)
    assert driver.shell.sale_screen().table.rowCount() == 0
