"""Every screen fits 1024x600 and 800x600 (7-10" till panels) and the larger 1280x800 and
1920x1080, in English and German: on a demo till (its long French product names), a cashier's and
a supervisor's day is walked at each size, and at every step no label, button, field hint, table
header or cell shows less than its whole text (text cut with "…" must say the rest in its tooltip),
and the window is the size it was given."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.usecases import settings as settings_uc
from kernel.clock import ManualClock
from tests.support.fit import clipped
from ui.main import build, prepare, shutdown

SIZES = [(1024, 600), (800, 600), (1280, 800), (1920, 1080)]
PINS = {"u-anna": "1111", "u-sofia": "5555", "u-marc": "9999"}


class Walk:
    """Touches the real window as a person would, and measures every screen it passes."""

    def __init__(self, shell: Any, qtbot: Any) -> None:
        self.shell, self.qtbot = shell, qtbot
        self.problems: dict[str, list[str]] = {}
        self.size = (shell.width(), shell.height())

    def idle(self) -> None:
        self.qtbot.waitUntil(lambda: self.shell.worker.pending == 0, timeout=10000)
        self.qtbot.wait(30)  # the layouts settle after the answer is drawn
        self.qtbot.waitUntil(lambda: self.shell.worker.pending == 0, timeout=10000)

    def tap(self, name: str, within: Any = None) -> None:
        btn = (within or self.shell).findChild(QPushButton, name)
        assert btn is not None, f"no button {name}"
        self.qtbot.waitUntil(lambda: btn.isVisible() and btn.isEnabled(), timeout=5000)
        self.qtbot.mouseClick(btn, Qt.MouseButton.LeftButton)
        self.idle()

    def check(self, step: str) -> None:
        self.idle()
        found = clipped(self.shell)
        if (self.shell.width(), self.shell.height()) != self.size:  # a screen that needs more grows the window
            found.append(f"the window grew to {self.shell.width()}x{self.shell.height()}")
        if found:
            self.problems[step] = found

    def login(self, user: str) -> None:
        self.idle()
        self.tap(f"user_{user}")
        screen = self.shell.screens["login"]
        for digit in PINS[user]:
            self.tap(f"key_{digit}", screen)
        self.tap("key_enter", screen)


@pytest.fixture(params=["en", "de"])
def demo_ctx(request: Any, tmp_path: Path) -> Iterator[Any]:
    ctx = prepare(str(tmp_path / "till"), True, ManualClock(datetime(2026, 3, 2, 9, 30, tzinfo=UTC)))
    if request.param != "en":
        ctx = settings_uc.update(ctx, "u-marc", {"language": request.param})
    yield ctx
    ctx.close()


def walk_day(walk: Walk) -> None:
    """Login, shift open, sale with long names, search, a category, quantity entry, parked list,
    payment before and after, returns, X report, approval overlay, customers, supervisor's Z
    confirmation, settings."""
    shell = walk.shell
    walk.check("login")
    walk.tap("user_u-anna")
    walk.check("login, a user chosen")
    walk.login("u-anna")
    walk.check("shift, none open")
    shift = shell.screens["shift"]
    shift.counts[5000].setText("2")
    walk.tap("shOpen")
    walk.check("sale, empty")
    sale = shell.sale_screen()
    for sku in ("BAK-0028", "SNK-0018", "SNK-0003", "DAI-0001"):
        sale.scan(sku)
        walk.idle()
    walk.check("sale, four lines")
    cats = [b for b in shell.findChildren(QPushButton) if b.objectName().startswith("cat_") and b.isVisible()]
    assert len(cats) > 1, "the category keys are on the sale screen"
    for b in cats[1:]:
        walk.qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
        walk.check(f"sale, category {b.objectName()}")
    sale.search.setText("chocolat")
    walk.qtbot.waitUntil(lambda: sale.side.currentWidget() is sale.picks, timeout=5000)
    walk.check("sale, search results")
    sale.search.clear()
    walk.qtbot.waitUntil(lambda: sale.side.currentWidget() is sale.catalogue, timeout=5000)
    walk.tap("btnQty")
    walk.check("sale, quantity entry")
    walk.tap("entryCancel")
    walk.tap("btnPark")
    walk.tap("btnResume")
    walk.check("sale, parked list")
    sale.picks.pick(0)
    walk.idle()
    walk.tap("btnPay")
    walk.check("payment")
    walk.tap("quick_0")
    walk.check("payment, paid")
    receipt = shell.screens["payment"].sale.receipt_no
    walk.tap("newSale")
    walk.tap("btnReturns")
    returns = shell.screens["returns"]
    returns.scan_field.setText(receipt)
    walk.tap("retFind")
    walk.check("returns, a receipt found")
    walk.tap("retBack")
    walk.tap("btnCustomer")
    walk.check("customers")
    shell.go("sale")
    walk.tap("btnShift")
    walk.check("shift, open")
    walk.tap("shX")
    walk.check("X report, full window")
    walk.tap("repBack")
    shift.amount.setText("5")
    shift.reason.setText("window cleaner")
    walk.tap("shCashOut")
    walk.qtbot.waitUntil(shell.overlay.isVisible, timeout=5000)
    walk.check("approval overlay")
    shell.overlay.cancel()
    shift.counts[5000].setText("1")
    walk.tap("shClose")
    walk.check("shift, closed blind")
    shell.logout()
    walk.login("u-sofia")
    shell.go("shift")
    walk.check("shift, supervisor")
    if shift.open_discrepancies:
        shift.reason.setText("miscounted")
        walk.tap("shResolve")
    walk.tap("shZ")
    walk.check("shift, Z asks")
    shell.logout()
    walk.login("u-marc")
    shell.go("settings")
    walk.check("settings")


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_fits(qtbot: Any, demo_ctx: Any, width: int, height: int) -> None:
    shell = build(demo_ctx, io_timeout=1.0)
    try:
        shell.resize(width, height)
        shell.show()
        qtbot.waitExposed(shell)
        walk = Walk(shell, qtbot)
        if walk.size != (width, height):
            walk.problems["window"] = [f"is {shell.width()}x{shell.height()}, not the {width}x{height} it was given"]
            walk.size = (width, height)
        walk_day(walk)
        report = "\n".join(f"[{step}]\n  " + "\n  ".join(found) for step, found in walk.problems.items())
        assert not walk.problems, f"text that does not fit at {width}x{height}:\n{report}"
    finally:
        shutdown(shell)
        shell.close()
        shell.deleteLater()
