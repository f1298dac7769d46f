"""The running till releases expired stock holds on its own, on the database worker, every few minutes."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from sqlalchemy import text

from app.usecases import cart_lifecycle, cart_lines, shifts
from tests.support.till import BARCODES, make_till
from tests.ui.conftest import off_gui, running_till
from ui.stock_release import RELEASE_INTERVAL_MS, TIMER_NAME


def released(ctx):
    with ctx.uow(read_only=True) as uow:
        rows = uow.conn.execute(text("SELECT body FROM audit_log WHERE type = 'stock.released'")).scalars()
        return [json.loads(body)["data"] for body in rows]


def test_the_window_releases_expired_holds_every_few_minutes(qtbot, tmp_path):
    till = make_till(tmp_path / "till")
    shifts.open_shift(till.ctx, "anna", 0)
    c = cart_lifecycle.start_cart(till.ctx, "anna")
    cart_lines.add_item(till.ctx, c, "anna", BARCODES["bread"])
    cart_lifecycle.park(till.ctx, c, "anna")
    till.clock.advance(minutes=45)
    with running_till(qtbot, tmp_path, till) as drv:
        timer = drv.shell.findChild(QTimer, TIMER_NAME)
        assert timer is not None and timer.isActive() and not timer.isSingleShot()
        assert timer.interval() == RELEASE_INTERVAL_MS == 5 * 60 * 1000
        assert off_gui(released, drv.till.ctx) == []
        timer.timeout.emit()  # what the timer does each time it fires
        drv.idle()
        assert off_gui(released, drv.till.ctx) == [{"count": 1}]
