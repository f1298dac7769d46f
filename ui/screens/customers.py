"""Customers: look one up, see balance, limit and aging, attach to the sale, take a payment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.context import TillContext
from app.domain.permissions import Approval
from app.queries import carts, people
from app.queries.carts import CartView
from app.usecases import cart_customer as cart_uc
from app.usecases import customers as uc
from app.usecases.customers import CreditStatus
from kernel.records import CustomerInfo
from ui.fmt import tr
from ui.ops import Change, ChangeOp, QueryOp
from ui.widgets import Keypad, button, heading, named, one_shot

if TYPE_CHECKING:
    from ui.shell import Shell


class CustomersScreen(QWidget):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.status: CreditStatus | None = None
        self.scan_field = named(QLineEdit(), "custSearch")
        self.scan_field.setPlaceholderText(tr("Name or customer number"))
        self._debounce = one_shot(self, self.lookup, 150)
        self.scan_field.textChanged.connect(lambda _t: self._debounce.start())
        self.list = named(QListWidget(), "custList")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.itemClicked.connect(lambda item: self.select(item.data(Qt.ItemDataRole.UserRole)))
        self.detail = named(QLabel(), "custDetail")
        self.detail.setWordWrap(True)
        self.amount = named(QLineEdit(), "custAmount")
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
        shell.changed.connect(self._data_changed)

    def entered(self) -> None:
        self.lookup()

    def reset(self) -> None:
        """Logout: the customer looked up and the amount typed go."""
        self.status = None
        for widget in (self.scan_field, self.amount, self.detail, self.list):
            widget.clear()

    def lookup(self) -> None:
        text = self.scan_field.text().strip()
        QueryOp(self.shell, lambda ctx: people.customers(ctx, text), self._fill).run()

    def _data_changed(self, changes: Change) -> None:
        """A payment or sale on account moves the balance: the customer shown is read again."""
        if Change.CUSTOMERS in changes and self.status is not None and self.isVisible():
            self.select(self.status.customer.id)

    def _fill(self, found: list[CustomerInfo]) -> None:
        self.list.clear()
        for c in found:
            item = QListWidgetItem(f"{c.name}   {c.id}" + (f"   {tr('blocked')}" if c.blocked else ""))
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.list.addItem(item)

    def select(self, customer_id: str) -> None:
        QueryOp(self.shell, lambda ctx: uc.credit_status(ctx, customer_id), self._show).run()

    def _show(self, status: CreditStatus) -> None:
        self.status = status
        m, c = self.shell.money, status.customer
        aging = "   ".join(f"{k}: {m(v)}" for k, v in status.aging.items())
        lines = [
            f"<b>{c.name}</b> ({c.id})",
            tr("Balance {0}   limit {1}   available {2}").format(
                m(status.balance), m(c.credit_limit), m(status.available)
            ),
            tr("Overdue {0}").format(m(status.overdue)),
            tr("Aging (days): {0}").format(aging),
        ]
        if c.blocked:
            lines.append(tr("Account blocked: no sales on account."))
        self.detail.setText("<br>".join(lines))

    def attach(self, customer_id: str | None = "") -> None:
        cid = self.status.customer.id if customer_id == "" and self.status else customer_id
        if customer_id == "" and self.status is None:
            self.shell.show_error(tr("Choose a customer first."))
            return
        ref, uid = self.shell.cart_ref, self.user_id()
        from ui.screens.sale import ensure_cart

        def op(ctx: TillContext, _approval: Approval | None) -> CartView:
            cart_id = ensure_cart(ctx, ref, uid)
            cart_uc.attach_customer(ctx, cart_id, uid, cid)
            return carts.cart_view(ctx, cart_id)

        ChangeOp(self.shell, op, Change.CART).success(self._attached).run()

    def user_id(self) -> str:
        assert self.shell.user is not None
        return self.shell.user.id

    def detach(self) -> None:
        self.attach(None)

    def _attached(self, view: CartView) -> None:
        self.shell.sale_screen().show_cart(view)
        self.shell.go("sale")

    def pay(self, method: str) -> None:
        if self.status is None:
            self.shell.show_error(tr("Choose a customer first."))
            return
        amount = self.shell.parse_money(self.amount.text())
        if not amount:
            self.shell.show_error(tr("Type the amount first."))
            return
        cid, uid = self.status.customer.id, self.user_id()

        def done(balance: int) -> None:
            self.amount.clear()
            if method == "cash":
                self.shell.devices.open_drawer()
            self.shell.banner.show_message(
                tr("Payment taken. New balance {0}.").format(self.shell.money(balance)), "ok"
            )

        ChangeOp(
            self.shell,
            lambda ctx, _ap: uc.take_account_payment(ctx, cid, uid, amount, method),
            Change.CUSTOMERS | Change.SHIFT,
        ).success(done).run()
