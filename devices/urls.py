"""Device URLs from the till settings, parsed into typed configs.

Each device is one URL so a shop can set a till up by typing (or pasting) a single line; a
malformed URL is refused with a sentence that says what was expected, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

PAPER_WIDTHS = (32, 42, 48)
FLOW_CONTROLS = ("none", "rtscts", "dsrdtr", "xonxoff")
BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


class DeviceUrlError(ValueError):
    """A device URL in the settings that cannot be used as written."""


@dataclass(frozen=True)
class SerialPort:
    """A serial port and its line settings (scales talk 7E1, printers usually 8N1)."""

    path: str
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: int = 1
    flow: str = "none"  # none | rtscts | dsrdtr | xonxoff; serial printers often need dsrdtr


@dataclass(frozen=True)
class PrinterConfig:
    kind: str  # "tcp" | "serial" | "usb" | "file" | "none"
    host: str = ""
    port: int = 9100
    serial: SerialPort | None = None
    vendor_id: int = 0
    product_id: int = 0
    path: str = ""
    url: str = "none"

    @property
    def enabled(self) -> bool:
        return self.kind != "none"


@dataclass(frozen=True)
class DrawerConfig:
    kind: str  # "printer" | "serial" | "none"
    pin: int = 2
    serial: SerialPort | None = None
    url: str = "none"


@dataclass(frozen=True)
class DisplayConfig:
    kind: str  # "epson" | "cd5220" | "none"
    serial: SerialPort | None = None
    url: str = "none"


@dataclass(frozen=True)
class ScaleConfig:
    kind: str  # "toledo8217" | "caspd2" | "none"
    serial: SerialPort | None = None
    url: str = "none"


@dataclass(frozen=True)
class ScannerConfig:
    kind: str  # "wedge" | "serial" | "none"
    serial: SerialPort | None = None
    url: str = "wedge"


@dataclass(frozen=True)
class DeviceSettings:
    """Every device of one till, as read from the settings table."""

    printer: PrinterConfig = field(default_factory=lambda: PrinterConfig("none"))
    printer_profile: str = "default"
    paper_width: int = 42
    drawer: DrawerConfig = field(default_factory=lambda: DrawerConfig("none"))
    display: DisplayConfig = field(default_factory=lambda: DisplayConfig("none"))
    scale: ScaleConfig = field(default_factory=lambda: ScaleConfig("none"))
    scanner: ScannerConfig = field(default_factory=lambda: ScannerConfig("wedge"))


_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$|^\[[0-9A-Fa-f:]+\]$")
_USB_ID = re.compile(r"^([0-9A-Fa-f]{4}):([0-9A-Fa-f]{4})$")


def _serial(url: str, what: str, defaults: SerialPort) -> SerialPort:
    parts = urlsplit(url)
    if parts.netloc or not parts.path.startswith("/"):
        raise DeviceUrlError(
            f"The {what} URL '{url}' needs an absolute port path after '://', e.g. ...serial:///dev/ttyS0."
        )
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = set(params) - {"baudrate", "bytesize", "parity", "stopbits", "flow"}
    if unknown:
        raise DeviceUrlError(f"The {what} URL '{url}' has unknown options: {', '.join(sorted(unknown))}.")
    try:
        baud = int(params.get("baudrate", defaults.baudrate))
        bytesize = int(params.get("bytesize", defaults.bytesize))
        stopbits = int(params.get("stopbits", defaults.stopbits))
    except ValueError:
        raise DeviceUrlError(f"The {what} URL '{url}' has a setting that is not a whole number.") from None
    parity = params.get("parity", defaults.parity).upper()
    if baud not in BAUDRATES:
        raise DeviceUrlError(f"The {what} baud rate {baud} is not one of {', '.join(map(str, BAUDRATES))}.")
    if bytesize not in (7, 8) or stopbits not in (1, 2) or parity not in ("N", "E", "O"):
        raise DeviceUrlError(f"The {what} URL '{url}' needs bytesize 7 or 8, parity N, E or O, stopbits 1 or 2.")
    flow = params.get("flow", defaults.flow).lower()
    if flow not in FLOW_CONTROLS:
        raise DeviceUrlError(f"The {what} flow control '{flow}' should be one of {', '.join(FLOW_CONTROLS)}.")
    return SerialPort(parts.path, baud, bytesize, parity, stopbits, flow)


def _clean(url: str | None, default: str) -> str:
    text = (url or "").strip()
    return text or default


def parse_printer_url(url: str | None) -> PrinterConfig:
    """`escpos+tcp://HOST:9100`, `escpos+serial:///dev/ttyS0?baudrate=19200`, `escpos+usb://04b8:0202`,
    `escpos+file:///dev/usb/lp0` or `none`."""
    url = _clean(url, "none")
    if url == "none":
        return PrinterConfig("none")
    scheme, sep, _ = url.partition("://")
    if not sep:
        raise DeviceUrlError(f"The printer URL '{url}' is not a URL; try escpos+tcp://192.168.1.50:9100 or none.")
    if scheme == "escpos+tcp":
        parts = urlsplit(url)
        try:
            port = parts.port or 9100
        except ValueError:
            raise DeviceUrlError(f"The printer URL '{url}' has a port that is not a number from 1 to 65535.") from None
        host = parts.hostname or ""
        if not host or not _HOST.match(host) or parts.path not in ("", "/"):
            raise DeviceUrlError(f"The printer URL '{url}' needs a host name or address, e.g. escpos+tcp://10.0.0.7:9100.")
        return PrinterConfig("tcp", host=host, port=port, url=url)
    if scheme == "escpos+serial":
        return PrinterConfig("serial", serial=_serial(url, "printer", SerialPort("")), url=url)
    if scheme == "escpos+usb":
        match = _USB_ID.match(url.split("://", 1)[1])
        if not match:
            raise DeviceUrlError(f"The printer URL '{url}' needs a USB vendor:product id, e.g. escpos+usb://04b8:0202.")
        return PrinterConfig("usb", vendor_id=int(match[1], 16), product_id=int(match[2], 16), url=url)
    if scheme == "escpos+file":
        path = urlsplit(url).path
        if not path.startswith("/") or urlsplit(url).netloc:
            raise DeviceUrlError(f"The printer URL '{url}' needs an absolute path, e.g. escpos+file:///dev/usb/lp0.")
        return PrinterConfig("file", path=path, url=url)
    raise DeviceUrlError(
        f"The printer URL '{url}' has an unknown kind '{scheme}'; use escpos+tcp, escpos+serial, escpos+usb, "
        "escpos+file or none."
    )


def parse_drawer_url(url: str | None) -> DrawerConfig:
    """`printer:pin2`, `printer:pin5`, `serial:///dev/ttyS1` or `none`."""
    url = _clean(url, "none")
    if url == "none":
        return DrawerConfig("none")
    if url in ("printer:pin2", "printer:pin5"):
        return DrawerConfig("printer", pin=int(url[-1]), url=url)
    if url.startswith("serial://"):
        return DrawerConfig("serial", serial=_serial(url, "drawer", SerialPort("")), url=url)
    raise DeviceUrlError(f"The drawer setting '{url}' should be printer:pin2, printer:pin5, serial:///dev/... or none.")


def parse_display_url(url: str | None) -> DisplayConfig:
    """`epson+serial://...`, `cd5220+serial://...` or `none`."""
    url = _clean(url, "none")
    if url == "none":
        return DisplayConfig("none")
    for kind in ("epson", "cd5220"):
        if url.startswith(f"{kind}+serial://"):
            return DisplayConfig(kind, serial=_serial(url, "customer display", SerialPort("")), url=url)
    raise DeviceUrlError(
        f"The customer display URL '{url}' should start epson+serial:// or cd5220+serial://, or be none."
    )


def parse_scale_url(url: str | None) -> ScaleConfig:
    """`toledo8217+serial://...`, `caspd2+serial://...` or `none`; scales default to 9600 7E1."""
    url = _clean(url, "none")
    if url == "none":
        return ScaleConfig("none")
    for kind in ("toledo8217", "caspd2"):
        if url.startswith(f"{kind}+serial://"):
            return ScaleConfig(kind, serial=_serial(url, "scale", SerialPort("", 9600, 7, "E", 1)), url=url)
    raise DeviceUrlError(f"The scale URL '{url}' should start toledo8217+serial:// or caspd2+serial://, or be none.")


def parse_scanner_url(url: str | None) -> ScannerConfig:
    """`wedge` (a keyboard scanner), `serial://...` or `none`."""
    url = _clean(url, "wedge")
    if url in ("wedge", "none"):
        return ScannerConfig(url, url=url)
    if url.startswith("serial://"):
        return ScannerConfig("serial", serial=_serial(url, "scanner", SerialPort("")), url=url)
    raise DeviceUrlError(f"The scanner setting '{url}' should be wedge, serial:///dev/... or none.")


def parse_paper_width(value: str | int | None) -> int:
    try:
        width = int(value if value not in (None, "") else 42)
    except (TypeError, ValueError):
        width = -1
    if width not in PAPER_WIDTHS:
        raise DeviceUrlError(f"The paper width '{value}' should be 32, 42 or 48 characters.")
    return width


def parse_device_settings(values: dict[str, str]) -> DeviceSettings:
    """All `device.*` settings at once; the first malformed one raises DeviceUrlError."""
    return DeviceSettings(
        printer=parse_printer_url(values.get("device.printer")),
        printer_profile=_clean(values.get("device.printer_profile"), "default"),
        paper_width=parse_paper_width(values.get("device.paper_width")),
        drawer=parse_drawer_url(values.get("device.drawer")),
        display=parse_display_url(values.get("device.display")),
        scale=parse_scale_url(values.get("device.scale")),
        scanner=parse_scanner_url(values.get("device.scanner")),
    )
