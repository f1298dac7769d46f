"""Cash drawer: the kick pulse, the sensor's polarity and the open-too-long warning.

The caller decides when the drawer opens (cash sales, cash in/out, no-sale); this module only
makes the pulse and watches the sensor. The default pulse `ESC p 0 25 250` (50 ms on, 500 ms
off) stays within the solenoid duty limit printers document (on / (on + off) <= 0.2).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from devices.escpos_status import PrinterStatus
from devices.events import DeviceEvent
from devices.urls import DrawerConfig

DEFAULT_PULSE = (50, 500)  # ms on, ms off


class DrawerConfigError(ValueError):
    """A pulse setting that could burn the drawer's solenoid or is not a valid ESC p."""


def kick_bytes(pin: int = 2, on_ms: int = 50, off_ms: int = 500) -> bytes:
    """`ESC p m t1 t2` for pin 2 or 5; times in milliseconds, in 2 ms steps."""
    if pin not in (2, 5):
        raise DrawerConfigError("The drawer is on pin 2 or pin 5.")
    if not (2 <= on_ms <= 510 and 2 <= off_ms <= 510):
        raise DrawerConfigError("Drawer pulse times are from 2 to 510 ms.")
    if on_ms / (on_ms + off_ms) > 0.2:
        raise DrawerConfigError("The drawer pulse is on too long for its off time (at most 1 part in 5).")
    return bytes([0x1B, 0x70, 0 if pin == 2 else 1, on_ms // 2, off_ms // 2])


def kick_for(drawer: DrawerConfig, pulse: tuple[int, int] = DEFAULT_PULSE) -> bytes:
    """The pulse for the till's drawer (on the printer's pin, or pin 2 of a serial drawer); empty without one."""
    if drawer.kind == "none":
        return b""
    return kick_bytes(drawer.pin if drawer.kind == "printer" else 2, *pulse)


def drawer_is_open(status: PrinterStatus, *, open_when_high: bool = False) -> bool | None:
    """The drawer sensor (pin 3) as read in DLE EOT 1; None when the printer did not answer.

    Whether a high level means open depends on the drawer model, hence the setting.
    """
    if not status.reachable:
        return None
    return status.drawer_pin3_high == open_when_high


@dataclass
class OpenTooLongWatch:
    """Warns once when the drawer stays open longer than `limit` seconds (times are injected)."""

    limit: float = 30.0
    opened_at: float | None = None
    warned: bool = False

    def update(self, is_open: bool | None, now: float) -> bool:
        """Feed a sensor reading; True exactly once per opening, when the limit is passed."""
        if not is_open:
            if is_open is False:
                self.opened_at, self.warned = None, False
            return False
        if self.opened_at is None:
            self.opened_at = now
        if not self.warned and now - self.opened_at > self.limit:
            self.warned = True
            return True
        return False


def realtime_kick_bytes(pin: int = 2, pulse_100ms: int = 1) -> bytes:
    """`DLE DC4 1 m t`: a real-time pulse Epson printers run even while offline (paper out)."""
    return bytes([0x10, 0x14, 0x01, 0 if pin == 2 else 1, max(1, min(pulse_100ms, 8))])


class DrawerMonitor:
    """Polls the drawer sensor through the printer's DLE EOT 1 and reports open, closed, open too long.

    `poll` is meant for `DeviceWorker.every`; `now` is injected (monotonic seconds) for tests.
    """

    def __init__(self, read_status: Callable[[], PrinterStatus], emit: Callable[[DeviceEvent], None], *,
                 open_when_high: bool = False, limit: float = 30.0, interval: float = 1.0,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.read_status, self.emit, self.now = read_status, emit, now
        self.open_when_high, self.interval = open_when_high, interval
        self.watch = OpenTooLongWatch(limit)
        self.last: bool | None = None

    def poll(self) -> float:
        is_open = drawer_is_open(self.read_status(), open_when_high=self.open_when_high)
        if is_open is not None and is_open != self.last:
            self.emit(DeviceEvent("drawer", "open" if is_open else "closed",
                                  "The cash drawer is open." if is_open else "The cash drawer is closed."))
            self.last = is_open
        if self.watch.update(is_open, self.now()):
            self.emit(DeviceEvent("drawer", "open_too_long",
                                  f"The cash drawer has been open for more than {self.watch.limit:g} seconds."))
        return self.interval
