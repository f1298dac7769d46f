"""The spool against a fake network printer on a real socket: exactly once, waits, recovers."""

from __future__ import annotations

from datetime import UTC, datetime

from db.spool_repo import SpoolRepo, SpoolStore
from devices.drawer import kick_bytes
from devices.escpos_decode import decode
from devices.printer_link import TcpLink
from devices.receipt import PrintJob, ReceiptContext, render_receipt
from devices.spool import PrintSpool
from devices.worker import DeviceWorker
from kernel.clock import ManualClock
from tests.devices.conftest import SALE

CTX = ReceiptContext(store_name="Zoë", till_id="S001-T01", profile="TM-T20II", audit_seq=1, short_hash="ab")


def _spool(engine, printer, events, clock=None):
    spool = PrintSpool(
        SpoolStore(engine), lambda: TcpLink("127.0.0.1", printer.port, connect_timeout=0.5, io_timeout=0.5),
        clock=clock, backoff=(0.02, 0.1), idle_poll=0.2,
    )
    spool.add_observer(events.append)
    return spool


def _receipt(n: int, kick: bytes = b"") -> PrintJob:
    sale = {**SALE, "receipt_no": f"S001-T01-20261121-{n:04d}"}
    return render_receipt(sale, CTX, kick=kick)


def _numbers(data: bytes) -> list[str]:
    return [c.args["data"] for c in decode(data).named("barcode")]


def _cuts(data: bytes) -> int:
    return len(decode(data).named("cut"))


def test_printer_switched_off_mid_spool_prints_every_job_exactly_once(engine, printer):
    events: list = []
    spool = _spool(engine, printer, events)
    with DeviceWorker() as worker:
        spool.attach(worker)
        for n in (1, 2):
            spool.enqueue(_receipt(n))
        assert printer.wait_for(lambda p: spool.pending_count() == 0)  # confirmed, not just received
        printer.power_off()
        for n in (3, 4, 5):
            spool.enqueue(_receipt(n))
        assert printer.wait_for(lambda p: spool.state == "unreachable")
        assert spool.pending_count() == 3
        printer.power_on()
        assert printer.wait_for(lambda p: _cuts(p.printed()) == 5)
        assert printer.wait_for(lambda p: spool.pending_count() == 0)
    assert _numbers(printer.printed()) == [f"S001-T01-20261121-{n:04d}" for n in range(1, 6)]
    assert {e.state for e in events} >= {"unreachable", "ready", "printed"}
    assert all(j.state == "done" for j in spool.recent())


def test_connection_dropped_mid_job_resends_the_whole_job_once(engine, printer):
    events: list = []
    spool = _spool(engine, printer, events)
    body = _receipt(7).body
    printer.drop_after = 9 + len(body) // 2  # 9 bytes of status queries, then half the receipt
    with DeviceWorker() as worker:
        spool.attach(worker)
        job_id = spool.enqueue(_receipt(7))
        assert printer.wait_for(lambda p: _cuts(p.printed()) == 1)
        assert printer.wait_for(lambda p: spool.pending_count() == 0)
    printed = decode(printer.printed())
    assert len(printed.named("cut")) == 1  # the broken half never got its cut
    job = next(j for j in spool.recent() if j.id == job_id)
    assert job.state == "done" and job.attempts >= 1
    assert _numbers(printer.printed()) == ["S001-T01-20261121-0007"]


def test_unconfirmed_job_is_resent_with_a_duplicate_warning(engine, printer):
    """The documented window: the printer took every byte, then died before answering."""
    spool = _spool(engine, printer, [])
    job = _receipt(12)
    printer.drop_after = 9 + len(job.body)  # status queries, the whole body, then gone
    with DeviceWorker() as worker:
        spool.attach(worker)
        spool.enqueue(job)
        assert printer.wait_for(lambda p: spool.pending_count() == 0)
    printed = decode(printer.printed())
    assert _numbers(printer.printed()) == ["S001-T01-20261121-0012"] * 2
    banner = next(i for i, line in enumerate(printed.lines) if line.startswith("*** RESENT"))
    first_cut, second_cut = (c.line for c in printed.named("cut"))
    assert first_cut <= banner < second_cut


def test_paper_out_keeps_the_job_waiting_then_prints_it_with_one_kick(engine, printer):
    events: list = []
    spool = _spool(engine, printer, events)
    printer.set_state(paper_out=True)
    with DeviceWorker() as worker:
        spool.attach(worker)
        spool.enqueue(_receipt(9, kick=kick_bytes()))
        assert printer.wait_for(lambda p: spool.state == "paper_out")
        assert printer.printed() == b""
        printer.set_state()
        assert printer.wait_for(lambda p: _cuts(p.printed()) == 1)
    out = decode(printer.printed())
    assert len(out.named("drawer_kick")) == 1
    assert "The receipt printer is out of paper." in [e.message for e in events]


def test_a_late_printer_does_not_pop_the_drawer_open(engine, printer):
    events: list = []
    clock = ManualClock(datetime(2026, 11, 21, 10, tzinfo=UTC))
    spool = _spool(engine, printer, events, clock=clock)
    printer.power_off()
    spool.enqueue(_receipt(3, kick=kick_bytes()))
    clock.advance(minutes=5)
    printer.power_on()
    with DeviceWorker() as worker:
        spool.attach(worker)
        assert printer.wait_for(lambda p: _cuts(p.printed()) == 1)
    assert decode(printer.printed()).named("drawer_kick") == []
    assert "drawer_not_opened" in [e.state for e in events]


def test_stalled_printer_is_reported_and_nothing_is_lost(engine, printer):
    events: list = []
    spool = _spool(engine, printer, events)
    printer.stalled = True
    with DeviceWorker() as worker:
        spool.attach(worker)
        spool.enqueue(_receipt(4))
        assert printer.wait_for(lambda p: spool.state == "unreachable")
        printer.stalled = False
        assert printer.wait_for(lambda p: spool.pending_count() == 0)
    assert _numbers(printer.printed()) == ["S001-T01-20261121-0004"]


def test_reprint_by_hand_is_a_copy_without_kick(engine, printer):
    events: list = []
    spool = _spool(engine, printer, events)
    with DeviceWorker() as worker:
        spool.attach(worker)
        first = spool.enqueue(_receipt(5, kick=kick_bytes()))
        assert printer.wait_for(lambda p: _cuts(p.printed()) == 1)
        spool.reprint(first)
        assert printer.wait_for(lambda p: _cuts(p.printed()) == 2)
    out = decode(printer.printed())
    assert len(out.named("drawer_kick")) == 1
    assert "*** COPY ***" in out.lines
    assert _numbers(printer.printed()) == ["S001-T01-20261121-0005"] * 2


def test_jobs_survive_a_restart(engine, printer):
    printer.power_off()
    first = _spool(engine, printer, [])
    first.enqueue(_receipt(6))
    printer.power_on()
    second = _spool(engine, printer, [])  # a new process over the same database
    with DeviceWorker() as worker:
        second.attach(worker)
        assert printer.wait_for(lambda p: second.pending_count() == 0)
    assert _numbers(printer.printed()) == ["S001-T01-20261121-0006"]


def test_noise_instead_of_status_is_not_taken_for_a_ready_printer(engine, printer):
    events: list = []
    spool = _spool(engine, printer, events)
    printer.status = {1: 0xFF, 2: 0x00, 4: 0x41}  # bytes that do not match 0xx1xx10
    with DeviceWorker() as worker:
        spool.attach(worker)
        spool.enqueue(_receipt(8))
        assert printer.wait_for(lambda p: spool.state == "unreachable")
        assert printer.printed() == b""
        printer.set_state()
        assert printer.wait_for(lambda p: spool.pending_count() == 0)
    assert _numbers(printer.printed()) == ["S001-T01-20261121-0008"]


def test_serial_printer_that_goes_silent_and_comes_back(engine):
    from devices.fakes.pty_device import PtyDevice
    from devices.printer_link import SerialLink
    from devices.urls import parse_printer_url

    answering = {"on": False}

    def serial_printer(chunk: bytes):
        if not answering["on"]:
            return None  # switched off: the port is there, nobody answers
        return [bytes([0x12]) for i in range(len(chunk) - 1) if chunk[i : i + 2] == b"\x10\x04"]

    events: list = []
    with PtyDevice(serial_printer) as dev:
        cfg = parse_printer_url(f"escpos+serial://{dev.path}?baudrate=19200")
        spool = PrintSpool(SpoolStore(engine), lambda: SerialLink(cfg, io_timeout=0.2), backoff=(0.02, 0.1),
                           idle_poll=0.2)
        spool.add_observer(events.append)
        with DeviceWorker() as worker:
            spool.attach(worker)
            spool.enqueue(_receipt(11))
            assert dev.wait_for(lambda d: spool.state == "unreachable")
            answering["on"] = True
            assert dev.wait_for(lambda d: spool.pending_count() == 0)
        printed = dev.data()
    assert _numbers(printed) == ["S001-T01-20261121-0011"]
    assert [e.state for e in events if e.job_id is None][:2] == ["unreachable", "ready"]


def _add_in(conn, job: PrintJob) -> int:
    """What a use case's unit of work does (`uow.print_jobs.add`) inside its own transaction."""
    return SpoolRepo(conn).add(created_at="2026-11-21T10:00:00.000000Z", kind=job.kind, ref=job.ref, body=job.body)


def test_a_job_added_in_a_rolled_back_transaction_never_prints(engine, printer):
    spool = _spool(engine, printer, [])
    conn = engine.connect()
    trans = conn.begin()
    _add_in(conn, _receipt(20))
    trans.rollback()  # the sale failed: no receipt for it
    conn.close()
    with engine.begin() as conn:
        kept = _add_in(conn, _receipt(21))
    with DeviceWorker() as worker:
        spool.attach(worker)
        assert printer.wait_for(lambda p: spool.pending_count() == 0)
    assert _numbers(printer.printed()) == ["S001-T01-20261121-0021"] and kept
