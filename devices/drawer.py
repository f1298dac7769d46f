"""Cash drawer: the kick pulse, the sensor's polarity and the open-too-long warning.

The caller decides when the drawer opens (cash sales, cash in/out, no-sale); this module only
makes the pulse and watches the sensor. The default pulse `ESC p 0 25 250` (50 ms on, 500 ms
off) stays within the solenoid duty limit printers document (on / (on + off) <= 0.2).
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.escpos_status import PrinterStatus


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
