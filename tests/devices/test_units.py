"""Pure logic: URLs, DLE EOT bits, the decoder on odd input, wedge timing, drawer pulse and watch, worker."""

from __future__ import annotations

import threading

import pytest

from devices.drawer import DrawerConfigError, DrawerMonitor, OpenTooLongWatch, drawer_is_open, kick_bytes
from devices.escpos_decode import decode
from devices.escpos_status import decode_status
from devices.events import DeviceEvent
from devices.scanner import WedgeParser, resolve
from devices.urls import DeviceUrlError, parse_device_settings, parse_printer_url
from devices.worker import DeviceWorker


def test_device_urls_parse_into_typed_configs():
    s = parse_device_settings({
        "device.printer": "escpos+serial:///dev/ttyS0?baudrate=19200", "device.paper_width": "32",
        "device.drawer": "printer:pin5", "device.display": "cd5220+serial:///dev/ttyUSB1",
        "device.scale": "toledo8217+serial:///dev/ttyS2", "device.scanner": "wedge",
    })
    assert (s.printer.kind, s.printer.serial.baudrate, s.paper_width, s.drawer.pin) == ("serial", 19200, 32, 5)
    assert (s.scale.serial.bytesize, s.scale.serial.parity) == (7, "E")
    assert parse_printer_url("escpos+serial:///dev/ttyS0?flow=dsrdtr").serial.flow == "dsrdtr"
    assert parse_printer_url("escpos+tcp://10.0.0.7").port == 9100
    assert parse_printer_url("escpos+usb://04b8:0202").product_id == 0x0202
    assert parse_printer_url("escpos+file:///dev/usb/lp0").path == "/dev/usb/lp0"
    assert not parse_device_settings({}).printer.enabled


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("device.printer", "escpos+tcp://:9100", "host name"),
        ("device.printer", "escpos+tcp://printer:99999", "port"),
        ("device.printer", "ipp://printer", "unknown kind"),
        ("device.printer", "printer.local", "not a URL"),
        ("device.printer", "escpos+serial:///dev/ttyS0?baudrate=1234", "baud rate"),
        ("device.printer", "escpos+serial:///dev/ttyS0?speed=9600", "unknown options"),
        ("device.printer", "escpos+usb://epson", "vendor:product"),
        ("device.printer", "escpos+serial:///dev/ttyS0?flow=maybe", "flow control"),
        ("device.paper_width", "80", "32, 42 or 48"),
        ("device.drawer", "printer:pin3", "pin2"),
        ("device.display", "vfd+serial:///dev/ttyS1", "epson\\+serial"),
        ("device.scale", "toledo8217+tcp://1.2.3.4", "toledo8217\\+serial"),
        ("device.scanner", "usb", "wedge"),
    ],
)
def test_malformed_device_urls_give_a_sentence(key, value, words):
    with pytest.raises(DeviceUrlError, match=words):
        parse_device_settings({key: value})


def test_dle_eot_bits():
    assert decode_status({1: 0x12, 2: 0x12, 4: 0x12}).state == "ready"
    assert decode_status({1: 0x1A, 2: 0x16, 4: 0x12}).state == "cover_open"
    assert decode_status({1: 0x1A, 2: 0x32, 4: 0x72}).state == "paper_out"
    assert decode_status({1: 0x12, 2: 0x12, 4: 0x1E}).state == "paper_near_end"
    assert decode_status({1: 0x12, 2: 0x12, 4: 0x1E}).ready
    assert decode_status({1: 0x1A, 2: 0x12, 4: 0x12}).state == "offline"
    assert decode_status({1: 0x16, 2: 0x12, 4: 0x12}).drawer_pin3_high
    assert decode_status({1: 0x12, 2: 0xFF, 4: 0x12}).state == "unreachable"  # noise is not a status
    assert not decode_status({1: 0x12}).reachable


def test_decoder_tracks_code_pages_and_survives_truncation():
    out = decode(b"\x1b@\x1bt\x13\xd5 caf\x82\n\x1bt\x10\x80\n\x1b@\x82\n\x1dV")
    assert out.lines == ["€ café", "€", "é"]
    assert [c.name for c in out.commands] == ["init", "codepage", "codepage", "init", "cut"]
    assert decode(b"\x1dk\x49\x05{Bab").named("barcode")[0].args["data"] == "ab"
    assert decode(b"\x1b").commands[0].name == "unknown_esc"


def test_wedge_parser_tells_a_scanner_from_a_person():
    parser, t, codes = WedgeParser(), 0.0, []
    for key in "4006381333931":
        t += 0.01
        codes.append(parser.feed(key, t))
    codes.append(parser.feed("\r", t + 0.01))
    assert codes[-1] == "4006381333931" and codes[:-1] == [None] * 13
    for i, key in enumerate("12"):
        assert parser.feed(key, 10.0 + i * 0.5) is None  # a person typing
    assert parser.feed("Enter", 11.0) is None
    assert parser.take_passthrough() == "12\n"


def test_scanned_codes_are_checked_by_the_catalogue_rules():
    from kernel.barcodes import BarcodeError

    assert resolve("4006381333931").kind == "gtin"
    assert resolve("2312345012340").qty_milli == 1234  # in-store weight code, 1.234 kg
    with pytest.raises(BarcodeError, match="check digit"):
        resolve("4006381333932")


def test_drawer_pulse_stays_within_the_duty_limit():
    assert kick_bytes() == b"\x1bp\x00\x19\xfa"
    assert kick_bytes(5, 100, 500) == b"\x1bp\x01\x32\xfa"
    with pytest.raises(DrawerConfigError, match="on too long"):
        kick_bytes(2, 250, 250)
    with pytest.raises(DrawerConfigError, match="pin 2 or pin 5"):
        kick_bytes(3)


def test_drawer_sensor_polarity_and_open_too_long_warning():
    high = decode_status({1: 0x16, 2: 0x12, 4: 0x12})
    assert drawer_is_open(high, open_when_high=True) and not drawer_is_open(high)
    watch = OpenTooLongWatch(limit=30)
    assert [watch.update(True, t) for t in (0, 10, 31, 40)] == [False, False, True, False]
    assert watch.update(False, 41) is False and watch.update(True, 50) is False

    events: list[DeviceEvent] = []
    clock = iter([0.0, 5.0, 45.0, 46.0])
    monitor = DrawerMonitor(lambda: high, events.append, open_when_high=True, limit=30, now=lambda: next(clock))
    for _ in range(3):
        monitor.poll()
    assert [e.state for e in events] == ["open", "open_too_long"]


def test_worker_runs_calls_reports_errors_and_stops_cleanly():
    events: list[DeviceEvent] = []
    runs = []

    def flaky() -> float | None:
        runs.append(threading.current_thread().name)
        if len(runs) == 1:
            raise OSError("cable pulled")
        return None if len(runs) >= 2 else 0.01

    with DeviceWorker("t", retry_after_error=0.01) as worker:
        worker.add_observer(events.append)
        worker.add_observer(lambda e: 1 / 0)  # a broken listener does not stop the worker
        handle = worker.every(flaky)
        assert worker.submit(lambda a, b: a + b, 2, 3).result(timeout=5) == 5
        failing = worker.submit(lambda: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            failing.result(timeout=5)
        deadline = threading.Event()
        deadline.wait(0.2)
        handle.cancel()
    assert runs == ["t-worker", "t-worker"]
    assert [e.state for e in events] == ["error"] and "cable pulled" in events[0].message
    assert worker._thread is not None and not worker._thread.is_alive()
