"""Sale screen flows: search as you type, quick keys, touch edits with supervisor overrides,
wedge scanning into the wrong field, and errors that leave the cart as it was."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.support.till import BARCODES


def open_shift(driver: Any, user: str = "anna") -> None:
    driver.login(user)
    driver.type("count_5000", "1")
    driver.tap("shOpen")


def test_search_keys_edits_and_errors(driver: Any) -> None:
    open_shift(driver)
    sale = driver.shell.screens["sale"]
    # an unknown code: a sentence in the banner, nothing added
    driver.type("scan", "0000000", enter=True)
    assert "No product has the code" in driver.banner()
    # instant search as you type (debounced; an answer older than the last keystroke is dropped)
    driver.type("search", "Com")
    driver.qtbot.waitUntil(lambda: sale.picks.list.count() == 1, timeout=3000)
    sale.picks.pick(0)
    driver.idle()
    assert sale.table.item(0, 0).text() == "Comté cheese"
    # a quick key
    driver.tap("prod_MILK1")
    assert sale.table.rowCount() == 2
    # raise a quantity by touch (no approval needed)
    sale.table.selectRow(1)
    driver.tap("btnQty")
    driver.keypad(sale.entry, "3")
    driver.enter(sale.entry)
    assert sale.view.cart.lines[1].qty_milli == 3000
    # lower it: a partial line void needs the supervisor overlay
    driver.tap("btnQty")
    driver.type("entryField", "1", enter=True)
    driver.approve()
    assert sale.view.cart.lines[1].qty_milli == 1000
    # price override with approval
    sale.table.selectRow(0)
    driver.tap("btnPrice")
    driver.type("entryField", "9,99", enter=True)
    driver.approve()
    assert sale.view.cart.lines[0].unit_price == 999
    # a discount beyond the cashier limit needs approval; cancel it and nothing changes
    driver.tap("btnDiscount")
    driver.type("entryField", "50%", enter=True)
    driver.qtbot.waitUntil(driver.shell.overlay.isVisible, timeout=3000)
    driver.shell.overlay.cancel()
    assert sale.view.priced.lines[0].discount == 0
    assert "Nothing was changed" in driver.banner()
    # remove a line with approval
    driver.tap("btnRemove")
    driver.approve()
    assert sale.table.rowCount() == 1


def test_wedge_scan_lands_in_the_sale_from_the_search_field(driver: Any) -> None:
    open_shift(driver)
    sale = driver.shell.screens["sale"]
    search = driver.find("search")
    search.setFocus()
    driver.qtbot.keyClicks(search, BARCODES["bread"])  # a scanner types fast ...
    driver.qtbot.keyClick(search, Qt.Key.Key_Return)  # ... and ends with Enter
    driver.idle()
    driver.qtbot.waitUntil(lambda: sale.table.rowCount() == 1, timeout=3000)
    assert sale.table.item(0, 0).text() == "Sourdough bread"
    assert search.text() == ""


def test_manual_weight_needs_a_supervisor_and_customer_credit_shows(driver: Any) -> None:
    open_shift(driver)
    sale = driver.shell.screens["sale"]
    driver.scale.frames.append(b"garbage\xff\r")
    driver.type("scan", "APPLE", enter=True)
    driver.qtbot.waitUntil(lambda: "unreadable" in driver.banner(), timeout=3000)
    driver.tap("bannerAction")  # "Type weight"
    driver.type("entryField", "0,5", enter=True)
    driver.approve()
    assert sale.view.cart.lines[0].qty_milli == 500
    driver.tap("btnCustomer")
    driver.type("custSearch", "Caf")
    driver.qtbot.waitUntil(lambda: driver.find("custList").count() == 1, timeout=3000)
    driver.shell.screens["customers"].select("c-1")
    driver.idle()
    driver.tap("custAttach")
    assert driver.shell.current() == "sale"
    assert "Café Lumière" in sale.customer.text() and "credit left 100.00" in sale.customer.text()
