"""The supervisor's alert line with the real window and event loop: a cashier's large sale is
flagged as it lands; the cashier does not see it, a supervisor who logs in does, until *Seen*;
a later flag comes up again, and a cashier logging in finds the line gone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.till import BARCODES, make_till
from tests.ui.conftest import running_till


def sell(driver: Any, code: str, times: int = 1) -> None:
    for _ in range(times):
        driver.type("scan", BARCODES[code], enter=True)
    driver.tap("btnPay")
    driver.tap("payCard")
    driver.tap("newSale")


def test_a_large_sale_alerts_a_supervisor_and_not_the_cashier(qtbot: Any, tmp_path: Path) -> None:
    till = make_till(tmp_path / "till")
    with till.ctx.uow() as uow:
        uow.settings.set("anomaly_min_sales", "3")
        uow.commit()
    with running_till(qtbot, tmp_path, till) as driver:
        alerts = driver.shell.alerts
        driver.login("anna")
        driver.type("count_5000", "1")
        driver.tap("shOpen")
        for _ in range(3):
            sell(driver, "milk")
        sell(driver, "cheese", 5)  # 64.50 against an average of 17.00
        assert not alerts.isVisible() and alerts.text() == ""  # the cashier is not told
        assert "Large sale" not in driver.banner()
        driver.shell.logout()
        driver.idle()
        driver.login("sofia")
        qtbot.waitUntil(alerts.isVisible, timeout=5000)
        assert alerts.text() == "⚠ Large sale 64.50 €"
        assert "over 3x the shift average" in alerts.toolTip()
        driver.tap("alertsSeen")
        assert not alerts.isVisible()
        sell(driver, "cheese", 9)  # the supervisor's own large sale: a new flag comes up at once
        qtbot.waitUntil(alerts.isVisible, timeout=5000)
        assert alerts.text() == "⚠ Large sale 116.10 €"
        driver.shell.logout()
        driver.idle()
        driver.login("anna")
        assert not alerts.isVisible()
