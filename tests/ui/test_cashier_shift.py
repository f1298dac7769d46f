"""The shift screen as a cashier and a supervisor meet it: a blind X, a confirmed Z, the next
business day, fields and previews that start clean for the next person."""

from __future__ import annotations

import json
from typing import Any

from app.queries import carts
from app.reports.daily import x_report
from app.usecases import cart_lifecycle
from tests.support.till import BARCODES
from tests.ui.conftest import off_gui
from ui import fmt


def open_shift(driver: Any, user: str = "anna") -> None:
    driver.login(user)
    driver.type("count_5000", "2")
    driver.tap("shOpen")
    driver.tap("btnShift")


def test_a_cashiers_x_report_is_blind_and_a_supervisor_reveals_it(driver: Any) -> None:
    open_shift(driver)
    screen = driver.shell.screens["shift"]
    driver.tap("shX")
    assert driver.shell.current() == "report"  # read full-window first
    driver.tap("repBack")
    text = screen.preview.toPlainText()
    assert "X REPORT" in text
    assert "Expected cash" not in text and "Difference" not in text
    assert "Counted cash" not in text  # nothing is counted mid-shift: no 0.00 and no "difference"
    assert "Shifts not counted yet" in text
    # the core builds it blind, not only the widget: the cashier's report has no expected figure
    report = off_gui(lambda: x_report(driver.till.ctx, user_id="anna"))
    assert "logical_amount" not in report["cash"] and "difference_amount" not in report["cash"]
    # a supervisor may reveal it for the cashier's session, with an approval
    driver.tap("shXFull")
    driver.approve("sofia", "check before the drop")
    driver.tap("repBack")
    text = screen.preview.toPlainText()
    assert "Expected cash" in text and "100.00" in text
    assert "Counted cash" not in text and "Difference" not in text
    # a supervisor logged in sees it without asking
    driver.shell.logout()
    driver.login("sofia")
    driver.tap("btnShift")
    driver.tap("shX")
    driver.tap("repBack")
    assert "Expected cash" in screen.preview.toPlainText()
    assert not driver.find("shXFull").isVisible()


def z_stored(driver: Any, day: str) -> bool:
    def read() -> bool:
        with driver.till.ctx.uow(read_only=True) as uow:
            return uow.z_reports.get(day) is not None

    return off_gui(read)


def test_the_z_asks_first_and_then_offers_the_next_business_day(driver: Any) -> None:
    shell = driver.shell
    screen = shell.screens["shift"]
    open_shift(driver)
    assert not driver.find("shZ").isVisible()  # a cashier may not close the day: no button
    driver.tap("shBack")
    driver.type("scan", BARCODES["milk"], enter=True)
    driver.tap("btnPark")
    shell.logout()
    driver.login("sofia")
    driver.tap("btnShift")
    driver.tap("shZ")  # one tap only asks: it names the day, the open shift and the parked sale
    panel = driver.find("dayPanel")
    assert panel.isVisible()
    text = driver.find("dayText").text()
    assert fmt.date("2026-03-02") in text and "1 open shift," in text and "1 parked sale" in text
    assert not driver.find("zYes").isEnabled()  # an open shift: close it first
    driver.tap("zNo")
    assert not panel.isVisible() and not z_stored(driver, "2026-03-02")
    # the parked sale holds the shift open: the supervisor cancels it, then closes the shift
    parked = off_gui(lambda: carts.parked(driver.till.ctx))
    off_gui(lambda: cart_lifecycle.cancel(driver.till.ctx, parked[0].id, "sofia"))
    driver.type("count_5000", "2")
    driver.tap("shClose")
    driver.tap("shZ")
    assert "0 open shifts, 0 parked sales" in driver.find("dayText").text()
    assert not z_stored(driver, "2026-03-02")
    driver.tap("zYes")
    assert z_stored(driver, "2026-03-02")
    assert "Z REPORT" in screen.preview.toPlainText()
    # the till offers the next business date; the calendar still says 2 March
    assert fmt.date("2026-03-03") in driver.find("dayText").text()
    driver.tap("zNextDay")
    assert not panel.isVisible()
    assert fmt.date("2026-03-03") in driver.banner()
    driver.type("count_5000", "1")
    driver.tap("shOpen")
    assert shell.shift.business_date == "2026-03-03"
    assert driver.till.ctx.business_date() == "2026-03-02"
    entries = off_gui(lambda: export_entries(driver))
    opened = [e for e in entries if e["type"] == "day.opened"]
    assert opened and opened[-1]["data"] == {"business_date": "2026-03-03", "previous": "2026-03-02"}
    assert opened[-1]["actor"] == "sofia"
    assert [e for e in entries if e["type"] == "shift.opened"][-1]["data"]["business_date"] == "2026-03-03"


def export_entries(driver: Any) -> list[dict[str, Any]]:
    with driver.till.ctx.uow(read_only=True) as uow:
        return [json.loads(bytes(body)) for _seq, body, _prev, _hash in uow.audit.iter_raw()]
