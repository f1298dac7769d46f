"""Print jobs land in the business action's own transaction: a sale's receipt and drawer kick, a
refund slip, cash in/out slips and the shift close slip exist exactly when their record does.
Real till files, the real spool sending to a loopback printer, bytes decoded back to text."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from app.audit import format_v1
from app.bootstrap import DB_NAME, print_store
from app.usecases import cart_lifecycle, cart_lines, checkout, returns, settings, shifts
from db.engine import make_engine
from db.uow import UnitOfWork
from devices.escpos_decode import decode
from devices.fakes.network_printer import FakeNetworkPrinter
from devices.fakes.pty_device import PtyDevice
from devices.printer_link import TcpLink
from devices.spool import PrintSpool
from devices.till_devices import TillDevices
from devices.urls import parse_device_settings
from devices.worker import DeviceWorker
from kernel.errors import InvalidInput
from tests.support.till import BARCODES


class CommitFails(UnitOfWork):
    """The till's unit of work whose COMMIT fails (a full disk): everything it did is rolled back."""

    def commit(self) -> None:
        raise OSError("disk I/O error")


def _failing(ctx):  # type: ignore[no-untyped-def]
    till, engine = ctx.settings.audit_till, make_engine(Path(ctx.data_dir) / DB_NAME)
    return replace(ctx, uow_factory=lambda read_only=False, durable=True: CommitFails(
        engine, till, format_v1, read_only=read_only, durable=durable))


@pytest.fixture
def printer():
    with FakeNetworkPrinter() as fake:
        yield fake


def _with_printer(till, printer):  # type: ignore[no-untyped-def]
    till.ctx = settings.update(till.ctx, "admin", {
        "device.printer": f"escpos+tcp://127.0.0.1:{printer.port}", "device.drawer": "printer:pin2",
        "device.printer_profile": "TM-T20II"})
    return till.ctx


def _jobs(ctx) -> list[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    return [(j.kind, j.ref, bool(j.kick)) for j in reversed(print_store(ctx).recent())]


def _print_all(ctx, printer) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """Run the spool until nothing waits; what the printer received, one list of lines per cut."""
    spool = PrintSpool(print_store(ctx), lambda: TcpLink("127.0.0.1", printer.port, connect_timeout=0.5,
                                                         io_timeout=0.5), clock=ctx.clock, backoff=(0.02, 0.1))
    with DeviceWorker() as worker:
        spool.attach(worker)
        assert printer.wait_for(lambda p: spool.pending_count() == 0)
    decoded = decode(printer.printed())
    cuts = [c.line for c in decoded.named("cut")]
    return [decoded.lines[a:b] for a, b in zip([0, *cuts], cuts, strict=False)]


def _cart(ctx, *codes: str) -> str:  # type: ignore[no-untyped-def]
    cart_id = cart_lifecycle.start_cart(ctx, "anna")
    for code in codes:
        cart_lines.add_item(ctx, cart_id, "anna", BARCODES[code])
    return cart_id


def _sales(ctx) -> int:  # type: ignore[no-untyped-def]
    con = sqlite3.connect(Path(ctx.data_dir) / DB_NAME)
    try:
        return con.execute("SELECT count(*) FROM sales").fetchone()[0]
    finally:
        con.close()


def test_a_sale_that_does_not_commit_never_prints(till, printer):
    shifts.open_shift(till.ctx, "anna", 10_000)  # before the printer: no open slip in the way
    ctx = _with_printer(till, printer)
    cart_id = _cart(ctx, "cheese")
    with pytest.raises(OSError, match="disk I/O error"):
        checkout.add_payment(_failing(ctx), cart_id, "anna", "cash", 2000)
    assert _sales(ctx) == 0 and _jobs(ctx) == []

    # the receipt's own insert fails (a real SQLite error): the sale goes with it
    with sqlite3.connect(till.data_dir / "till.sqlite") as db:
        db.execute("CREATE TRIGGER refuse_jobs BEFORE INSERT ON print_jobs "
                   "BEGIN SELECT RAISE(ABORT, 'spool refused'); END")
    with pytest.raises(IntegrityError, match="spool refused"):
        checkout.add_payment(ctx, cart_id, "anna", "cash", 2000)
    assert _sales(ctx) == 0 and _jobs(ctx) == [] and cart_lifecycle.get_cart(ctx, cart_id).payments == ()
    with sqlite3.connect(till.data_dir / "till.sqlite") as db:
        db.execute("DROP TRIGGER refuse_jobs")

    sale = checkout.add_payment(ctx, cart_id, "anna", "cash", 2000).sale
    assert sale.receipt_no.endswith("-0001")  # the failed attempts used no receipt number
    assert _jobs(ctx) == [("receipt", sale.receipt_no, True)]
    printed = _print_all(ctx, printer)
    assert len(printed) == 1 and sum(sale.receipt_no in line for line in printed[0]) == 1
    assert len(decode(printer.printed()).named("drawer_kick")) == 1


def test_a_card_sale_prints_without_opening_the_drawer(till, printer):
    shifts.open_shift(till.ctx, "anna", 10_000)  # before the printer: no open slip in the way
    ctx = _with_printer(till, printer)
    sale = checkout.add_payment(ctx, _cart(ctx, "milk"), "anna", "card", 119).sale
    assert _jobs(ctx) == [("receipt", sale.receipt_no, False)]
    assert any("Milk 1L" in line for line in _print_all(ctx, printer)[0])
    assert decode(printer.printed()).named("drawer_kick") == []


def test_the_refund_slip_lands_with_the_refund(till, printer):
    shifts.open_shift(till.ctx, "anna", 10_000)  # before the printer: no open slip in the way
    ctx = _with_printer(till, printer)
    sale = checkout.add_payment(ctx, _cart(ctx, "cheese", "milk"), "anna", "cash", 2000).sale
    cheese = next(line.id for line in sale.lines if line.sku == "CHEESE")
    with pytest.raises(OSError):
        returns.refund(_failing(ctx), sale.receipt_no, "anna", [(cheese, 1000)], to="cash",
                       approval=till.approval("customer return"))
    assert _jobs(ctx) == [("receipt", sale.receipt_no, True)]
    with ctx.uow(read_only=True) as uow:
        assert uow.sales.refunds_of(sale.id) == []

    record = returns.refund(ctx, sale.receipt_no, "anna", [(cheese, 1000)], to="cash",
                            approval=till.approval("customer return"))
    assert _jobs(ctx) == [("receipt", sale.receipt_no, True), ("slip", record.receipt_no, True)]
    receipt, slip = _print_all(ctx, printer)
    assert "REFUND" in slip and record.receipt_no in slip
    assert any(line.startswith("Comté cheese") and line.endswith("12.90") for line in slip)
    assert any(line.startswith("TOTAL") and line.endswith("12.90") for line in slip)
    assert len(decode(printer.printed()).named("drawer_kick")) == 2  # the sale's cash, the cash handed back


def test_cash_in_out_and_close_slips_land_with_their_records(till, printer):
    ctx = _with_printer(till, printer)
    shifts.open_shift(ctx, "anna", 10_000)
    shifts.cash_in(ctx, "anna", 2000, "change from the safe")
    with pytest.raises(OSError):
        shifts.cash_out(_failing(ctx), "anna", 500, "window cleaner", approval=till.approval())
    with pytest.raises(InvalidInput):
        shifts.cash_out(ctx, "anna", 10_000_000, "more than the drawer holds", approval=till.approval())
    assert [kind for kind, _, _ in _jobs(ctx)] == ["slip", "slip"]
    shifts.cash_out(ctx, "anna", 500, "window cleaner", approval=till.approval())
    with pytest.raises(OSError):
        shifts.close_shift(_failing(ctx), "anna", 11_500)
    assert shifts.current_shift(ctx) is not None and len(_jobs(ctx)) == 3
    shifts.close_shift(ctx, "anna", 11_400, "one coin short")
    assert [(kind, kick) for kind, _, kick in _jobs(ctx)] == [
        ("slip", False), ("slip", True), ("slip", True), ("slip", False)]

    opened, cash_in, cash_out, close = _print_all(ctx, printer)
    assert "SHIFT OPEN" in opened and ["Opening", "float", "100.00"] in [line.split() for line in opened]
    assert ["Transactions", "0"] in [line.split() for line in opened]
    assert ["Cash", "operations", "2"] in [line.split() for line in close]
    assert "CASH IN" in cash_in and "change from the safe" in cash_in
    assert any(line.startswith("Amount") and line.endswith("20.00") for line in cash_in)
    assert "CASH OUT" in cash_out and "window cleaner" in cash_out
    assert any(line.startswith("Signature") for line in cash_out)
    assert not any(line.startswith("Signature") for line in cash_in)
    assert "SHIFT CLOSE" in close and "one coin short" in close
    assert [line.split() for line in close if line.split()[:1] in (["Counted"], ["Expected"], ["Difference"])] == [
        ["Counted", "114.00"], ["Expected", "115.00"], ["Difference", "-1.00"]]
    assert ["Differences", "to", "resolve", "1"] in [line.split() for line in close]
    assert len(decode(printer.printed()).named("drawer_kick")) == 2  # cash in, cash out; the close does not kick


def test_without_a_printer_nothing_waits_and_a_serial_drawer_still_opens(till):
    ctx = till.ctx  # no printer, no drawer: a sale stores no job (no backlog for a printer set up later)
    shifts.open_shift(ctx, "anna", 10_000)
    checkout.add_payment(ctx, _cart(ctx, "milk"), "anna", "cash", 200)
    assert _jobs(ctx) == []
    with PtyDevice(None) as drawer:
        ctx = settings.update(ctx, "admin", {"device.drawer": f"serial://{drawer.path}"})
        sale = checkout.add_payment(ctx, _cart(ctx, "bread"), "anna", "cash", 500).sale
        checkout.add_payment(ctx, _cart(ctx, "bread"), "anna", "card", 349)  # no cash: nothing to do
        shifts.cash_in(ctx, "anna", 1000, "float top-up")
        jobs = list(reversed(print_store(ctx).recent()))
        assert [(j.kind, j.ref, j.body, bool(j.kick)) for j in jobs] == [
            ("receipt", sale.receipt_no, b"", True), ("slip", jobs[1].ref, b"", True)]
        with ctx.uow(read_only=True) as uow:
            device_settings = parse_device_settings(uow.settings.all())
        devices = TillDevices(device_settings, print_store(ctx), clock=ctx.clock, io_timeout=0.5).start()
        try:
            assert drawer.wait_for(lambda data: data.count(devices.kick) == 2)
            assert drawer.wait_for(lambda _: devices.spool.pending_count() == 0)  # kick-only jobs are done
        finally:
            devices.stop()
        assert drawer.data() == devices.kick * 2

