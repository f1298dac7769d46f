"""The sale screen shows each line's promotion (its name and what it took off) as the cart
changes, and the printed receipt names the offer under the line."""

from __future__ import annotations

from typing import Any

from app.usecases.promotions import import_promotions
from tests.ui.conftest import off_gui
from tests.ui.test_sale_flows import open_shift

SHOTS_NAME = "sale-promotion.png"


def test_the_line_shows_its_offer_and_the_receipt_prints_it(driver: Any, tmp_path: Any) -> None:
    path = tmp_path / "promotions.csv"
    path.write_text("id,name,kind,skus,buy,pay\n4,Milk 3 for 2,multibuy,MILK1,3,2\n", encoding="utf-8")
    off_gui(import_promotions, driver.till.ctx, path)
    open_shift(driver)
    sale = driver.shell.screens["sale"]
    for _ in range(2):
        driver.tap("prod_MILK1")
    assert sale.table.item(0, 0).text() == "Milk 1L" and sale.table.item(0, 3).text() == ""
    driver.tap("prod_MILK1")
    assert sale.table.item(0, 0).text() == "Milk 1L · Milk 3 for 2"
    assert "1.19" in sale.table.item(0, 3).text() and "2.38" in sale.table.item(0, 4).text()
    driver.shell.grab().save(str(tmp_path / SHOTS_NAME))
    driver.tap("btnPay")
    driver.type("amount", "2.38")
    driver.tap("payCard")
    driver.qtbot.waitUntil(lambda: len(driver.receipts()) == 1, timeout=10000)
    receipt = "\n".join(driver.receipts()[0])
    assert "Offer 4" in receipt and "-1.19" in receipt
