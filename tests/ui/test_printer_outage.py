"""The loopback printer runs out of paper, then goes off, in the middle of the day: the banner
says so, selling goes on, and once the printer is back the waiting receipt prints exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devices.escpos_decode import decode
from tests.support.till import BARCODES

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def test_printer_out_of_paper_then_off_mid_day(driver: Any) -> None:
    shell, printer = driver.shell, driver.printer
    driver.login("anna")
    driver.type("count_5000", "2")
    driver.tap("shOpen")
    driver.qtbot.waitUntil(lambda: shell.devices.state == "ready", timeout=5000)

    printer.set_state(paper_out=True)
    driver.type("scan", BARCODES["milk"], enter=True)
    driver.tap("btnPay")
    driver.tap("quick_0")  # exact cash
    receipt_no = shell.screens["payment"].sale.receipt_no
    driver.qtbot.waitUntil(lambda: "out of paper" in driver.banner(), timeout=10000)
    assert shell.status.printer.text() == "Printer: out of paper"
    assert driver.find("bannerAction").text().startswith("Reprint")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shell.grab().save(str(SHOTS / "printer-out-of-paper.png"))

    # the sale is not blocked: the next one goes through while the receipt waits
    driver.tap("newSale")
    driver.type("scan", BARCODES["bread"], enter=True)
    assert shell.screens["sale"].table.rowCount() == 1
    printer.power_off()
    driver.qtbot.waitUntil(lambda: "does not answer" in driver.banner(), timeout=15000)
    assert printer.printed() == b""

    printer.set_state()
    printer.power_on()
    jobs = driver.receipts()
    driver.qtbot.waitUntil(lambda: "back" in driver.banner(), timeout=5000)
    assert len(jobs) == 1 and any(receipt_no in line for line in jobs[0])
    assert len(decode(printer.printed()).named("drawer_kick")) == 1  # cash sale, within the kick deadline
    driver.qtbot.wait(1500)  # another spool round: nothing more is sent
    assert len(driver.receipts()) == 1
