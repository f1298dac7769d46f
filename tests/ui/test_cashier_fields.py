"""Fields start clean for the next person: after their action, and on logout every screen is
reset (typed amounts and reasons, the supervisor's Z preview, a receipt or customer looked up)."""

from __future__ import annotations

from typing import Any

from tests.support.till import BARCODES


def test_fields_are_clean_after_their_action_and_for_the_next_person(driver: Any) -> None:
    shell = driver.shell
    shift = shell.screens["shift"]
    driver.login("anna")
    driver.type("count_5000", "2")
    driver.tap("shOpen")
    driver.type("scan", BARCODES["milk"], enter=True)
    driver.tap("btnPay")
    driver.type("amount", "5")
    driver.tap("payCash")
    receipt_no = shell.screens["payment"].sale.receipt_no
    driver.tap("newSale")
    driver.tap("btnReturns")
    driver.type("receiptNo", receipt_no, enter=True)
    assert shell.screens["returns"].found is not None
    driver.tap("retBack")
    driver.type("search", "brea")
    driver.tap("btnShift")
    driver.type("shiftReason", "change for the bakery")
    driver.tap("shNoSale")  # the reason went with the no-sale (a supervisor approves it)
    driver.approve("sofia", "change")
    assert shift.reason.text() == ""
    # the close takes the count and the note; both are gone once it is done
    driver.type("count_5000", "1")
    driver.type("shiftReason", "miscounted")
    driver.tap("shClose")
    assert "Shift closed" in shift.state.text()
    assert shift.reason.text() == "" and shift.amount.text() == ""
    assert all(field.text() == "" for field in shift.counts.values())
    # what anna typed and did not use does not wait for the next person
    driver.type("shiftAmount", "20")
    driver.type("shiftReason", "left over")
    shell.logout()
    driver.login("sofia")
    assert shell.current() == "shift"
    assert shift.amount.text() == "" and shift.reason.text() == ""
    assert shell.screens["returns"].found is None and shell.screens["returns"].scan_field.text() == ""
    assert shell.screens["sale"].search.text() == ""
    # the supervisor's Z stays with the supervisor
    driver.type("shiftReason", "miscounted")
    driver.tap("shResolve")  # the supervisor's own right: no approval
    assert shift.reason.text() == ""
    driver.tap("shZ")
    driver.tap("zYes")
    assert "Z REPORT" in shift.preview.toPlainText()
    assert driver.find("dayPanel").isVisible()
    shell.logout()
    driver.login("anna")
    assert shift.preview.toPlainText() == ""
    assert not driver.find("dayPanel").isVisible()
