"""docs/screenshots/customers-*.png: the customers screen on a fresh demo till at 1024x768 and
800x600 (a customer's account, the new-customer form with no type chosen, a refused e-mail, the
customer added, contact details changed, an account payment) and the supervisor's anomaly line
after a cashier's large sale, next to the cashier's own screen without it.

Run: QT_QPA_PLATFORM=offscreen python scripts/customer_screenshots.py [--out DIR]
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

from app.usecases import customers  # noqa: E402
from kernel.clock import ManualClock  # noqa: E402
from ui.main import build, prepare, shutdown  # noqa: E402


def run(out: Path, w: int, h: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = prepare(tmp, True, ManualClock(datetime(2026, 3, 2, 9, 30, tzinfo=UTC)))
        shell = build(ctx)
        shell.resize(w, h)
        shell.show()

        def shot(name: str) -> None:
            settle(shell)
            p = out / f"customers-{name}-{w}x{h}.png"
            shell.grab().save(str(p))
            print(p)

        def tap(name: str) -> None:
            b = shell.findChild(QPushButton, name)
            assert b is not None and b.isVisible(), name
            b.click()
            settle(shell)

        try:
            login(shell, "u-sofia")
            shell.screens["shift"].counts[5000].setText("2")
            shell.screens["shift"].open_shift()
            settle(shell)
            screen = shell.screens["customers"]
            shell.go("customers")
            settle(shell)
            screen.select(screen.list.item(1).data(256))  # Qt.UserRole: the second customer listed
            settle(shell)
            shot("account")
            tap("custNew")
            shot("new-form")
            form = screen.form.inputs
            form["name"].setText("Bäckerei Nord")
            form["contact_person"].setText("Jo Frank")
            form["phone"].setText("+49 30 1234 56")
            form["email"].setText("jo at example")
            tap("custType_wholesale")
            tap("custSave")
            shot("bad-email")
            form["email"].setText("jo@example.org")
            tap("custSave")
            shot("added")
            tap("custEdit")
            form["phone"].setText("+49 30 9999 00")
            tap("custSave")
            shot("changed")
            cid = screen.status.customer.id  # an opening balance, so the payment has something to lower
            shell.worker.run(lambda c: customers.adjust_balance(c, "u-sofia", cid, 8_000, "Opening balance"),
                             lambda _balance: screen.select(cid), print, "adjust")
            settle(shell)
            screen.amount.setText("20")
            tap("custPayCash")
            shot("payment")
            shell.logout()
            settle(shell)
            login(shell, "u-anna")  # a cashier's large sale: the rule flags it as it lands
            sale = shell.screens["sale"]
            for _ in range(5):
                sale.scan("BAK-0001")
                settle(shell)
                sale.pay()
                settle(shell)
                shell.screens["payment"].tender("card")
                settle(shell)
                tap("newSale")
            for _ in range(12):
                sale.scan("DAI-0001")
            settle(shell)
            sale.pay()
            settle(shell)
            shell.screens["payment"].tender("card")
            settle(shell)
            tap("newSale")
            shot("cashier-no-alert")
            shell.logout()
            settle(shell)
            login(shell, "u-sofia")
            settle(shell)
            shot("supervisor-alert")
        finally:
            shutdown(shell)
            shell.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    _app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 - keeps the app alive
    for size in ("1024x768", "800x600"):
        w, h = (int(v) for v in size.split("x"))
        run(out, w, h)
    return 0


if __name__ == "__main__":
    sys.exit(main())
