"""Scale, display, scanner and serial printer over real pseudo-terminals, hostile streams included."""

from __future__ import annotations

import pytest

from devices.display import CustomerDisplay
from devices.escpos_decode import decode
from devices.fakes.pty_device import PtyDevice
from devices.printer_link import SerialLink
from devices.scale import Scale, ScaleError, take_weight
from devices.scanner import SerialScanner
from devices.serial_port import DeviceIOError
from devices.urls import parse_display_url, parse_printer_url, parse_scale_url, parse_scanner_url


def _scale(dev: PtyDevice, kind: str = "toledo8217") -> Scale:
    # Linux pseudo-terminals refuse 7E1 (EINVAL), so the test scale talks 8N1 through the URL options.
    return Scale(parse_scale_url(f"{kind}+serial://{dev.path}?bytesize=8&parity=N"), timeout=0.3)


def _answer(*pieces: bytes):
    return lambda chunk: list(pieces) if b"W" in chunk else None


@pytest.mark.parametrize(
    ("kind", "reply", "state", "milli"),
    [
        ("toledo8217", [b"\x02  1.234N\r"], "stable", 1234),
        ("toledo8217", [b"\x02", b" 0.3", b"45\r"], "stable", 345),  # split frame
        ("toledo8217", [b"\x02?!\r"], "motion", None),
        ("toledo8217", [b"\x02?\x22\r"], "overload", None),
        ("toledo8217", [b"\x02?\x24\r"], "under_zero", None),
        ("toledo8217", [b"\x02  0.000\r"], "zero", 0),
        ("toledo8217", [b"\xff\xfe#!garbage\r"], "garbled", None),
        ("toledo8217", [b"noise\x02  2.000N\r"], "stable", 2000),
        ("caspd2", [b"01.500\r"], "stable", 1500),
        ("caspd2", [b"-0.020\r"], "under_zero", None),
        ("caspd2", [b"  OL  \r"], "overload", None),
    ],
)
def test_scale_frames_over_a_pty(kind, reply, state, milli):
    with PtyDevice(_answer(*reply)) as dev:
        scale = _scale(dev, kind)
        try:
            reading = scale.read()
        finally:
            scale.close()
    assert (reading.state, reading.milli_kg if state in ("stable", "zero") else None) == (state, milli)
    assert reading.usable == (state == "stable")


def test_only_a_stable_weight_above_zero_is_taken():
    with PtyDevice(_answer(b"\x02?!\r")) as dev:
        scale = _scale(dev)
        with pytest.raises(ScaleError, match="still moving"):
            take_weight(scale.read())
        scale.close()


def test_silent_scale_reports_no_reply_and_an_unplugged_one_recovers():
    with PtyDevice(None) as dev:
        scale = _scale(dev)
        assert scale.read().state == "no_reply"
        scale.close()
    with PtyDevice(_answer(b"\x02  1.000\r")) as dev:
        scale = _scale(dev)
        assert scale.read().milli_kg == 1000
        dev.unplug()
        assert scale.read().state in ("disconnected", "no_reply")
        scale.close()
    assert Scale(parse_scale_url("toledo8217+serial:///dev/nonexistent-tty")).read().state == "disconnected"


@pytest.mark.parametrize("kind", ["epson", "cd5220"])
def test_display_commands_over_a_pty(kind):
    with PtyDevice(None) as dev:
        display = CustomerDisplay(parse_display_url(f"{kind}+serial://{dev.path}"), timeout=0.3)
        assert display.item("Crème brûlée\x1b@\x0c", "4.50")
        assert display.total("12.00")
        assert display.change("20.00", "8.00")
        assert dev.wait_for(lambda d: d.endswith(b"8.00" + (b"\r" if kind == "cd5220" else b"")))
        data = dev.data()
        display.close()
    if kind == "cd5220":
        assert b"\x1bQACreme brulee@       \r\x1bQB            EUR 4.50\r" in data
    else:
        assert b"\x0c\x0bCreme brulee@       \x1f\x24\x01\x02            EUR 4.50" in data
        assert b"CHANGE" in data and b"TOTAL" in data
    assert data.count(b"\x1b@") == 1  # only our own init, never one from a product name


def test_unplugged_display_is_reported_not_raised():
    with PtyDevice(None) as dev:
        display = CustomerDisplay(parse_display_url(f"epson+serial://{dev.path}"), timeout=0.2)
        assert display.idle("Welcome")
        dev.unplug()
        result, connected = display.idle("Welcome"), display.connected
        display.close()
    assert result is False and connected is False


def test_serial_scanner_joins_split_codes_and_strips_noise():
    with PtyDevice(None) as dev:
        scanner = SerialScanner(parse_scanner_url(f"serial://{dev.path}"), timeout=0.2)
        assert scanner.read_scan() is None  # nothing scanned: no hang
        dev.send(b"40123")
        first = scanner.read_scan()
        dev.send(b"45\x1b\x0067890\r\n")
        codes = [first, scanner.read_scan()]
        dev.unplug()
        with pytest.raises(DeviceIOError, match="not connected"):
            for _ in range(3):
                scanner.read_scan()
        scanner.close()
    assert codes == [None, "4012345678 90".replace(" ", "")]


def test_serial_printer_status_and_print_over_a_pty():
    states = {1: 0x12, 2: 0x12, 4: 0x72}  # paper out on sensor 4

    def printer(chunk: bytes):
        return [bytes([states[chunk[i + 2]]]) for i in range(len(chunk) - 2) if chunk[i : i + 2] == b"\x10\x04"]

    with PtyDevice(printer) as dev:
        link = SerialLink(parse_printer_url(f"escpos+serial://{dev.path}?baudrate=19200"), io_timeout=0.5)
        try:
            status = link.query_status()
            link.write(b"\x1b@hello\n\x1dV\x00")
            assert dev.wait_for(lambda d: d.endswith(b"\x1dV\x00"))
        finally:
            link.close()
    assert status.reachable and status.paper_out and status.state == "paper_out"
    assert decode(dev.data()).lines == ["hello"]


def test_silent_serial_printer_is_unreachable_not_a_hang():
    with PtyDevice(lambda chunk: [b"\x00\xff\x01"]) as dev:
        link = SerialLink(parse_printer_url(f"escpos+serial://{dev.path}"), io_timeout=0.2)
        try:
            status = link.query_status()
        finally:
            link.close()
    assert not status.reachable and "status" in status.sentence()
