"""The facade the GUI and CLI use, end to end over loopback TCP and a pseudo-terminal."""

from __future__ import annotations

from db.spool_repo import SpoolStore
from devices.escpos_decode import decode
from devices.fakes.pty_device import PtyDevice
from devices.receipt import ReceiptContext, render_receipt
from devices.till_devices import TillDevices
from devices.urls import parse_device_settings
from tests.devices.conftest import SALE

CTX = ReceiptContext(store_name="Zoë", till_id="S001-T01", profile="TM-T20II")


def _devices(engine, printer, **more):
    settings = parse_device_settings({
        "device.printer": f"escpos+tcp://127.0.0.1:{printer.port}", "device.drawer": "printer:pin2", **more,
    })
    return TillDevices(settings, SpoolStore(engine), io_timeout=0.5)


def test_cash_sale_prints_with_one_kick_and_status_is_reported(engine, printer):
    events: list = []
    devices = _devices(engine, printer)
    devices.add_observer(events.append)
    devices.start()
    try:
        devices.print_job(render_receipt(SALE, CTX, kick=devices.kick))
        devices.print_job(render_receipt(SALE, ReceiptContext(**{**CTX.__dict__, "copy": True}), kick=devices.kick))
        assert printer.wait_for(lambda p: len(decode(p.printed()).named("cut")) == 2)
        assert devices.printer_status().result(timeout=5).state == "ready"
        printer.set_state(cover_open=True)
        assert devices.printer_status().result(timeout=5).state == "cover_open"
    finally:
        devices.stop()
    out = decode(printer.printed())
    assert len(out.named("drawer_kick")) == 1 and "*** COPY ***" in out.lines
    assert "printed" in [e.state for e in events]


def test_no_sale_kick_goes_straight_out_even_with_paper_out(engine, printer):
    devices = _devices(engine, printer).start()
    try:
        assert devices.open_drawer().result(timeout=5) is True
        printer.set_state(paper_out=True)
        assert devices.open_drawer().result(timeout=5) is True
        printer.power_off()
        assert devices.open_drawer().result(timeout=5) is False
    finally:
        devices.stop()
    kicks = decode(printer.printed()).named("drawer_kick")
    assert [k.args.get("realtime", False) for k in kicks] == [False, True]


def test_display_and_scale_through_the_worker(engine, printer):
    scale = PtyDevice(lambda chunk: [b"\x02  0.750\r"] if b"W" in chunk else None).start()
    display = PtyDevice(None).start()
    devices = _devices(engine, printer, **{
        "device.scale": f"toledo8217+serial://{scale.path}?bytesize=8&parity=N",
        "device.display": f"epson+serial://{display.path}",
    }).start()
    try:
        assert devices.weigh().result(timeout=5).milli_kg == 750
        assert devices.show("total", "12.00").result(timeout=5) is True
        assert display.wait_for(lambda d: b"EUR 12.00" in d)
    finally:
        devices.stop()
        scale.stop()
        display.stop()


def test_a_serial_drawer_opens_at_once_while_the_receipt_waits_for_the_printer(engine, printer):
    from dataclasses import replace

    from devices.receipt import render_receipt

    drawer = PtyDevice(None).start()
    devices = _devices(engine, printer, **{"device.drawer": f"serial://{drawer.path}"})
    printer.power_off()
    devices.start()
    try:
        devices.spool.enqueue(replace(render_receipt(SALE, CTX), kick=devices.kick))
        assert drawer.wait_for(lambda data: data == devices.kick)
        assert printer.printed() == b"" and devices.spool.pending_count() == 1  # the paper waits, the cash does not
        printer.power_on()
        assert printer.wait_for(lambda p: devices.spool.pending_count() == 0)
    finally:
        devices.stop()
        drawer.stop()
    assert len(decode(printer.printed()).named("cut")) == 1
    assert decode(printer.printed()).named("drawer_kick") == []  # the pulse went to the drawer, once
    assert drawer.data() == devices.kick
