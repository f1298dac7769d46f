"""Scales: Mettler Toledo 8217 and CAS PD-II over serial, read on the device worker.

Only a stable weight above zero may go on a sale: a reading in motion, over capacity or under
zero is reported in words and never used. Weights are integer thousandths of a kilogram, the
same unit as sale quantities.

Toledo 8217: send `W`; a weight answers `STX [spaces] digits.digits [N] CR`; otherwise
`STX ? status CR` with bit0 motion, bit1 over capacity, bit2 under zero. CAS PD-II answers
`W` with digits and `.` until CR; compatible scales that send a `?` status byte are read with
the 8217 bits, and `OL` is taken as overload.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import serial

from devices.serial_port import SERIAL_ERRORS, open_serial, read_frame
from devices.urls import ScaleConfig

_WEIGHT = re.compile(rb"^\x02?\s*(-?)\s*([0-9]+(?:\.[0-9]+)?)\s*(?:N|kg|KG|Kg)?\r$")
_STATUS = re.compile(rb"^\x02?\?(.)\r$", re.DOTALL)

MESSAGES = {
    "motion": "The scale is still moving; wait for it to settle.",
    "overload": "The item is too heavy for the scale.",
    "under_zero": "The scale shows less than zero; empty it and zero it.",
    "zero": "Put the item on the scale.",
    "no_reply": "The scale does not answer; check its cable and power.",
    "garbled": "The scale sent something unreadable; try again.",
    "disconnected": "The scale is not connected.",
}


class ScaleError(ValueError):
    """No usable weight; the message says why in cashier's words."""


@dataclass(frozen=True)
class ScaleReading:
    state: str  # stable | motion | overload | under_zero | zero | no_reply | garbled | disconnected
    milli_kg: int | None = None

    @property
    def message(self) -> str:
        return MESSAGES.get(self.state, "")

    @property
    def usable(self) -> bool:
        return self.state == "stable" and (self.milli_kg or 0) > 0


def _status_reading(value: int) -> ScaleReading:
    if value & 0x02:
        return ScaleReading("overload")
    if value & 0x04:
        return ScaleReading("under_zero")
    if value & 0x01:
        return ScaleReading("motion")
    return ScaleReading("garbled")


def parse_frame(frame: bytes) -> ScaleReading:
    """One reply frame (Toledo 8217 or CAS PD-II) to a reading; never raises."""
    if not frame:
        return ScaleReading("no_reply")
    frame = frame[frame.rfind(b"\x02") :] if b"\x02" in frame else frame  # noise before STX
    if status := _STATUS.match(frame):
        return _status_reading(status.group(1)[0])
    if b"OL" in frame.upper():
        return ScaleReading("overload")
    match = _WEIGHT.match(frame)
    if not match:
        return ScaleReading("garbled")
    try:
        kg = Decimal(match.group(2).decode())
    except InvalidOperation:
        return ScaleReading("garbled")
    if match.group(1):
        return ScaleReading("under_zero") if kg else ScaleReading("zero", 0)
    milli = int((kg * 1000).to_integral_value())
    return ScaleReading("stable" if milli else "zero", milli)


def take_weight(reading: ScaleReading) -> int:
    """The weight for a sale line, or ScaleError saying why not."""
    if not reading.usable:
        raise ScaleError(reading.message or "The scale gave no weight.")
    assert reading.milli_kg is not None
    return reading.milli_kg


class Scale:
    """A serial scale; opens lazily and reopens after an unplug, so it recovers without a restart."""

    def __init__(self, cfg: ScaleConfig, *, timeout: float = 1.0) -> None:
        if cfg.serial is None:
            raise ScaleError("No scale is configured.")
        self.cfg, self.timeout = cfg, timeout
        self._port: serial.Serial | None = None

    def read(self) -> ScaleReading:
        """Ask for the weight once; blocks at most about `timeout` seconds (run it on the worker)."""
        try:
            if self._port is None:
                self._port = open_serial(self.cfg.serial, timeout=self.timeout)
            self._port.reset_input_buffer()
            self._port.write(b"W")
            self._port.flush()
            return parse_frame(read_frame(self._port, b"\r", timeout=self.timeout))
        except SERIAL_ERRORS:
            self.close()
            return ScaleReading("disconnected")

    def close(self) -> None:
        if self._port is not None:
            with contextlib.suppress(*SERIAL_ERRORS):
                self._port.close()
            self._port = None
