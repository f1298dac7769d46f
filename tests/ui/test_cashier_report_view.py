"""The X report is read full-window at a readable size, scrolled with large keys, and printed
from there through the till's printer."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPlainTextEdit, QPushButton

from tests.support.till import BARCODES


def test_x_report_opens_full_window_readable_scrolls_and_prints(driver: Any) -> None:
    shell = driver.shell
    driver.login("anna")
    driver.type("count_5000", "2")
    driver.tap("shOpen")
    driver.type("scan", BARCODES["milk"], enter=True)
    driver.tap("btnPay")
    driver.tap("quick_0")
    driver.tap("newSale")
    driver.tap("btnShift")
    before = len(driver.jobs())
    driver.tap("shX")
    assert shell.current() == "report"
    text = driver.find("reportFull", QPlainTextEdit)
    assert text.toPlainText() and text.toPlainText() == shell.screens["shift"].preview.toPlainText()
    assert text.font().pixelSize() >= 20 or text.fontInfo().pixelSize() >= 20  # not the 11 px preview
    assert text.width() > 0.6 * shell.width()
    down = driver.find("repDown", QPushButton)
    assert down.height() >= 80
    bar = text.verticalScrollBar()
    assert bar.maximum() > 0, "a whole X report is longer than one screen at this size"
    driver.tap("repDown")
    assert bar.value() > 0
    driver.tap("repUp")
    assert bar.value() == 0
    driver.tap("repPrint")
    jobs = driver.jobs()
    assert len(jobs) == before + 1
    assert any("Cash" in line for line in jobs[-1])
    driver.tap("repBack")
    assert shell.current() == "shift"
