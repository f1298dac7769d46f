"""Touch first: the destructive key is away from Pay, the overlay's Approve is the big key and
nobody is chosen for the supervisor, and a paid sale takes no more tenders (and looks it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QPushButton

from tests.support.till import BARCODES


def background(btn: QPushButton) -> QColor:
    """The colour a person sees in the button's face (left of its text)."""
    image = btn.grab().toImage()
    return image.pixelColor(8, image.height() // 2)


def test_cancel_is_away_from_pay_and_a_paid_sale_takes_no_more_tenders(driver: Any) -> None:
    shell = driver.shell
    driver.login("anna")
    driver.type("count_5000", "2")
    driver.tap("shOpen")
    cancel, pay = driver.find("btnCancel", QPushButton), driver.find("btnPay", QPushButton)
    left, right = sorted((cancel.x(), pay.x()))
    between = [b for b in shell.sale_screen().fn_keys if left < b.x() < right]
    assert len(between) >= 3, "at least three keys between Cancel sale and Pay"
    driver.type("scan", BARCODES["milk"], enter=True)
    driver.tap("btnPay")
    screen = shell.screens["payment"]
    cash = driver.find("payCash", QPushButton)
    enabled_face = background(cash)
    driver.tap("quick_0")  # exact cash
    assert screen.sale is not None
    quick = [b for b in screen.findChildren(QPushButton) if b.objectName().startswith("quick_")]
    keys = [b for b in screen.findChildren(QPushButton) if b.objectName().startswith("key_")]
    assert quick and keys
    assert not any(b.isEnabled() for b in (*quick, *keys, *screen.methods))
    assert screen.amount.isReadOnly()
    assert background(cash) != enabled_face  # a disabled primary key does not look like one
    driver.tap("newSale")
    driver.type("scan", BARCODES["bread"], enter=True)
    driver.tap("btnPay")  # the next sale's payment takes tenders again
    assert all(b.isEnabled() for b in (*keys, *screen.methods)) and not screen.amount.isReadOnly()


def test_the_overlay_chooses_nobody_and_approve_is_the_big_key(driver: Any) -> None:
    shell = driver.shell
    driver.login("anna")
    driver.type("count_5000", "2")
    driver.tap("shOpen")
    driver.tap("btnShift")
    for attempt in range(2):
        driver.type("shiftAmount", "5")
        driver.type("shiftReason", "window cleaner")
        driver.tap("shCashOut")
        overlay = shell.overlay
        driver.qtbot.waitUntil(overlay.isVisible, timeout=5000)
        driver.idle()
        approvers = [b for b in overlay.findChildren(QPushButton) if b.objectName().startswith("approver_")]
        assert approvers and not any(b.isChecked() for b in approvers), f"someone preselected (ask {attempt + 1})"
        approve = driver.find("approvalApprove", QPushButton)
        assert approve.property("role") == "primary"
        digit = overlay.findChild(QPushButton, "key_7")
        assert approve.height() > digit.height() and approve.width() > 2 * digit.width()
        # Approve with nobody chosen says so on the overlay, which stays
        driver.qtbot.mouseClick(approve, Qt.MouseButton.LeftButton)
        assert overlay.isVisible() and "Choose the supervisor" in overlay.hint.text()
        driver.approve("sofia", "window cleaner")
        assert not overlay.isVisible()
        assert "Cash out" in driver.banner()
