"""UI stall measurement: a 10 ms QTimer records the largest gap between its ticks while the
printer hangs, while a report over 10,000 sales is built, and while the scale sends garbage.

The figures are printed (run with -s to see them) and attached to the test report as
properties; the bound asserted is deliberately generous (it catches a blocked GUI thread,
which shows up as a gap of seconds, not scheduler noise)."""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from pathlib import Path
from time import monotonic
from typing import Any

from PySide6.QtCore import QTimer

from app.usecases import cart, checkout, shifts
from tests.support.till import BARCODES, make_till
from tests.ui.conftest import running_till

GENEROUS_MS = 500.0


class GapMeter:
    def __init__(self) -> None:
        self.timer = QTimer(interval=10, timeout=self._tick)
        self.largest_ms = 0.0
        self._last = 0.0

    def _tick(self) -> None:
        now = monotonic()
        self.largest_ms = max(self.largest_ms, (now - self._last) * 1000)
        self._last = now

    def __enter__(self) -> GapMeter:
        self._last = monotonic()
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()


class HangingPrinter:
    """Accepts the connection and never answers until released (a printer with its lid jammed)."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()

    def send(self, data: bytes) -> None:
        self.started.set()
        self.gate.wait(30)

    def release(self) -> None:
        self.gate.set()


def open_and_sell(driver: Any) -> None:
    driver.login("anna")
    driver.type("count_5000", "2")
    driver.tap("shOpen")
    driver.type("scan", BARCODES["milk"], enter=True)
    driver.tap("btnPay")
    driver.tap("quick_0")


def report(record_property: Any, name: str, value: float) -> None:
    record_property(name, round(value, 1))
    print(f"\n{name}: largest UI gap {value:.1f} ms (10 ms timer)")
    assert value < GENEROUS_MS


def test_printer_hang_does_not_freeze(qtbot: Any, tmp_path: Path, record_property: Any) -> None:
    printer = HangingPrinter()
    with running_till(qtbot, tmp_path, printer=printer) as driver:
        open_and_sell(driver)
        assert printer.started.wait(5)
        with GapMeter() as meter:
            driver.tap("newSale")
            for _ in range(5):  # the cashier keeps scanning while the receipt is stuck
                driver.type("scan", BARCODES["bread"], enter=True)
            qtbot.wait(1000)
        assert driver.shell.devices.state == "printing"
        assert driver.shell.screens["sale"].view.cart.lines[0].qty_milli == 5000
        report(record_property, "stall_printer_hang", meter.largest_ms)


def _many_sales(till: Any, count: int) -> None:
    """One real sale through the use cases, then `count` copies written in one transaction: the
    report reads them like any other sales (this is load, not a valid audit chain)."""
    ctx = till.ctx
    shift = shifts.open_shift(ctx, "anna", 10000)
    cid = cart.start_cart(ctx, "anna")
    cart.add_item(ctx, cid, "anna", BARCODES["bread"])
    sale = checkout.add_payment(ctx, cid, "anna", "cash", 349).sale
    with ctx.uow() as uow:
        for i in range(count):
            sid = f"load-{i}"
            uow.sales.insert_sale(replace(
                sale, id=sid, receipt_no=f"S001-T01-LOAD-{i:06d}", audit_seq=10_000_000 + i, shift_id=shift.id,
                lines=tuple(replace(ln, id=f"{sid}:{ln.position}") for ln in sale.lines)))
        uow.commit()


def test_big_report_does_not_freeze(qtbot: Any, tmp_path: Path, record_property: Any) -> None:
    till = make_till(tmp_path / "till")
    _many_sales(till, int(os.environ.get("TILLSTONE_STALL_SALES", "10000")))
    with running_till(qtbot, tmp_path, till=till) as driver:
        driver.login("sofia")
        driver.tap("btnShift")
        preview = driver.shell.screens["shift"].preview
        with GapMeter() as meter:
            started = monotonic()
            driver.tap("shX")
            qtbot.waitUntil(lambda: "X REPORT" in preview.toPlainText(), timeout=60000)
            built_s = monotonic() - started
        print(f"\nX report over the load built in {built_s:.2f} s on the worker")
        assert "Gross sales (10001)" in preview.toPlainText()
        report(record_property, "stall_report_10000_sales", meter.largest_ms)


class GarbageScale:
    """A scale on the wrong baud rate: bursts of noise, a little slowly."""

    def __init__(self) -> None:
        self.reads = 0

    def read(self) -> bytes:
        self.reads += 1
        threading.Event().wait(0.02)
        return os.urandom(4096)


def test_scale_garbage_does_not_freeze(driver: Any, record_property: Any) -> None:
    driver.shell.devices._runner.scale = GarbageScale()  # the device thread reads it
    driver.login("anna")
    driver.type("count_5000", "1")
    driver.tap("shOpen")
    with GapMeter() as meter:
        for _ in range(30):
            driver.type("scan", "APPLE", enter=True)
        driver.qtbot.waitUntil(lambda: driver.shell.devices._runner.scale.reads >= 30, timeout=10000)
        driver.qtbot.wait(200)
    assert "unreadable" in driver.banner()
    assert driver.shell.screens["sale"].table.rowCount() == 0
    report(record_property, "stall_scale_garbage", meter.largest_ms)
