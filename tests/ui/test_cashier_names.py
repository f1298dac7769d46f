"""People and things by name: who resolved a difference, the tender's label, real plurals,
settings as words rather than stored values."""

from __future__ import annotations

from typing import Any

from tests.support.till import BARCODES


def test_names_labels_and_plurals_on_sale_payment_and_shift(driver: Any) -> None:
    shell = driver.shell
    driver.login("anna")
    driver.type("count_5000", "2")
    driver.tap("shOpen")
    driver.type("scan", BARCODES["milk"], enter=True)
    totals = shell.sale_screen().totals
    assert totals.text().startswith("1 line ") and "(s)" not in totals.text()
    driver.type("scan", BARCODES["bread"], enter=True)
    assert totals.text().startswith("2 lines ")
    driver.tap("btnPay")
    driver.type("amount", "1")
    driver.tap("payCard")
    driver.type("amount", "20")
    driver.tap("payCash")
    paid = shell.screens["payment"].paid
    tenders = [paid.item(i).text().split()[0] for i in range(paid.count())]
    assert "Card" in tenders and "Cash" in tenders
    assert "card" not in tenders and "cash" not in tenders
    # a blind close short of the float: the supervisor who resolves it is named, not their id
    driver.tap("newSale")
    driver.tap("btnShift")
    driver.type("count_5000", "1")
    driver.tap("shClose")
    assert shell.screens["shift"].open_discrepancies
    driver.type("shiftReason", "miscounted")
    driver.tap("shResolve")
    driver.approve("sofia", "miscounted")
    assert driver.banner() == "Difference resolved by Sofia."


def test_a_wrong_pin_counts_attempts_in_words(driver: Any) -> None:
    screen = driver.shell.screens["login"]
    driver.idle()
    driver.tap("user_ben")
    for left in ("4 attempts left", "3 attempts left", "2 attempts left", "1 attempt left"):
        driver.keypad(screen, "0000")
        driver.enter(screen)
        assert left in screen.message.text()
        assert "(s)" not in screen.message.text()


def test_settings_show_words_and_store_the_values(driver: Any) -> None:
    driver.login("admin")
    driver.tap("shSettings")
    screen = driver.shell.screens["settings"]
    shown = {
        key: driver.find(f"set_{key}").currentText()
        for key in ("tax_mode", "tax_rounding", "rounding", "language", "cash_rounding")
    }
    assert shown == {
        "tax_mode": "Prices include tax",
        "tax_rounding": "Per line",
        "rounding": "Half up (2.5 → 3)",
        "language": "English",
        "cash_rounding": "Off",
    }
    labels = [
        screen.form.itemAt(i, screen.form.ItemRole.LabelRole).widget().text() for i in range(screen.form.rowCount())
    ]
    assert "Round cash totals to" in labels and not any("minor units" in label for label in labels)
    # hostile input: a printer URL the device layer cannot read refuses the whole save
    before = driver.shell.settings
    driver.type("set_store_name", "Renamed")
    driver.type("set_device.printer", "nonsense:/x")
    driver.tap("setSave")
    assert driver.shell.screens["settings"].isVisible() and driver.shell.banner.kind == "error"
    assert driver.shell.settings.store_name == before.store_name
    driver.shell.screens["settings"].entered()  # the form again from what is stored
    driver.idle()
    box = driver.find("set_cash_rounding")
    box.setCurrentIndex(box.findData("5"))
    driver.tap("setSave")
    assert driver.shell.settings.cash_rounding == 5
    assert screen.values()["tax_mode"] == "inclusive"
