"""Messages belong to the action that caused them: the next action replaces or clears the banner,
an error is said once, and showing one does not move the screen under the cashier's finger."""

from __future__ import annotations

from typing import Any

from tests.support.till import BARCODES


def test_a_wrong_pin_is_said_once_above_the_field(driver: Any) -> None:
    screen = driver.shell.screens["login"]
    driver.idle()
    driver.tap("user_anna")
    driver.keypad(screen, "0000")
    driver.enter(screen)
    assert "Wrong PIN" in screen.message.text()
    assert driver.banner() == ""  # not a second time in the banner


def test_the_next_action_clears_the_last_ones_message_and_nothing_moves(driver: Any) -> None:
    shell = driver.shell
    driver.login("anna")
    driver.type("count_5000", "2")
    driver.tap("shOpen")
    shell.banner.clear()
    driver.qtbot.wait(50)  # the layout settles
    stack_top = shell.stack.geometry().top()
    # an error from one action ...
    driver.tap("btnPay")  # an empty sale
    assert "no items" in driver.banner()
    driver.qtbot.wait(50)
    assert shell.stack.geometry().top() == stack_top  # the banner did not push the screen down
    # ... is gone with the next one, which succeeds
    driver.type("scan", BARCODES["milk"], enter=True)
    assert driver.banner() == ""
    # a device's error, then a search typed: the search is the next action, the error goes
    shell.show_error("The scale is not connected.")
    driver.type("search", "brea")
    assert driver.banner() == ""
    # a sale with items: resuming asks to park it first; then paying goes on without that question
    driver.tap("btnResume")
    driver.shell.sale_screen().resume("no-such-cart")
    assert "Park it and resume" in driver.banner()
    driver.tap("btnPay")
    assert shell.current() == "payment"
    assert "Park it and resume" not in driver.banner()
    # a receipt not found, then one found: the error does not stay above the receipt
    driver.type("amount", "20")
    driver.tap("payCash")
    receipt_no = shell.screens["payment"].sale.receipt_no
    driver.tap("newSale")
    driver.tap("btnReturns")
    driver.type("receiptNo", "NOPE-123", enter=True)
    assert "NOPE-123" in driver.banner()
    driver.type("receiptNo", receipt_no, enter=True)
    assert shell.screens["returns"].found.sale.receipt_no == receipt_no
    assert driver.banner() == ""
