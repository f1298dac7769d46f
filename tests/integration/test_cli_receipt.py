"""`tillstone receipt reprint`: a real sale, reprinted to a loopback printer, decoded back to text."""

from __future__ import annotations

from app.cli.main import main
from app.usecases import cart_lifecycle, cart_lines, checkout, shifts
from devices.escpos_decode import decode
from devices.fakes.network_printer import FakeNetworkPrinter
from tests.support.till import BARCODES


def _cash_sale(till) -> str:  # type: ignore[no-untyped-def]
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 10_000)
    cart_id = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, cart_id, "anna", BARCODES["cheese"])
    cart_lines.add_item(ctx, cart_id, "anna", BARCODES["milk"])
    result = checkout.add_payment(ctx, cart_id, "anna", "cash", 2000)
    return result.sale.receipt_no


def test_reprint_is_a_copy_with_the_sale_and_no_drawer_kick(till, capsys):
    receipt = _cash_sale(till)
    with FakeNetworkPrinter() as printer:
        code = main(["--data-dir", str(till.data_dir), "receipt", "reprint", receipt,
                     "--printer", f"escpos+tcp://127.0.0.1:{printer.port}"])
        printed = bytes(printer.received)
    assert code == 0, capsys.readouterr()
    decoded = decode(printed)
    text = decoded.text
    assert "COPY" in text
    assert "Comté cheese" in text and "Milk 1L" in text
    assert "€" in text or "EUR" in text
    assert receipt in text or any(c.args.get("data") == receipt for c in decoded.named("barcode"))
    assert decoded.named("cut")
    assert not decoded.named("drawer_kick")


def test_reprint_of_an_unknown_receipt_or_without_a_printer_is_refused(till, capsys):
    _cash_sale(till)
    assert main(["--data-dir", str(till.data_dir), "receipt", "reprint", "S001-T01-20990101-9999",
                 "--printer", "escpos+tcp://127.0.0.1:9"]) == 2
    assert "No sale has the receipt number" in capsys.readouterr().err
    assert main(["--data-dir", str(till.data_dir), "receipt", "reprint", "S001-T01-20260302-0001"]) == 2
    assert main(["--data-dir", str(till.data_dir), "receipt", "reprint", "S001-T01-20260302-0001",
                 "--printer", "lpt://nowhere"]) == 2


def test_reprint_to_a_printer_that_is_off_says_so(till, capsys):
    receipt = _cash_sale(till)
    with FakeNetworkPrinter() as printer:
        port = printer.port
    assert main(["--data-dir", str(till.data_dir), "receipt", "reprint", receipt,
                 "--printer", f"escpos+tcp://127.0.0.1:{port}", "--timeout", "1"]) == 1
    assert "did not get through" in capsys.readouterr().out


def test_reprint_without_printer_flag_queues_a_copy_the_spool_prints(till, capsys):
    from app.bootstrap import print_store
    from app.usecases import settings
    from devices.printer_link import TcpLink
    from devices.spool import PrintSpool
    from devices.worker import DeviceWorker

    receipt = _cash_sale(till)
    assert print_store(till.ctx).recent() == []  # no printer at the time of the sale: nothing waits
    with FakeNetworkPrinter() as printer:
        ctx = settings.update(till.ctx, "admin", {"device.printer": f"escpos+tcp://127.0.0.1:{printer.port}",
                                                  "device.drawer": "printer:pin2"})
        assert main(["--data-dir", str(till.data_dir), "receipt", "reprint", receipt]) == 0
        assert "queued as print job" in capsys.readouterr().out
        [job] = print_store(ctx).recent()
        assert (job.kind, job.ref, job.kick, job.state) == ("reprint", receipt, b"", "pending")
        spool = PrintSpool(print_store(ctx), lambda: TcpLink("127.0.0.1", printer.port, io_timeout=0.5),
                           backoff=(0.02, 0.1))
        with DeviceWorker() as worker:
            spool.attach(worker)
            assert printer.wait_for(lambda p: spool.pending_count() == 0)
        decoded = decode(printer.printed())
    assert "COPY" in decoded.text and [c.args["data"] for c in decoded.named("barcode")] == [receipt]
    assert not decoded.named("drawer_kick")
