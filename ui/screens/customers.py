"""Customers: look one up, see balance, limit and aging, attach to the sale, take a payment."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.usecases import cart_customer as cart_uc
from app.usecases import customers as uc
from ui import queries
from ui.fmt import tr
from ui.widgets import Keypad, button, heading


class CustomersScreen(QWidget):
    def __init__(self, shell: Any) -> None:
        super().__init__()
        self.shell = shell
        self.status: Any = None
        self.scan_field = QLineEdit(objectName="custSearch")
        self.scan_field.setPlaceholderText(tr("Name or customer number"))
        self.scan_field.textChanged.connect(lambda _t: self._debounce.start())
        self._debounce = QTimer(self, singleShot=True, interval=150, timeout=self.lookup)
        self.list = QListWidget(objectName="custList")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.itemClicked.connect(lambda item: self.select(item.data(Qt.ItemDataRole.UserRole)))
        self.detail = QLabel(objectName="custDetail")
        self.detail.setWordWrap(True)
        self.amount = QLineEdit(objectName="custAmount")
        self.amount.setPlaceholderText(tr("Payment amount"))
        keypad = Keypad(self.amount)
        buttons = [
            button(tr("Attach to sale"), self.attach, key="F2", parent=self, role="primary", name="custAttach"),
            button(tr("Remove from sale"), self.detach, key="F3", parent=self, name="custDetach"),
            button(tr("Payment in cash"), lambda: self.pay("cash"), key="F5", parent=self, name="custPayCash"),
            button(tr("Payment by card"), lambda: self.pay("card"), key="F6", parent=self, name="custPayCard"),
            button(tr("Back to sale"), lambda: shell.go("sale"), key="Esc", parent=self, name="custBack"),
        ]
        left = QVBoxLayout()
        left.addWidget(heading(tr("Customers")))
        left.addWidget(self.scan_field)
        left.addWidget(self.list, 1)
        right = QVBoxLayout()
        right.addWidget(self.detail)
        right.addWidget(self.amount)
        right.addWidget(keypad, 1)
        row_b = QHBoxLayout()
        for b in buttons:
            row_b.addWidget(b)
        right.addLayout(row_b)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 2)
        row.addLayout(right, 3)

    def entered(self) -> None:
        self.lookup()

    def lookup(self) -> None:
        text = self.scan_field.text().strip()
        self.shell.run(lambda ctx: queries.customers(ctx, text), self._fill)

    def _fill(self, found: list[Any]) -> None:
        self.list.clear()
        for c in found:
            item = QListWidgetItem(f"{c.name}   {c.id}" + (f"   {tr('blocked')}" if c.blocked else ""))
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.list.addItem(item)

    def select(self, customer_id: str) -> None:
        self.shell.run(lambda ctx: uc.credit_status(ctx, customer_id), self._show)

    def _show(self, status: Any) -> None:
        self.status = status
        m, c = self.shell.money, status.customer
        aging = "   ".join(f"{k}: {m(v)}" for k, v in status.aging.items())
        lines = [f"<b>{c.name}</b> ({c.id})", tr("Balance {0}   limit {1}   available {2}").format(
            m(status.balance), m(c.credit_limit), m(status.available)),
            tr("Overdue {0}").format(m(status.overdue)), tr("Aging (days): {0}").format(aging)]
        if c.blocked:
            lines.append(tr("Account blocked: no sales on account."))
        self.detail.setText("<br>".join(lines))

    def attach(self, customer_id: str | None = "") -> None:
        cid = self.status.customer.id if customer_id == "" and self.status else customer_id
        if customer_id == "" and self.status is None:
            self.shell.show_error(tr("Choose a customer first."))
            return
        ref, uid = self.shell.cart_ref, self.shell.user.id
        from ui.screens.sale import ensure_cart

        def op(ctx: Any) -> Any:
            cart_uc.attach_customer(ctx, ensure_cart(ctx, ref, uid), uid, cid)
            return queries.cart_view(ctx, ref.id)

        self.shell.run(op, self._attached)

    def detach(self) -> None:
        self.attach(None)

    def _attached(self, view: Any) -> None:
        sale = self.shell.screens["sale"]
        sale.render(view)
        self.shell.go("sale")

    def pay(self, method: str) -> None:
        if self.status is None:
            self.shell.show_error(tr("Choose a customer first."))
            return
        amount = self.shell.parse_money(self.amount.text())
        if not amount:
            self.shell.show_error(tr("Type the amount first."))
            return
        cid, uid = self.status.customer.id, self.shell.user.id

        def done(balance: int) -> None:
            self.amount.clear()
            if method == "cash":
                self.shell.devices.open_drawer()
            self.shell.banner.show_message(tr("Payment taken. New balance {0}.").format(self.shell.money(balance)),
                                           "ok")
            self.select(cid)

        self.shell.run(lambda ctx: uc.take_account_payment(ctx, cid, uid, amount, method), done)
