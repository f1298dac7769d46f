"""Regenerate docs/screenshots/*.png: every till screen at 1024x768 on a fresh demo till.

Run: QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--size 1024x768] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from kernel.clock import ManualClock  # noqa: E402
from ui.main import build, prepare, shutdown  # noqa: E402

PINS = {"u-anna": "1111", "u-sofia": "5555", "u-marc": "9999"}


def settle(shell, seconds: float = 0.3) -> None:  # type: ignore[no-untyped-def]
    """Let the worker finish and Qt paint."""
    app = QApplication.instance()
    end = time.monotonic() + 10
    while shell.worker.pending and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def login(shell, user: str) -> None:  # type: ignore[no-untyped-def]
    screen = shell.screens["login"]
    settle(shell)
    screen.findChild(object, f"user_{user}").click()
    screen.pin.setText(PINS[user])
    screen.submit()
    settle(shell)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="1024x768")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "screenshots"))
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    _app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 - keeps the app alive
    with tempfile.TemporaryDirectory() as tmp:
        ctx = prepare(tmp, True, ManualClock(datetime(2026, 3, 2, 9, 30, tzinfo=UTC)))
        shell = build(ctx)
        shell.resize(width, height)
        shell.show()

        def shot(name: str) -> None:
            settle(shell)
            shell.grab().save(str(out / f"{name}.png"))
            print(out / f"{name}.png")

        try:
            shot("01-login")
            login(shell, "u-anna")
            shift = shell.screens["shift"]
            shift.counts[5000].setText("2")
            shift.counts[1000].setText("4")
            shift.counts[200].setText("10")
            shot("02-shift-open")
            shift.open_shift()
            settle(shell)
            sale = shell.screens["sale"]
            for code in ("BAK-0001", "DAI-0001", "DRK-0001", "DRK-0001"):
                sale.scan(code)
            settle(shell)
            shot("03-sale")
            sale.search.setText("bio")
            settle(shell, 0.5)
            shot("04-search")
            sale.search.clear()
            sale.table.selectRow(0)
            sale.edit_discount()
            sale.entry.field.setText("10%")
            shot("05-line-discount")
            sale.entry.submit()
            settle(shell)
            sale.remove_line()
            settle(shell)
            shell.overlay.choose("u-sofia")
            shot("06-supervisor-approval")
            shell.overlay.cancel()
            shell.go("customers")
            shell.screens["customers"].select("c-0001")
            shot("07-customers")
            shell.screens["customers"].attach()
            settle(shell)
            sale.pay()
            settle(shell)
            shot("08-payment")
            pay = shell.screens["payment"]
            pay.amount.setText("5")
            pay.tender("card")
            settle(shell)
            pay.tender("cash", 2000)
            settle(shell)
            shot("09-payment-done")
            receipt = pay.sale.receipt_no
            pay.new_sale()
            shell.go("returns")
            shell.screens["returns"].find_receipt(receipt)
            settle(shell)
            shell.screens["returns"].take_all()
            shot("10-returns")
            shell.go("shift")
            shift.report("flash")
            shot("11-shift-x-report")
            shell.lock()
            settle(shell)
            shot("12-locked")
            login(shell, "u-marc")
            shell.go("settings")
            shot("13-settings")
        finally:
            shutdown(shell)
            shell.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
