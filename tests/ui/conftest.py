"""A real till on a SQLite file, the real window, worker and device threads, offscreen."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QPushButton, QWidget  # noqa: E402

from app.bootstrap import forbid_database_on  # noqa: E402
from app.usecases import settings as settings_uc  # noqa: E402
from db import thread_check  # noqa: E402
from devices.escpos_decode import decode  # noqa: E402
from devices.fakes.network_printer import FakeNetworkPrinter  # noqa: E402
from devices.fakes.pty_device import PtyDevice  # noqa: E402
from tests.support.till import PINS, Till, make_till  # noqa: E402
from ui.main import build, shutdown  # noqa: E402

T = TypeVar("T")


@pytest.fixture(autouse=True)
def no_sql_on_the_gui_thread() -> Iterator[None]:
    """Every window test runs with the thread check on (tests/conftest.py): a statement the GUI
    thread issued fails the test, even if something on the way swallowed the exception."""
    assert thread_check.enabled()
    thread_check.clear()
    yield
    caught = thread_check.violations()
    forbid_database_on(None)  # a window that failed half-built must not outlive its test
    thread_check.clear()
    assert not caught, "SQL ran on the GUI thread:\n" + "\n".join(caught)


def off_gui(fn: Callable[..., T], *args: Any) -> T:
    """A test's own database read while a window is open: on another thread, since this one is
    the window's GUI thread (the test waits for the answer; the window is not asked anything)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args).result()


class ScriptedScale:
    """A Toledo 8217 on a pseudo-terminal: each `W` it receives is answered with the next queued
    frame (silence when none is queued), as the real scale would on its serial line."""

    def __init__(self) -> None:
        self.frames: deque[bytes] = deque()
        self.reads = 0
        self.pty = PtyDevice(self._answer).start()
        self.url = f"toledo8217+serial://{self.pty.path}?bytesize=8&parity=N"

    def _answer(self, chunk: bytes) -> list[bytes] | None:
        if b"W" not in chunk:
            return None
        self.reads += 1
        return [self.frames.popleft()] if self.frames else None

    def stop(self) -> None:
        self.pty.stop()


def split_jobs(data: bytes) -> list[list[str]]:
    """What the printer received, decoded, one list of lines per cut (trailing blank lines dropped)."""
    decoded = decode(data)
    jobs, start = [], 0
    for cut in decoded.named("cut"):
        job = decoded.lines[start : cut.line]
        while job and not job[-1].strip():
            job.pop()
        jobs.append(job)
        start = cut.line
    return jobs


@dataclass
class Driver:
    """Drives the till as a cashier does: touches buttons, types, scans."""

    shell: Any
    till: Till
    scale: ScriptedScale
    printer: FakeNetworkPrinter
    qtbot: Any

    def idle(self, timeout: int = 10000) -> None:
        self.qtbot.waitUntil(lambda: self.shell.worker.pending == 0, timeout=timeout)

    def find(self, name: str, kind: type = QWidget) -> Any:
        widget = self.shell.findChild(kind, name)
        assert widget is not None, f"no widget {name}"
        return widget

    def tap(self, name: str) -> None:
        btn = self.find(name, QPushButton)
        self.qtbot.waitUntil(lambda: btn.isEnabled() and btn.isVisible(), timeout=3000)
        self.qtbot.mouseClick(btn, Qt.MouseButton.LeftButton)
        self.idle()

    def type(self, name: str, text: str, enter: bool = False) -> None:
        field = self.find(name)
        field.clear()
        self.qtbot.keyClicks(field, text)
        if enter:
            self.qtbot.keyClick(field, Qt.Key.Key_Return)
        self.idle()

    def keypad(self, parent: QWidget, digits: str) -> None:
        for d in digits:
            self.qtbot.mouseClick(parent.findChild(QPushButton, f"key_{d}"), Qt.MouseButton.LeftButton)

    def login(self, user: str) -> None:
        self.idle()
        self.tap(f"user_{user}")
        self.keypad(self.shell.screens["login"], PINS[user])
        self.enter(self.shell.screens["login"])

    def enter(self, parent: QWidget) -> None:
        self.qtbot.mouseClick(parent.findChild(QPushButton, "key_enter"), Qt.MouseButton.LeftButton)
        self.idle()

    def approve(self, user: str = "sofia", reason: str = "checked") -> None:
        overlay = self.shell.overlay
        self.qtbot.waitUntil(overlay.isVisible, timeout=5000)
        self.idle()
        self.qtbot.mouseClick(overlay.findChild(QPushButton, f"approver_{user}"), Qt.MouseButton.LeftButton)
        self.keypad(overlay, PINS[user])
        overlay.reason.setText(reason)
        self.qtbot.mouseClick(overlay.findChild(QPushButton, "approvalApprove"), Qt.MouseButton.LeftButton)
        self.idle()

    def banner(self) -> str:
        return self.shell.banner.text()

    def jobs(self) -> list[list[str]]:
        """Every job the fake printer received so far, once the spool has nothing pending."""
        self.qtbot.waitUntil(lambda: self.shell.devices.state == "ready", timeout=15000)
        return split_jobs(self.printer.printed())

    def receipts(self) -> list[list[str]]:
        """The jobs after the shift's open slip (which every printed day starts with)."""
        return [job for job in self.jobs() if not job or job[0].strip() != "SHIFT OPEN"]


def configure_devices(till: Till, printer: FakeNetworkPrinter, scale: ScriptedScale) -> Till:
    """The till's device settings point at the loopback printer (drawer on its pin 2) and the pty scale."""
    ctx = settings_uc.update(
        till.ctx,
        "admin",
        {
            "device.printer": f"escpos+tcp://127.0.0.1:{printer.port}",
            "device.drawer": "printer:pin2",
            "device.scale": scale.url,
            "device.paper_width": "42",
        },
    )
    till.ctx = ctx
    return till


@contextmanager
def running_till(qtbot: Any, tmp_path: Path, till: Till | None = None) -> Iterator[Driver]:
    """The window over a real till with a loopback printer and a pty scale; the device worker is
    stopped (joined) and the fakes shut down on the way out, whatever the test did."""
    till = till or make_till(tmp_path / "till")
    scale = ScriptedScale()
    printer = FakeNetworkPrinter().start()
    shell = None
    try:
        configure_devices(till, printer, scale)
        shell = build(till.ctx, io_timeout=1.0)
        shell.resize(1024, 768)
        shell.show()
        yield Driver(shell, till, scale, printer, qtbot)
    finally:
        printer.stalled = False  # a hung printer lets go, so the worker's last read ends
        if shell is not None:
            shutdown(shell)
            shell.close()
            shell.deleteLater()
        printer.stop()
        scale.stop()


@pytest.fixture
def driver(qtbot: Any, tmp_path: Path) -> Iterator[Driver]:
    with running_till(qtbot, tmp_path) as drv:
        yield drv
