"""Customer pole display, 2 lines x 20 characters, Epson or CD5220 command set, over serial.

Text is reduced to ASCII (pole displays differ in their character sets; "€" shows as "EUR")
and stripped of control characters, so a product name cannot send commands to the display.
Writes have a timeout; a display that went away is reported and reopened on the next write.
"""

from __future__ import annotations

import contextlib

import serial

from devices.codepages import printable, strip_controls
from devices.serial_port import SERIAL_ERRORS, open_serial
from devices.urls import DisplayConfig

WIDTH = 20


def fit(text: str, width: int = WIDTH) -> bytes:
    return printable(strip_controls(text), "ascii")[:width].ljust(width).encode("ascii")


def two_columns(left: str, right: str, width: int = WIDTH) -> str:
    left, right = printable(strip_controls(left), "ascii"), printable(strip_controls(right), "ascii")
    room = max(width - len(right) - 1, 0)
    return f"{left[:room]:<{room}} {right}"[-width:]


def epson_frame(top: str, bottom: str) -> bytes:
    """Clear, home, top line, cursor to line 2 (`US $ 1 2`), bottom line."""
    return b"\x0c\x0b" + fit(top) + b"\x1f\x24\x01\x02" + fit(bottom)


def cd5220_frame(top: str, bottom: str) -> bytes:
    """`ESC Q A` upper line, `ESC Q B` lower line, each ended by CR."""
    return b"\x1bQA" + fit(top) + b"\r" + b"\x1bQB" + fit(bottom) + b"\r"


INIT = {"epson": b"\x1b@\x1f\x43\x00", "cd5220": b"\x1b@\x0c"}
FRAME = {"epson": epson_frame, "cd5220": cd5220_frame}


class CustomerDisplay:
    """What the customer sees; every method returns False when the display could not be written."""

    def __init__(self, cfg: DisplayConfig, *, currency: str = "EUR", timeout: float = 1.0) -> None:
        if cfg.kind not in FRAME or cfg.serial is None:
            raise ValueError("No customer display is configured.")
        self.cfg, self.currency, self.timeout = cfg, currency, timeout
        self._port: serial.Serial | None = None
        self.connected = False

    def show(self, top: str, bottom: str = "") -> bool:
        try:
            if self._port is None:
                self._port = open_serial(self.cfg.serial, timeout=self.timeout)
                self._port.write(INIT[self.cfg.kind])
            self._port.write(FRAME[self.cfg.kind](top, bottom))
            self._port.flush()
            self.connected = True
        except SERIAL_ERRORS:
            self.close()
            self.connected = False
        return self.connected

    def item(self, name: str, price: str) -> bool:
        return self.show(name, two_columns("", f"{self.currency} {price}"))

    def total(self, amount: str) -> bool:
        return self.show("TOTAL", two_columns("", f"{self.currency} {amount}"))

    def change(self, paid: str, change: str) -> bool:
        return self.show(two_columns("PAID", paid), two_columns("CHANGE", change))

    def idle(self, message: str = "Welcome") -> bool:
        return self.show(message, "")

    def close(self) -> None:
        if self._port is not None:
            with contextlib.suppress(*SERIAL_ERRORS):
                self._port.close()
            self._port = None
