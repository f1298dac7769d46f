"""Payment on account with a credit override, customer account payments, drawer and lock
flows on the shift screen, admin settings, and the German translation."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from tests.support.till import BARCODES
from tests.ui.test_sale_flows import open_shift
from ui import i18n


def add_to_sale(driver: Any, code: str, times: int = 1) -> None:
    for _ in range(times):
        driver.type("scan", code, enter=True)


def test_on_account_over_the_limit_needs_override_and_blocked_is_refused(driver: Any) -> None:
    open_shift(driver)
    add_to_sale(driver, BARCODES["cheese"], 9)  # 116.10 against a 100.00 limit
    driver.tap("btnCustomer")
    driver.shell.screens["customers"].select("c-2")
    driver.idle()
    driver.tap("custAttach")
    driver.tap("btnPay")
    driver.tap("payAccount")
    assert "blocked" in driver.banner()
    driver.tap("payBack")
    driver.tap("btnCustomer")
    driver.shell.screens["customers"].select("c-1")
    driver.idle()
    driver.tap("custAttach")
    driver.tap("btnPay")
    driver.type("amount", "10")
    driver.tap("payVoucher")
    driver.tap("payAccount")
    driver.approve("sofia", "regular customer")
    pay = driver.shell.screens["payment"]
    assert pay.sale is not None and {p.method for p in pay.sale.payments} == {"voucher", "account"}
    # the account now owes it; take a card payment on the customers screen
    driver.tap("newSale")
    driver.tap("btnCustomer")
    driver.shell.screens["customers"].select("c-1")
    driver.idle()
    assert "Balance 106.10" in driver.find("custDetail").text()
    driver.type("custAmount", "6,10")
    driver.tap("custPayCard")
    assert "New balance 100.00" in driver.banner()


def test_drawer_and_lock_flows(driver: Any) -> None:
    open_shift(driver)
    driver.tap("btnShift")
    driver.type("shiftAmount", "20")
    driver.type("shiftReason", "change from the safe")
    driver.tap("shCashIn")
    assert "Cash in" in driver.banner()
    driver.type("shiftAmount", "5")
    driver.type("shiftReason", "window cleaner")
    driver.tap("shCashOut")
    driver.approve()
    assert "Cash out" in driver.banner()
    driver.tap("shNoSale")
    driver.approve()
    assert "no sale" in driver.banner()
    driver.tap("shX")
    driver.tap("repBack")
    assert "X REPORT" in driver.shell.screens["shift"].preview.toPlainText()
    # lock: the shift is suspended; another cashier needs a supervisor to take over
    driver.tap("shLock")
    assert driver.shell.user is None and driver.shell.shift.status == "SUSPENDED"
    assert "Till locked by Anna" in driver.shell.screens["login"].title.text()
    driver.login("ben")
    driver.approve()
    assert driver.shell.current() == "sale" and driver.shell.shift.status == "ACTIVE"


def test_settings_are_for_admins(driver: Any) -> None:
    driver.login("admin")
    assert driver.find("shSettings").isVisible()
    driver.tap("shSettings")
    driver.type("set_store_name", "Corner Shop")
    driver.tap("setSave")
    assert driver.shell.settings.store_name == "Corner Shop"
    driver.shell.logout()
    driver.login("anna")
    assert not driver.find("shSettings").isVisible()


def test_german_translation_is_complete_for_the_sale_screen(driver: Any) -> None:
    app = QApplication.instance()
    translator = i18n.install(app, "de")
    try:
        assert translator is not None
        assert app.translate("Tillstone", "Pay") == "Bezahlen"
        assert app.translate("Tillstone", "Who is at the till?") == "Wer ist an der Kasse?"
    finally:
        if translator:
            app.removeTranslator(translator)
        i18n.install(app, "en")
