"""The GUI's narrow door to hardware: printer, drawer and scale behind one device thread.

The devices package owns the real drivers; until its worker and spool are wired in, this
adapter runs small backends (a file printer, a scripted scale) on its own QThread so that a
hung printer or a babbling scale can never freeze the screen. Swap the backends, keep the
signals: the screens only see `printer_state`, `printed`, `weight` and `weight_error`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QThread, Signal, Slot

ESC_INIT, CUT, DRAWER_KICK = b"\x1b@", b"\x1dV\x00", b"\x1bp\x00\x19\xfa"
CP858 = b"\x1bt\x13"  # ESC t 19: the code page with the euro sign


class Printer(Protocol):
    def send(self, data: bytes) -> None:
        """Write bytes to the printer; raise OSError when it is offline or out of paper."""


class Scale(Protocol):
    def read(self) -> bytes:
        """One frame from the scale (may block briefly)."""


class FilePrinter:
    """Receipts 'print' to numbered files: the demo till and the tests read them back."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def send(self, data: bytes) -> None:
        with self._lock:
            number = len(list(self.folder.glob("receipt-*.bin"))) + 1
            (self.folder / f"receipt-{number:05d}.bin").write_bytes(data)

    def jobs(self) -> list[bytes]:
        return [p.read_bytes() for p in sorted(self.folder.glob("receipt-*.bin"))]


def encode_receipt(lines: list[str], *, kick: bool = False) -> bytes:
    """Plain ESC/POS: init, code page CP858 (has €), the text, feed and cut, optionally the drawer kick."""
    body = "\n".join(lines).encode("cp858", errors="replace")
    return ESC_INIT + CP858 + (DRAWER_KICK if kick else b"") + body + b"\n\n\n" + CUT


def decode_receipt(data: bytes) -> list[str]:
    """The text lines of a printer job, read back with the devices package's ESC/POS decoder."""
    from devices.escpos_decode import decode

    lines = decode(data).lines
    while lines and not lines[-1]:
        lines.pop()
    return lines


_WEIGHT = re.compile(rb"^\s*(?:ST,GS,)?\+?(\d{1,3}\.\d{3})\s*kg\s*$")


def parse_weight(frame: bytes) -> int:
    """A stable weight frame (e.g. b'ST,GS,+001.250kg') to grams; anything else is refused."""
    match = _WEIGHT.match(frame.strip(b"\r\n"))
    if not match:
        raise ValueError("The scale sent something unreadable. Lift the item and put it back.")
    grams = int(match.group(1).replace(b".", b""))
    if grams <= 0:
        raise ValueError("The scale shows no weight. Put the item on the scale.")
    return grams


class _DeviceRunner(QObject):
    printed = Signal(int)
    print_failed = Signal(int, str)
    weight = Signal(int)
    weight_error = Signal(str)

    def __init__(self, printer: Printer, scale: Scale | None) -> None:
        super().__init__()
        self.printer, self.scale = printer, scale

    @Slot(int, bytes)
    def do_print(self, job: int, data: bytes) -> None:
        try:
            self.printer.send(data)
        except OSError as exc:
            self.print_failed.emit(job, str(exc) or "The printer does not answer.")
        else:
            self.printed.emit(job)

    @Slot()
    def do_weigh(self) -> None:
        if self.scale is None:
            self.weight_error.emit("No scale is connected. Type the weight (needs a supervisor).")
            return
        try:
            self.weight.emit(parse_weight(self.scale.read()))
        except (ValueError, OSError) as exc:
            self.weight_error.emit(str(exc))


class DeviceHub(QObject):
    """Queues device work on the device thread and reports printer state for the banner."""

    _print = Signal(int, bytes)
    _weigh = Signal()
    printer_state = Signal(str)  # "ready", "printing", or the sentence of what is wrong
    printed = Signal(int)
    weight = Signal(int)
    weight_error = Signal(str)

    def __init__(self, printer: Printer, scale: Scale | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.printer = printer
        self._thread = QThread()
        self._thread.setObjectName("tillstone-devices")
        self._runner = _DeviceRunner(printer, scale)
        self._runner.moveToThread(self._thread)
        self._print.connect(self._runner.do_print)
        self._weigh.connect(self._runner.do_weigh)
        self._runner.printed.connect(self._on_printed)
        self._runner.print_failed.connect(self._on_failed)
        self._runner.weight.connect(self.weight)
        self._runner.weight_error.connect(self.weight_error)
        self._jobs: dict[int, bytes] = {}
        self._next = 1
        self.last_job: bytes | None = None
        self.state = "ready"
        self._thread.start()

    def print_lines(self, lines: list[str], *, kick: bool = False) -> int:
        data = encode_receipt(lines, kick=kick)
        job, self._next = self._next, self._next + 1
        self._jobs[job] = data
        self.last_job = data
        self._set_state("printing")
        self._print.emit(job, data)
        return job

    def reprint(self) -> int | None:
        if self.last_job is None:
            return None
        return self.print_lines(decode_receipt(self.last_job) + ["", "*** COPY ***"])

    def open_drawer(self) -> None:
        self._print.emit(0, DRAWER_KICK)

    def weigh(self) -> None:
        self._weigh.emit()

    def _set_state(self, state: str) -> None:
        self.state = state
        self.printer_state.emit(state)

    @Slot(int)
    def _on_printed(self, job: int) -> None:
        self._jobs.pop(job, None)
        self.printed.emit(job)
        if not self._jobs:
            self._set_state("ready")

    @Slot(int, str)
    def _on_failed(self, job: int, reason: str) -> None:
        self._jobs.pop(job, None)
        self._set_state(reason)

    def stop(self, release: Callable[[], None] | None = None) -> None:
        """`release` unblocks a hung backend (tests); then the thread ends and is waited for."""
        if release:
            release()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
