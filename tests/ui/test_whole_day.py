"""The issue's long flow, driven through the widgets as a cashier and a supervisor would."""

from __future__ import annotations

from typing import Any

from devices.escpos_decode import decode
from tests.support.till import BARCODES


def scan(driver: Any, code: str) -> None:
    driver.type("scan", code, enter=True)
    driver.idle()


def test_a_whole_day_at_the_till(driver: Any) -> None:
    shell = driver.shell
    # log in, count the float by denomination, open the shift
    driver.login("anna")
    driver.type("count_5000", "2")
    driver.type("count_200", "5")
    driver.tap("shOpen")
    assert shell.current() == "sale"
    assert shell.shift.opening_float == 11000

    # three items, one weighed on the scale
    scan(driver, BARCODES["milk"])
    scan(driver, BARCODES["bread"])
    driver.scale.frames.append(b"\x02 001.250\r")
    scan(driver, "APPLE")
    driver.qtbot.waitUntil(lambda: shell.screens["sale"].table.rowCount() == 3, timeout=5000)
    sale = shell.screens["sale"]
    assert sale.table.item(2, 1).text() == "1.250 kg"

    # 10 % off the milk, by touch
    sale.table.selectRow(0)
    driver.tap("btnDiscount")
    driver.type("entryField", "10%", enter=True)
    assert sale.view.priced.lines[0].discount == 12
    gross = sale.view.priced.gross

    # split payment: 5.00 by card, the rest in cash with a 20 note
    driver.tap("btnPay")
    driver.type("amount", "5")
    driver.tap("payCard")
    assert "still to pay" in driver.banner()
    driver.type("amount", "20")
    driver.tap("payCash")
    pay = shell.screens["payment"]
    assert pay.sale is not None
    receipt_no = pay.sale.receipt_no
    assert pay.sale.change == 2500 - gross
    assert shell.money(2500 - gross) in pay.change.text()

    # the receipt, read back from what the spool sent to the loopback printer: one job, the
    # drawer kicked once (cash was part of the payment)
    jobs = driver.receipts()
    assert len(jobs) == 1 and driver.jobs()[0][0].strip() == "SHIFT OPEN"
    assert any(receipt_no in line for line in jobs[-1])
    assert any("Sourdough bread" in line for line in jobs[-1])
    assert any(line.strip().startswith("Change") for line in jobs[-1])
    assert len(decode(driver.printer.printed()).named("drawer_kick")) == 1

    # a reprint is a COPY and never opens the drawer
    driver.tap("reprint")
    driver.qtbot.waitUntil(lambda: len(driver.receipts()) == 2, timeout=10000)
    copy = driver.receipts()[-1]
    assert "*** COPY ***" in "\n".join(copy) and any(receipt_no in line for line in copy)
    assert len(decode(driver.printer.printed()).named("drawer_kick")) == 1

    # next sale: park it, resume it, pay exact cash
    driver.tap("newSale")
    scan(driver, BARCODES["cheese"])
    driver.tap("btnPark")
    assert sale.table.rowCount() == 0
    driver.tap("btnResume")
    sale.picks.pick(0)
    driver.idle()
    assert sale.table.rowCount() == 1
    driver.tap("btnPay")
    driver.tap("quick_0")
    second = pay.sale.receipt_no
    driver.tap("newSale")

    # return the bread from the first receipt: a supervisor approves on the overlay
    driver.tap("btnReturns")
    driver.type("receiptNo", receipt_no, enter=True)
    returns = shell.screens["returns"]
    returns.table.selectRow(1)
    driver.tap("retPlus")
    driver.tap("retRefund")
    driver.approve("sofia", "customer return")
    assert "Refunded" in driver.banner()
    assert returns.found.left[returns.found.sale.lines[1].id] == 0

    # void the cheese sale with a supervisor override
    driver.type("receiptNo", second, enter=True)
    driver.tap("retVoid")
    driver.approve("sofia", "wrong item")
    assert returns.found.voided
    assert "voided" in driver.banner()

    # blind close: count the drawer, learn the difference afterwards, supervisor resolves it
    driver.tap("retBack")
    driver.tap("btnShift")
    driver.type("count_5000", "2")
    driver.type("count_500", "1")
    driver.tap("shClose")
    screen = shell.screens["shift"]
    assert "Shift closed" in screen.state.text()
    assert shell.shift is None
    if screen.open_discrepancies:
        driver.type("shiftReason", "miscounted change")
        driver.tap("shResolve")
        driver.approve("sofia", "miscounted change")
        assert not screen.open_discrepancies

    # the supervisor prints the day's Z report
    shell.logout()
    driver.login("sofia")
    driver.tap("shZ")
    driver.tap("zYes")  # the Z asks first
    assert "Z REPORT" in screen.preview.toPlainText()
    driver.tap("shPrint")
    driver.qtbot.waitUntil(lambda: any("Z REPORT" in "\n".join(job) for job in driver.receipts()), timeout=10000)
