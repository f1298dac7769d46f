"""docs/screenshots/cashier-*.png: a cashier's and a supervisor's day on a fresh demo till at
1024x768, 1024x600, 800x600, 1280x800 and 1920x1080 (wrong PIN, sale, a category, search, parked
sales, split payment, returns, customers, approval, blind X, blind close, resolve, Z
confirmation, next business day, the next cashier's clean shift screen, settings).

Run: QT_QPA_PLATFORM=offscreen python scripts/cashier_screenshots.py [--out DIR] [--tag TAG]
     [--sizes 1024x768,800x600] [--language de]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QPushButton  # noqa: E402
from screenshots import login, settle  # noqa: E402

from app.usecases import settings  # noqa: E402
from kernel.clock import ManualClock  # noqa: E402
from ui.main import build, prepare, shutdown  # noqa: E402

SIZES = "1024x768,1024x600,800x600,1280x800,1920x1080"


def run(out: Path, tag: str, w: int, h: int, language: str = "en") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = prepare(tmp, True, ManualClock(datetime(2026, 3, 2, 9, 30, tzinfo=UTC)))
        if language != "en":
            ctx = settings.update(ctx, "u-marc", {"language": language})
            tag = f"-{language}{tag}"
        shell = build(ctx)
        shell.resize(w, h)
        shell.show()

        def shot(name: str) -> None:
            settle(shell)
            p = out / f"cashier-{name}{tag}-{w}x{h}.png"
            shell.grab().save(str(p))
            print(p)

        def tap(name: str) -> bool:
            b = shell.findChild(QPushButton, name)
            if b is None or not b.isVisible():
                return False
            b.click()
            settle(shell)
            return True

        try:
            screen = shell.screens["login"]
            settle(shell)
            screen.findChild(object, "user_u-anna").click()
            screen.pin.setText("0000")
            screen.submit()
            settle(shell)
            shot("login-wrong-pin")
            login(shell, "u-anna")
            shift = shell.screens["shift"]
            shift.counts[5000].setText("2")
            shift.open_shift()
            settle(shell)
            sale = shell.screens["sale"]
            for code in ("BAK-0028", "SNK-0018", "BAK-0001", "DAI-0001"):
                sale.scan(code)
            settle(shell)
            shot("sale")
            tap("cat_cat-snk")
            shot("sale-category")
            sale.search.setText("chocolat")
            settle(shell, 0.5)
            shot("sale-search")
            sale.search.clear()
            sale.pay()
            settle(shell)
            pay = shell.screens["payment"]
            pay.amount.setText("1")
            pay.tender("card")
            settle(shell)
            pay.tender("cash", 2000)
            settle(shell)
            shot("payment-done")
            receipt = pay.sale.receipt_no
            tap("newSale")
            sale.scan("DAI-0002")
            settle(shell)
            tap("btnPark")
            sale.scan("BAK-0001")
            settle(shell)
            tap("btnResume")
            shot("sale-parked")
            tap("pickClose")
            tap("btnCancel")
            tap("btnReturns")
            shell.screens["returns"].scan_field.setText(receipt)
            tap("retFind")
            shot("returns")
            tap("retBack")
            tap("btnCustomer")
            shot("customers")
            shell.go("sale")
            settle(shell)
            tap("btnShift")
            shift.amount.setText("5")
            shift.reason.setText("window cleaner")
            tap("shCashOut")
            shot("approval")
            shell.overlay.cancel()
            settle(shell)
            shell.banner.clear()
            tap("shX")
            shot("report-x-cashier")
            tap("repDown")
            shot("report-x-cashier-scrolled")
            tap("repBack")
            sb = shift.preview.verticalScrollBar()
            sb.setValue(sb.maximum())
            shot("shift-x-cashier")
            shift.counts[5000].setText("1")
            shift.reason.setText("miscounted")
            tap("shClose")
            shot("shift-closed-cashier")
            shift.amount.setText("20")
            shell.logout()
            settle(shell)
            login(shell, "u-sofia")
            settle(shell)
            shell.go("shift")
            settle(shell)
            shot("shift-supervisor")
            if shift.open_discrepancies:
                shift.reason.setText("miscounted")
                tap("shResolve")
                shot("shift-resolved")
            tap("shZ")
            shot("shift-z")
            if tap("zYes"):
                shot("shift-z-next-day")
            shell.logout()
            settle(shell)
            login(shell, "u-anna")
            settle(shell)
            shot("shift-next-cashier")
            shell.logout()
            settle(shell)
            login(shell, "u-marc")
            settle(shell)
            shell.go("settings")
            settle(shell)
            shot("settings")
        finally:
            shutdown(shell)
            shell.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--tag", default="", help="added to each name, e.g. -before")
    parser.add_argument("--sizes", default=SIZES, help="comma-separated WxH")
    parser.add_argument("--language", default="en", help="en or de")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    _app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 - keeps the app alive
    for size in args.sizes.split(","):
        w, h = (int(v) for v in size.split("x"))
        run(out, args.tag, w, h, args.language)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # skip interpreter teardown: PySide6 can crash freeing widgets at exit
