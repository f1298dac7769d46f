"""A real till on a SQLite file, the real window, worker and device threads, offscreen."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QPushButton, QWidget  # noqa: E402

from tests.support.till import PINS, Till, make_till  # noqa: E402
from ui.devices import FilePrinter, decode_receipt  # noqa: E402
from ui.main import build, shutdown  # noqa: E402


class ScriptedScale:
    """Frames as a serial scale would send them; the test queues what it 'weighs'."""

    def __init__(self) -> None:
        self.frames: deque[bytes] = deque()

    def read(self) -> bytes:
        return self.frames.popleft() if self.frames else b""


@dataclass
class Driver:
    """Drives the till as a cashier does: touches buttons, types, scans."""

    shell: Any
    till: Till
    scale: ScriptedScale
    printer: FilePrinter
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
        self.qtbot.mouseClick(overlay.findChild(QPushButton, "key_enter"), Qt.MouseButton.LeftButton)
        self.idle()

    def banner(self) -> str:
        return self.shell.banner.text()

    def receipts(self) -> list[list[str]]:
        self.qtbot.waitUntil(lambda: self.shell.devices.state == "ready", timeout=5000)
        return [decode_receipt(job) for job in self.printer.jobs()]


@contextmanager
def running_till(qtbot: Any, tmp_path: Path, printer: Any = None, till: Till | None = None) -> Iterator[Driver]:
    """The window over a real till; threads are stopped and waited for on the way out."""
    till = till or make_till(tmp_path / "till")
    scale = ScriptedScale()
    files = FilePrinter(tmp_path / "printer")
    shell = build(till.ctx, printer or files, scale)
    shell.resize(1024, 768)
    shell.show()
    try:
        yield Driver(shell, till, scale, files, qtbot)
    finally:
        release = getattr(printer, "release", None)
        shutdown(shell, release)
        shell.close()
        shell.deleteLater()


@pytest.fixture
def driver(qtbot: Any, tmp_path: Path) -> Iterator[Driver]:
    with running_till(qtbot, tmp_path) as drv:
        yield drv
