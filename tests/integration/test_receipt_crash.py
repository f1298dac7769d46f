"""A power cut between a cash sale's commit and its printing: the child process that takes the
payment dies by SIGKILL the instant the transaction is on disk. The till restarts over the same
data directory, its spool sends to a loopback printer, and the receipt prints exactly once; the
drawer opens once if the till is back within the kick deadline, never if it is back later."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from app.bootstrap import open_till, print_store
from app.usecases import cart_lifecycle, cart_lines, printing, receipts, settings, shifts
from devices.escpos_decode import decode
from devices.fakes.network_printer import FakeNetworkPrinter
from devices.till_devices import TillDevices
from kernel.clock import ManualClock, iso_utc
from tests.support.crash_after_commit import NOT_KILLED
from tests.support.till import BARCODES, START, make_till

ROOT = Path(__file__).resolve().parents[2]
SOLD_AT = START + timedelta(minutes=5)


def _sell_and_die(data_dir: Path, cart_id: str, amount: int) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    child = subprocess.run(
        [sys.executable, "-m", "tests.support.crash_after_commit", str(data_dir), cart_id, iso_utc(SOLD_AT),
         str(amount)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert child.returncode != NOT_KILLED, "the sale did not commit in the child"
    assert child.returncode == -signal.SIGKILL, child.stderr


def _devices(ctx, clock: ManualClock) -> TillDevices:  # type: ignore[no-untyped-def]
    with ctx.uow(read_only=True) as uow:
        device_settings, problem = printing.device_settings(uow.settings.all())
    assert not problem
    return TillDevices(device_settings, print_store(ctx), clock=clock, io_timeout=1.0)


@pytest.mark.parametrize(("back_after", "kicks"), [(timedelta(seconds=20), 1), (timedelta(minutes=5), 0)])
def test_a_sale_killed_after_its_commit_prints_once_after_the_restart(tmp_path, back_after, kicks):
    till = make_till(tmp_path / "till")
    with FakeNetworkPrinter() as printer:
        shifts.open_shift(till.ctx, "anna", 10_000)  # before the printer: only the sale's receipt is spooled
        ctx = settings.update(till.ctx, "admin", {"device.printer": f"escpos+tcp://127.0.0.1:{printer.port}",
                                                  "device.drawer": "printer:pin2",
                                                  "device.printer_profile": "TM-T20II"})
        cart_id = cart_lifecycle.start_cart(ctx, "anna")
        cart_lines.add_item(ctx, cart_id, "anna", BARCODES["cheese"])
        cart_lines.add_item(ctx, cart_id, "anna", BARCODES["milk"])
        ctx.close()

        _sell_and_die(till.data_dir, cart_id, 2000)
        assert printer.connections == 0 and printer.printed() == b""  # the kill came before any device I/O

        clock = ManualClock(SOLD_AT + back_after)
        restarted = open_till(till.data_dir, clock)  # the till starts again over the same file
        jobs = print_store(restarted).recent()
        assert [(j.kind, j.state, bool(j.kick)) for j in jobs] == [("receipt", "pending", True)]
        receipt_no = jobs[0].ref
        with restarted.uow(read_only=True) as uow:  # the sale is there
            assert receipts.receipt_info(uow, restarted, receipt_no).sale["receipt_no"] == receipt_no

        events: list = []
        devices = _devices(restarted, clock)
        devices.add_observer(events.append)
        devices.start()
        try:
            assert printer.wait_for(lambda p: devices.spool.pending_count() == 0, timeout=20)
        finally:
            devices.stop()
        printed = decode(printer.printed())
        assert [c.args["data"] for c in printed.named("barcode")] == [receipt_no]
        assert sum(receipt_no in line for line in printed.lines) == 1
        assert any("Comté cheese" in line for line in printed.lines)
        assert len(printed.named("cut")) == 1
        assert len(printed.named("drawer_kick")) == kicks
        assert ("drawer_not_opened" in [e.state for e in events]) == (kicks == 0)

        # and a second restart sends nothing more: the job is done for good
        again = _devices(open_till(till.data_dir, clock), clock)
        connections = printer.connections
        assert again.spool.pump() == again.spool.idle_poll
        assert printer.connections == connections and len(decode(printer.printed()).named("cut")) == 1
