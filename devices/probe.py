"""A one-shot check of every configured device, for `tillstone devices list` and the settings screen.

Each device gets one short, timed attempt; a malformed URL is reported on its own row so one
typo does not hide the state of the other devices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from devices.display import CustomerDisplay
from devices.escpos_lib import UnknownProfileError, get_profile
from devices.printer_link import PrinterLinkError, open_link
from devices.scale import Scale
from devices.serial_port import SERIAL_ERRORS, DeviceIOError, open_serial
from devices.urls import (
    DeviceUrlError,
    parse_display_url,
    parse_drawer_url,
    parse_paper_width,
    parse_printer_url,
    parse_scale_url,
    parse_scanner_url,
)


@dataclass(frozen=True)
class DeviceCheck:
    device: str
    url: str
    state: str  # ok | not_configured | invalid | a device state word
    message: str

    @property
    def problem(self) -> bool:
        return self.state not in ("ok", "ready", "paper_near_end", "not_configured", "stable", "zero")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_printer(url: str, *, timeout: float = 2.0) -> DeviceCheck:
    cfg = parse_printer_url(url)
    if not cfg.enabled:
        return DeviceCheck("printer", "none", "not_configured", "No receipt printer is set up.")
    try:
        link = open_link(cfg, timeout=timeout)
    except PrinterLinkError as exc:
        return DeviceCheck("printer", cfg.url, "unreachable", f"The receipt printer does not answer: {exc}.")
    try:
        status = link.query_status()
    finally:
        link.close()
    return DeviceCheck("printer", cfg.url, status.state, status.sentence())


_PORT_ERRORS: tuple[type[BaseException], ...] = (DeviceIOError, *SERIAL_ERRORS)


def _check_port(device: str, url: str, serial_cfg: Any, timeout: float) -> DeviceCheck:
    try:
        open_serial(serial_cfg, timeout=timeout).close()
    except _PORT_ERRORS as exc:
        return DeviceCheck(device, url, "unreachable", f"The port cannot be opened: {exc}.")
    return DeviceCheck(device, url, "ok", "The port opens (this device cannot report more).")


def check_all(values: Mapping[str, str], *, timeout: float = 2.0) -> list[DeviceCheck]:
    """One row per device kind, in a fixed order."""
    rows: list[DeviceCheck] = []

    def guarded(device: str, key: str, default: str, check: Callable[[str], DeviceCheck]) -> None:
        url = (values.get(key) or "").strip() or default
        try:
            rows.append(check(url))
        except (DeviceUrlError, UnknownProfileError, ValueError) as exc:
            rows.append(DeviceCheck(device, url, "invalid", str(exc)))

    guarded("printer", "device.printer", "none", lambda url: check_printer(url, timeout=timeout))

    def paper(_: str) -> DeviceCheck:
        width = parse_paper_width(values.get("device.paper_width"))
        profile = (values.get("device.printer_profile") or "default").strip()
        get_profile(profile)
        return DeviceCheck("paper", f"{profile}, {width} columns", "ok", "Printer profile and paper width are valid.")

    guarded("paper", "device.printer_profile", "default", paper)

    def drawer(url: str) -> DeviceCheck:
        cfg = parse_drawer_url(url)
        if cfg.kind == "none":
            return DeviceCheck("drawer", "none", "not_configured", "No cash drawer is set up.")
        if cfg.kind == "printer":
            return DeviceCheck("drawer", url, "ok", f"The drawer opens through the printer (pin {cfg.pin}).")
        return _check_port("drawer", url, cfg.serial, timeout)

    guarded("drawer", "device.drawer", "none", drawer)

    def display(url: str) -> DeviceCheck:
        cfg = parse_display_url(url)
        if cfg.kind == "none":
            return DeviceCheck("display", "none", "not_configured", "No customer display is set up.")
        shown = CustomerDisplay(cfg, timeout=timeout)
        ok = shown.idle("Tillstone")
        shown.close()
        return DeviceCheck("display", url, "ok" if ok else "unreachable",
                           "The display shows a test line." if ok else "The customer display cannot be written.")

    guarded("display", "device.display", "none", display)

    def scale(url: str) -> DeviceCheck:
        cfg = parse_scale_url(url)
        if cfg.kind == "none":
            return DeviceCheck("scale", "none", "not_configured", "No scale is set up.")
        device = Scale(cfg, timeout=timeout)
        reading = device.read()
        device.close()
        message = reading.message or f"Stable weight {reading.milli_kg} g."
        return DeviceCheck("scale", url, reading.state, message)

    guarded("scale", "device.scale", "none", scale)

    def scanner(url: str) -> DeviceCheck:
        cfg = parse_scanner_url(url)
        if cfg.kind == "wedge":
            return DeviceCheck("scanner", url, "ok", "A keyboard scanner needs no set-up; scan into the sale screen.")
        if cfg.kind == "none":
            return DeviceCheck("scanner", url, "not_configured", "No scanner is set up.")
        return _check_port("scanner", url, cfg.serial, timeout)

    guarded("scanner", "device.scanner", "wedge", scanner)
    return rows
