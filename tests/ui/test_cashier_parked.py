"""Parked sales are told apart (total, items, cashier, time in the list), and resuming while the
cart has items offers to park it and swap, instead of refusing."""

from __future__ import annotations

from typing import Any

from app.queries import people
from tests.support.till import BARCODES
from tests.ui.conftest import off_gui


def test_parked_list_tells_sales_apart_and_resume_swaps(driver: Any) -> None:
    shell = driver.shell
    driver.login("anna")
    driver.type("count_5000", "2")
    driver.tap("shOpen")
    sale = shell.sale_screen()
    driver.type("scan", BARCODES["milk"], enter=True)
    driver.type("scan", BARCODES["bread"], enter=True)
    first = shell.cart_ref.id
    first_total = shell.money(sale.view.priced.gross)
    driver.tap("btnPark")
    driver.type("scan", BARCODES["cheese"], enter=True)
    second = shell.cart_ref.id
    driver.tap("btnResume")
    rows = [sale.picks.list.item(i).text() for i in range(sale.picks.list.count())]
    assert len(rows) == 1
    name = next(u.name for u in off_gui(people.users, shell.worker.ctx) if u.id == "anna")
    assert first_total in rows[0] and "2 items" in rows[0] and name in rows[0]
    sale.picks.pick(0)
    driver.idle()
    # the cart has an item: the till offers the swap instead of refusing
    assert "Park it and resume" in driver.banner()
    assert shell.cart_ref.id == second
    driver.tap("bannerAction")
    assert shell.cart_ref.id == first
    assert [line.name for line in sale.view.cart.lines] and len(sale.view.cart.lines) == 2
    driver.tap("btnResume")
    rows = [sale.picks.list.item(i).text() for i in range(sale.picks.list.count())]
    assert len(rows) == 1 and "1 item" in rows[0]  # the cheese sale is the parked one now
