"""Payment: cash keypad with quick tenders, card, voucher, on account, split tenders.

The sale completes in the core when the tenders cover it, its receipt job (and drawer kick)
stored in the same transaction; then the change is shown large, the device thread is woken to
print, and Enter starts the next sale.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QVBoxLayout, QWidget

from app.queries import carts
from app.queries.carts import ToPay
from app.usecases import checkout
from app.usecases.checkout import Due, PaymentResult
from kernel.sale_records import SaleRecord
from ui import fmt
from ui.fmt import tr
from ui.ops import Change, ChangeOp, QueryOp
from ui.widgets import Keypad, button, buttons_in, clear_layout, heading, named

if TYPE_CHECKING:
    from ui.shell import Shell

NOTE_STEPS = (100, 500, 1000, 2000, 5000, 10000)  # in minor units of a 2-decimal currency


def quick_tenders(due: int, exponent: int = 2) -> list[int]:
    """Exact, then the next round amounts a customer is likely to hand over."""
    scale = 10 ** (exponent - 2) if exponent >= 2 else 1
    out: list[int] = []
    for step in NOTE_STEPS:
        step *= scale
        value = -(-due // step) * step
        if value > due and value not in out:
            out.append(value)
    return [due, *out[:3]] if due > 0 else []


class PaymentScreen(QWidget):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.due: Due | None = None
        self.sale: SaleRecord | None = None
        self.title = heading(tr("Payment"))
        self.due_label = named(QLabel(), "dueLabel")
        self.paid = named(QListWidget(), "paidList")
        self.paid.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.change = named(QLabel(), "changeLabel")
        self.change.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for label in (self.due_label, self.change):
            label.setWordWrap(True)  # a long word in German goes onto a second line, not off the screen
        self.amount = named(QLineEdit(), "amount")
        self.amount.setPlaceholderText(tr("Amount tendered"))
        self.amount.returnPressed.connect(self._enter)
        self.scan_field = self.amount
        self.quick = QHBoxLayout()
        self.keypad = keypad = Keypad(self.amount)
        self.methods = [
            button(tr("Cash"), lambda: self.tender("cash"), key="F1", parent=self, role="primary", name="payCash"),
            button(tr("Card"), lambda: self.tender("card"), key="F2", parent=self, name="payCard"),
            button(tr("Voucher"), lambda: self.tender("voucher"), key="F3", parent=self, name="payVoucher"),
            button(tr("On account"), lambda: self.tender("account"), key="F4", parent=self, name="payAccount"),
        ]
        self.back = button(tr("Back to sale"), self.back_to_sale, key="Esc", parent=self, name="payBack")
        self.next_sale = button(tr("New sale"), self.new_sale, key="F12", parent=self, role="primary", name="newSale")
        self.reprint = button(tr("Reprint"), shell.devices.reprint, parent=self, name="reprint")
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.due_label)
        left.addWidget(self.paid, 1)
        left.addWidget(self.change)
        after = QHBoxLayout()
        after.addWidget(self.reprint)
        after.addWidget(self.next_sale)
        left.addLayout(after)
        right = QVBoxLayout()
        right.setSpacing(3)  # five rows of keys under the field fit a 600 px tall till
        right.addWidget(self.amount)
        right.addLayout(self.quick)
        right.addWidget(keypad, 1)
        methods = QGridLayout()
        methods.setSpacing(6)
        for i, b in enumerate([*self.methods, self.back]):
            methods.addWidget(b, i // 3, i % 3)
        right.addLayout(methods)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 1)
        row.addLayout(right, 1)

    def reset(self) -> None:
        """Logout: an amount typed and not tendered goes."""
        self.amount.clear()

    def entered(self) -> None:
        self.sale = None
        self.amount.clear()
        self.change.setText("")
        self._set_done(False)
        self.reload()

    def reload(self) -> None:
        cid = self.shell.cart_ref.id
        if cid is None:
            return
        QueryOp(self.shell, lambda ctx: carts.to_pay(ctx, cid), self._show).run()

    def _show(self, result: ToPay) -> None:
        self.due = due = result.due
        money = self.shell.money
        self.due_label.setText(tr("To pay {0}   (total {1})").format(money(due.due), money(due.gross)))
        self.paid.clear()
        for p in result.view.cart.payments:
            self.paid.addItem(f"{fmt.tender(p.method)}   {money(p.amount)}")
        clear_layout(self.quick)
        for i, value in enumerate(quick_tenders(due.due_in_cash, self.shell.settings.exponent)):
            label = tr("Exact") if i == 0 else money(value)
            self.quick.addWidget(button(label, partial(self.tender, "cash", value), name=f"quick_{i}"))

    def _enter(self) -> None:
        if self.sale is not None:
            self.new_sale()
        else:
            self.tender("cash")

    def tender(self, method: str, amount: int | None = None) -> None:
        if self.sale is not None or self.due is None:
            return
        if amount is None:
            typed = self.amount.text().strip()
            amount = (
                self.shell.parse_money(typed) if typed else (self.due.due_in_cash if method == "cash" else self.due.due)
            )
        if amount is None or amount <= 0:
            self.shell.show_error(tr("Type the amount, e.g. 20,00."))
            return
        cid, user = self.shell.cart_ref.id, self.shell.user
        if cid is None or user is None:
            return
        uid, paid = user.id, amount
        self.amount.clear()
        what = tr("Put {0} on account over the credit limit").format(self.shell.money(amount))
        ChangeOp(
            self.shell,
            lambda ctx, ap: checkout.add_payment(ctx, cid, uid, method, paid, approval=ap),
            Change.CART | Change.SALES | Change.CUSTOMERS,
        ).success(self._paid).approvable(what if method == "account" else "").run()

    def _paid(self, result: PaymentResult) -> None:
        if result.status != "COMPLETED" or result.sale is None:
            self.shell.info(tr("Paid part. {0} still to pay.").format(self.shell.money(result.due.due)))
            self.reload()
            return
        self.sale = result.sale
        self.paid.clear()
        for p in result.sale.payments:
            self.paid.addItem(f"{fmt.tender(p.method)}   {self.shell.money(p.amount)}")
        self.paid.addItem(tr("Receipt {0}").format(result.sale.receipt_no))
        self.due_label.setText(tr("Paid {0}").format(self.shell.money(result.sale.gross)))
        self.change.setText(tr("Change {0}").format(self.shell.money(result.change)))
        self._set_done(True)
        self.shell.devices.spooled(result.sale.receipt_no)
        self.shell.banner.show_message(
            tr("Sale {0} done. Receipt sent to the printer.").format(result.sale.receipt_no),
            "ok",
            action=(tr("Reprint"), self.shell.devices.reprint),
        )

    def _set_done(self, done: bool) -> None:
        """A paid sale takes no more tenders: methods, quick amounts and the keypad go grey (the
        amount field stays, read-only, so Enter still starts the next sale)."""
        for b in (*self.methods, self.back, *buttons_in(self.quick)):
            b.setEnabled(not done)
        self.keypad.setEnabled(not done)
        self.amount.setReadOnly(done)
        self.next_sale.setVisible(done)
        self.reprint.setVisible(done)

    def new_sale(self) -> None:
        self.shell.sale_screen().new_sale()
        self.shell.go("sale")

    def back_to_sale(self) -> None:
        self.shell.go("sale")
