"""Barcode scanners: a keyboard-wedge parser (pure logic, timestamps injected) and a serial reader.

A wedge scanner "types" a code far faster than a person, then Enter. Keys that arrive more
than `max_gap` apart are a person typing and are handed back untouched. Check digits and
price/weight-embedded codes are resolved by the catalogue (`kernel.barcodes`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import serial

from devices.codepages import strip_controls
from devices.serial_port import SERIAL_ERRORS, DeviceIOError, open_serial, read_frame
from devices.urls import ScannerConfig
from kernel.barcodes import Scan, parse_scan

ENTER = ("\r", "\n", "Enter", "Return")


@dataclass
class WedgeParser:
    """Feed every key with its time; a fast run of keys ended by Enter is a scan."""

    max_gap: float = 0.1
    min_length: int = 4
    _buffer: list[str] = field(default_factory=list)
    _last: float | None = None
    _passthrough: list[str] = field(default_factory=list)

    def feed(self, key: str, at: float) -> str | None:
        """Returns the scanned code when Enter ends a fast run; otherwise None."""
        if self._last is not None and at - self._last > self.max_gap and self._buffer:
            self._passthrough.extend(self._buffer)  # too slow: a person was typing
            self._buffer.clear()
        self._last = at
        if key in ENTER:
            code, self._buffer = "".join(self._buffer), []
            if len(code) >= self.min_length:
                return code
            self._passthrough.extend([*code, "\n"])
            return None
        if len(key) == 1 and key.isprintable():
            self._buffer.append(key)
        return None

    def take_passthrough(self) -> str:
        """Keys that were typed by a person, for the focused field."""
        text, self._passthrough = "".join(self._passthrough), []
        return text


def resolve(code: str) -> Scan:
    """A scanned code checked and read by the catalogue's rules (check digit, embedded price/weight).

    Raises `BarcodeError` with a sentence for the cashier; one implementation, in the core.
    """
    return parse_scan(code)


def parse_serial_scan(frame: bytes) -> str | None:
    """One line from a serial scanner, without terminators, prefixes or control bytes."""
    text = strip_controls(frame.decode("ascii", errors="ignore")).strip()
    return text or None


@dataclass
class SerialScanner:
    """Reads CR/LF-terminated codes; reopens after an unplug."""

    cfg: ScannerConfig
    timeout: float = 0.5
    _port: serial.Serial | None = None
    _partial: bytes = b""

    def read_scan(self) -> str | None:
        """One code if one arrived within the timeout (run it on the worker)."""
        try:
            if self._port is None:
                self._port = open_serial(self.cfg.serial, timeout=self.timeout)
            frame = self._partial + read_frame(self._port, b"\r", timeout=self.timeout, limit=128)
        except SERIAL_ERRORS:
            self.close()
            raise DeviceIOError("The barcode scanner is not connected.") from None
        if not frame.endswith(b"\r") and len(frame) < 128:
            self._partial = frame  # a code split across reads: wait for the rest
            return None
        self._partial = b""
        return parse_serial_scan(frame)

    def close(self) -> None:
        if self._port is not None:
            with contextlib.suppress(*SERIAL_ERRORS):
                self._port.close()
            self._port = None
