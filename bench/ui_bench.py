"""GUI stall figures: the largest gap between the ticks of a 10 ms QTimer on the till window's
GUI thread while it works through a hung receipt printer, an X report over 10,000 sales and a
scale that answers with garbage.

Each figure is printed next to a raw baseline measured in the same run on the same machine: the
same timer's largest gap on an idle event loop for as long as the scenario took (what the
scheduler alone costs). The window is the real one (offscreen), over a demo till, with the
loopback printer and the pty scale of devices.fakes; it is driven through the screens' methods.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from time import monotonic

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.bootstrap import open_till  # noqa: E402
from app.context import TillContext  # noqa: E402
from app.usecases import cart_lifecycle, cart_lines, checkout, shifts  # noqa: E402
from app.usecases import settings as settings_uc  # noqa: E402
from bench.timing import metric  # noqa: E402
from devices.fakes.network_printer import FakeNetworkPrinter  # noqa: E402
from devices.fakes.pty_device import PtyDevice  # noqa: E402
from ui.main import build, prepare, shutdown  # noqa: E402
from ui.shell import Shell  # noqa: E402

PINS = {"u-anna": "1111", "u-sofia": "5555"}
ADMIN = "u-marc"
BREAD, WEIGHED = "BAK-0001", "FRU-0001"


class GapMeter:
    """The largest gap between the ticks of a 10 ms timer while in the `with` block, and how long it lasted."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=10, timeout=self._tick)
        self.largest_ms = 0.0
        self.seconds = 0.0
        self._last = self._start = 0.0

    def _tick(self) -> None:
        now = monotonic()
        self.largest_ms = max(self.largest_ms, (now - self._last) * 1000)
        self._last = now

    def __enter__(self) -> GapMeter:
        self._last = self._start = monotonic()
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()
        self._tick()  # a stall at the very end counts too
        self.seconds = monotonic() - self._start


def spin(until: Callable[[], bool] | None = None, seconds: float = 30.0) -> None:
    """Run the event loop until `until()` holds, or for `seconds` (at most, when `until` is given)."""
    loop = QEventLoop()
    deadline = monotonic() + seconds
    poll = QTimer(interval=5)
    poll.timeout.connect(lambda: loop.quit() if (until is not None and until()) or monotonic() >= deadline else None)
    poll.start()
    loop.exec()
    poll.stop()


def idle(shell: Shell) -> None:
    spin(lambda: shell.worker.pending == 0)


def baseline_ms(seconds: float) -> float:
    """The same timer on an idle event loop for the same time."""
    with GapMeter() as meter:
        spin(seconds=max(seconds, 0.2))
    return meter.largest_ms


@contextmanager
def window(ctx: TillContext) -> Iterator[Shell]:
    shell = build(ctx, io_timeout=1.0)
    shell.resize(1024, 768)
    shell.show()
    try:
        yield shell
    finally:
        shutdown(shell)
        shell.close()
        shell.deleteLater()


def login(shell: Shell, user: str) -> None:
    screen = shell.screens["login"]
    idle(shell)
    screen.findChild(object, f"user_{user}").click()
    screen.pin.setText(PINS[user])
    screen.submit()
    idle(shell)


def open_shift(shell: Shell) -> None:
    login(shell, "u-anna")
    shift = shell.screens["shift"]
    shift.counts[5000].setText("2")
    shift.open_shift()
    idle(shell)


def scan(shell: Shell, code: str, times: int = 1) -> None:
    for _ in range(times):
        shell.sale_screen().scan(code)
        idle(shell)


def printer_hang(template: Path, tmp: Path) -> dict:
    """The loopback printer takes the spool's connection and never reads; the cashier sells on."""
    printer = FakeNetworkPrinter().start()
    try:
        ctx = settings_uc.update(demo_till(template, tmp / "printer"), ADMIN, {
            "device.printer": f"escpos+tcp://127.0.0.1:{printer.port}", "device.drawer": "printer:pin2",
            "device.paper_width": "42"})
        printer.stalled = True
        with window(ctx) as shell:
            open_shift(shell)
            scan(shell, BREAD)
            shell.sale_screen().pay()
            idle(shell)
            shell.screens["payment"].tender("cash")
            idle(shell)
            spin(lambda: printer.connections >= 1, seconds=5)
            with GapMeter() as meter:
                shell.screens["payment"].new_sale()
                scan(shell, BREAD, times=5)
                spin(seconds=1.0)
            printer.stalled = False
    finally:
        printer.stalled = False
        printer.stop()
    return metric("ui_stall_printer_hang_ms", meter.largest_ms, "ms", baseline_ms(meter.seconds))


def _many_sales(ctx: TillContext, count: int) -> None:
    """One real sale, then `count` copies written in one transaction (load, not a valid chain)."""
    shift = shifts.open_shift(ctx, "u-anna", 10000)
    cid = cart_lifecycle.start_cart(ctx, "u-anna")
    cart_lines.add_item(ctx, cid, "u-anna", BREAD)
    due = checkout.amount_due(ctx, cid).due_in_cash
    sale = checkout.add_payment(ctx, cid, "u-anna", "cash", due).sale
    assert sale is not None
    with ctx.uow() as uow:
        for i in range(count):
            sid = f"load-{i}"
            uow.sales.insert_sale(replace(
                sale, id=sid, receipt_no=f"S001-T01-LOAD-{i:06d}", audit_seq=10_000_000 + i, shift_id=shift.id,
                lines=tuple(replace(ln, id=f"{sid}:{ln.position}") for ln in sale.lines)))
        uow.commit()


def big_report(template: Path, tmp: Path, sales: int) -> dict:
    """An X report over `sales` sales, asked for on the shift screen."""
    ctx = demo_till(template, tmp / "report")
    _many_sales(ctx, sales)
    with window(ctx) as shell:
        login(shell, "u-sofia")
        shell.go("shift")
        screen = shell.screens["shift"]
        with GapMeter() as meter:
            screen.report("flash")
            spin(lambda: "X REPORT" in screen.preview.toPlainText(), seconds=120)
        assert f"Gross sales ({sales + 1})" in screen.preview.toPlainText(), "the report missed the load"
    result = metric(f"ui_stall_report_{sales}_sales_ms", meter.largest_ms, "ms", baseline_ms(meter.seconds))
    result["report_s"] = round(meter.seconds, 3)
    return result


def scale_garbage(template: Path, tmp: Path, scans: int) -> dict:
    """The pty scale answers every `W` with 4 KiB of seeded noise holding no STX or CR."""
    rng = random.Random(7)
    noise = bytes(b for b in rng.randbytes(8192) if b not in (0x02, 0x0D))[:4096]
    reads: list[int] = []
    scale = PtyDevice(lambda chunk: (reads.append(1), [noise])[1] if b"W" in chunk else None).start()
    try:
        ctx = settings_uc.update(demo_till(template, tmp / "scale"), ADMIN, {
            "device.scale": f"toledo8217+serial://{scale.path}?bytesize=8&parity=N"})
        with window(ctx) as shell:
            open_shift(shell)
            with GapMeter() as meter:
                scan(shell, WEIGHED, times=scans)
                spin(lambda: len(reads) >= scans, seconds=30)
                spin(seconds=0.2)
    finally:
        scale.stop()
    return metric("ui_stall_scale_garbage_ms", meter.largest_ms, "ms", baseline_ms(meter.seconds))


def demo_till(template: Path, where: Path) -> TillContext:
    """A copy of the demo till built once per run (its PINs are slow to hash on purpose)."""
    shutil.copytree(template, where)
    return open_till(where)


def run(quick: bool = False) -> list[dict]:
    _app = QApplication.instance() or QApplication([])  # noqa: F841 - keeps the application alive
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        prepare(str(tmp / "template"), True)
        template = tmp / "template"
        return [
            printer_hang(template, tmp),
            big_report(template, tmp, 1_000 if quick else 10_000),
            scale_garbage(template, tmp, 10 if quick else 30),
        ]
