"""Opening a configured serial port with timeouts on both directions (a silent device never hangs us)."""

from __future__ import annotations

import time

import serial

from devices.urls import SerialPort

POLL = 0.05
try:  # pyserial lets termios.error through on POSIX (e.g. tcdrain on an unplugged port)
    from termios import error as _TermiosError
except ImportError:  # Windows
    _TermiosError = OSError  # type: ignore[misc, assignment]  # the stdlib stubs type termios.error only
SERIAL_ERRORS: tuple[type[BaseException], ...] = (serial.SerialException, OSError, _TermiosError)


class DeviceIOError(OSError):
    """A serial device could not be opened or stopped answering mid-way."""


def open_serial(port: SerialPort | None, *, timeout: float = 1.0) -> serial.Serial:
    """The port, opened; a device set up without a serial port is as unreachable as a missing one."""
    if port is None:
        raise DeviceIOError("no serial port is set up for this device")
    try:
        return serial.Serial(
            port.path, port.baudrate, bytesize=port.bytesize, parity=port.parity, stopbits=port.stopbits,
            timeout=timeout, write_timeout=timeout, rtscts=port.flow == "rtscts", dsrdtr=port.flow == "dsrdtr",
            xonxoff=port.flow == "xonxoff", exclusive=True,
        )
    except Exception as exc:  # SerialException, OSError, ValueError, or termios.error for refused line settings
        raise DeviceIOError(f"cannot open {port.path} ({exc})") from None


def read_frame(port: serial.Serial, terminator: bytes = b"\r", *, timeout: float = 1.0, limit: int = 64) -> bytes:
    """Bytes up to and including the terminator, across split reads, within the timeout.

    Returns what arrived (possibly without terminator) when time runs out or `limit` is reached.
    """
    deadline = time.monotonic() + timeout
    frame = bytearray()
    while time.monotonic() < deadline and len(frame) < limit:
        if port.timeout != POLL:
            port.timeout = POLL  # set once: each change re-applies the termios settings
        try:
            chunk = port.read(1)
        except SERIAL_ERRORS as exc:
            raise DeviceIOError(f"the device stopped answering ({exc})") from None
        if chunk:
            frame += chunk
            if frame.endswith(terminator):
                break
    return bytes(frame)
