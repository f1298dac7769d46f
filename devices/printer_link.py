"""Byte pipes to a receipt printer (TCP, serial, file, USB) with a timeout on every operation.

We send bytes ourselves instead of through python-escpos 3.1's printer classes: its Network
backend waits 60 s on connect and recv, its Serial `_read` waits the full timeout for 16 bytes,
and its status calls report "paper OK" when nothing answered. Here a write reports how many
bytes went out, and a status query that gets no valid answer says so.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from typing import Protocol

from devices.escpos_status import DLE_EOT, QUERIES, PrinterStatus, decode_status, is_status_byte, unreachable
from devices.serial_port import DeviceIOError, open_serial
from devices.urls import PrinterConfig


class PrinterLinkError(OSError):
    """The printer could not be reached or the connection broke; `written` bytes went out first."""

    def __init__(self, message: str, written: int = 0) -> None:
        super().__init__(message)
        self.written = written


class PrinterLink(Protocol):
    def write(self, data: bytes) -> None: ...
    def query_status(self) -> PrinterStatus: ...
    def close(self) -> None: ...


class TcpLink:
    """A raw port 9100 connection."""

    def __init__(self, host: str, port: int, *, connect_timeout: float = 3.0, io_timeout: float = 3.0) -> None:
        self.io_timeout = io_timeout
        try:
            self.sock = socket.create_connection((host, port), timeout=connect_timeout)
        except OSError as exc:
            raise PrinterLinkError(f"cannot connect to {host}:{port} ({exc.strerror or exc})") from None
        self.sock.settimeout(io_timeout)

    def write(self, data: bytes) -> None:
        view, sent = memoryview(data), 0
        while sent < len(data):
            try:
                n = self.sock.send(view[sent:])
            except OSError as exc:
                raise PrinterLinkError(f"connection broke after {sent} bytes ({exc})", sent) from None
            if n == 0:
                raise PrinterLinkError(f"connection closed after {sent} bytes", sent)
            sent += n

    def _drain(self) -> None:
        self.sock.setblocking(False)
        try:
            while self.sock.recv(256):
                pass
        except OSError:
            pass
        finally:
            self.sock.settimeout(self.io_timeout)

    def _read_status_byte(self, deadline: float) -> int | None:
        while time.monotonic() < deadline:
            self.sock.settimeout(max(deadline - time.monotonic(), 0.001))
            try:
                chunk = self.sock.recv(1)
            except OSError:
                return None
            if not chunk:
                return None
            if is_status_byte(chunk[0]):
                return chunk[0]
        return None

    def query_status(self) -> PrinterStatus:
        self._drain()
        replies: dict[int, int] = {}
        for n in QUERIES:
            try:
                self.sock.sendall(DLE_EOT + bytes([n]))
            except OSError as exc:
                return unreachable(f"connection broke ({exc})")
            value = self._read_status_byte(time.monotonic() + self.io_timeout)
            if value is None:
                return unreachable("no answer to a status query")
            replies[n] = value
        self.sock.settimeout(self.io_timeout)
        return decode_status(replies)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class SerialLink:
    """A serial printer through pyserial, with read and write timeouts (a silent device never hangs us)."""

    def __init__(self, cfg: PrinterConfig, *, io_timeout: float = 2.0) -> None:
        assert cfg.serial is not None
        try:
            self.port = open_serial(cfg.serial, timeout=io_timeout)
        except DeviceIOError as exc:
            raise PrinterLinkError(str(exc)) from None
        self.io_timeout = io_timeout

    def write(self, data: bytes) -> None:
        try:
            self.port.write(data)
            self.port.flush()
        except Exception as exc:  # pyserial raises SerialException, OSError or timeouts
            raise PrinterLinkError(f"serial write failed ({exc})") from None

    def query_status(self) -> PrinterStatus:
        replies: dict[int, int] = {}
        try:
            self.port.reset_input_buffer()
            for n in QUERIES:
                self.port.write(DLE_EOT + bytes([n]))
                deadline = time.monotonic() + self.io_timeout
                while n not in replies and time.monotonic() < deadline:
                    chunk = self.port.read(1)  # one byte: never waits for 16 like python-escpos 3.1
                    if chunk and is_status_byte(chunk[0]):
                        replies[n] = chunk[0]
                if n not in replies:
                    return unreachable("no answer to a status query")
        except Exception as exc:
            return unreachable(f"serial port failed ({exc})")
        return decode_status(replies)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.port.close()


class FileLink:
    """A device file such as /dev/usb/lp0: write-only, so status is unknown (python-escpos #622)."""

    def __init__(self, path: str) -> None:
        try:
            self.fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_APPEND)  # a regular file collects jobs
        except OSError as exc:
            raise PrinterLinkError(f"cannot open {path} ({exc.strerror})") from None

    def write(self, data: bytes) -> None:
        sent = 0
        try:
            while sent < len(data):
                sent += os.write(self.fd, data[sent:])
        except OSError as exc:
            raise PrinterLinkError(f"write failed after {sent} bytes ({exc.strerror})", sent) from None

    def query_status(self) -> PrinterStatus:
        return PrinterStatus(reachable=True, online=True, detail="status cannot be read from a device file")

    def close(self) -> None:
        os.close(self.fd)


class UsbLink:
    """A USB printer through python-escpos (needs pyusb and, on Linux, a udev rule)."""

    def __init__(self, cfg: PrinterConfig) -> None:
        try:
            from escpos.printer import Usb

            self.printer = Usb(cfg.vendor_id, cfg.product_id, timeout=2000)
            self.printer.open()
        except Exception as exc:  # missing pyusb, access denied, device busy
            raise PrinterLinkError(f"cannot open USB printer {cfg.url} ({exc})") from None

    def write(self, data: bytes) -> None:
        try:
            self.printer._raw(data)
        except Exception as exc:
            raise PrinterLinkError(f"USB write failed ({exc})") from None

    def query_status(self) -> PrinterStatus:
        replies: dict[int, int] = {}
        try:
            for n in QUERIES:
                self.printer._raw(DLE_EOT + bytes([n]))
                data = self.printer._read()
                if not data:
                    return unreachable("no answer to a status query")
                replies[n] = data[0]
        except Exception as exc:
            return unreachable(f"USB status read failed ({exc})")
        return decode_status(replies)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.printer.close()


def open_link(cfg: PrinterConfig, *, timeout: float = 3.0) -> PrinterLink:
    """A connected link for the configured printer; raises PrinterLinkError with a reason."""
    if cfg.kind == "tcp":
        return TcpLink(cfg.host, cfg.port, connect_timeout=timeout, io_timeout=timeout)
    if cfg.kind == "serial":
        return SerialLink(cfg, io_timeout=timeout)
    if cfg.kind == "file":
        return FileLink(cfg.path)
    if cfg.kind == "usb":
        return UsbLink(cfg)
    raise PrinterLinkError("no receipt printer is configured")
