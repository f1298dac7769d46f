"""Customers: look one up, see balance, limit and aging, attach to the sale, take a payment; a
supervisor (or a cashier with one's approval) adds a customer or changes type and contact details,
and on a standalone till the credit limit and terms. Names are shown, never customer numbers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import TillContext
from app.domain.customer_fields import CustomerFields
from app.domain.permissions import Approval
from app.queries import carts, people
from app.queries.carts import CartView
from app.usecases import cart_customer as cart_uc
from app.usecases import customers as uc
from app.usecases.customers import CreditStatus
from kernel.money import format_money
from kernel.records import CustomerInfo
from ui.fmt import tr
from ui.ops import Change, ChangeOp, QueryOp
from ui.screens.customer_form import CustomerForm
from ui.widgets import Keypad, button, grid, heading, named, one_shot

if TYPE_CHECKING:
    from ui.shell import Shell

PLAIN_AMOUNT = re.compile(r"[0-9]{1,9}([.,][0-9]+)?")  # digits and one decimal mark: no "1e9", no sign


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
        self.amount.setPlaceholderText(tr("Amount"))
        self.form = CustomerForm(self, self.save, self.cancel_form)
        account = QWidget()
        acc = QVBoxLayout(account)
        acc.setContentsMargins(0, 0, 0, 0)
        self.reason = named(QLineEdit(), "custReason")
        self.reason.setPlaceholderText(tr("Reason of an adjustment"))
        typed = QHBoxLayout()  # one row: the account page fits 800x600
        typed.addWidget(self.amount, 2)
        typed.addWidget(self.reason, 3)
        acc.addWidget(self.detail)
        acc.addLayout(typed)
        acc.addWidget(Keypad(self.amount, columns=5), 1)
        acc.addLayout(grid([
            button(tr("Pay in cash"), lambda: self.pay("cash"), key="F5", parent=self, name="custPayCash"),
            button(tr("Pay by card"), lambda: self.pay("card"), key="F6", parent=self, name="custPayCard"),
            button(tr("Adjust +"), lambda: self.adjust(1), key="F9", parent=self, name="custAdjustUp"),
            button(tr("Adjust −"), lambda: self.adjust(-1), key="F10", parent=self, name="custAdjustDown"),
        ], 4))
        self.pages = QStackedWidget()
        self.pages.addWidget(account)
        self.pages.addWidget(self.form)
        manage = grid([
            button(tr("New customer"), self.new_customer, key="F7", parent=self, name="custNew"),
            button(tr("Change details"), self.edit_customer, key="F8", parent=self, name="custEdit"),
        ], 2)
        self.sale_row = QWidget()  # hidden while the form is open: the form has its own Save and Cancel
        sale_row = grid([
            button(tr("Attach"), self.attach, key="F2", parent=self, role="primary", name="custAttach"),
            button(tr("Remove"), self.detach, key="F3", parent=self, name="custDetach"),
            button(tr("Back"), lambda: shell.go("sale"), key="Esc", parent=self, name="custBack"),
        ], 3)
        left = QVBoxLayout()
        left.addWidget(heading(tr("Customers")))
        left.addWidget(self.scan_field)
        left.addWidget(self.list, 1)
        left.addLayout(manage)
        sale_row.setContentsMargins(0, 0, 0, 0)
        self.sale_row.setLayout(sale_row)
        right = QVBoxLayout()
        right.addWidget(self.pages, 1)
        right.addWidget(self.sale_row)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 2)
        row.addLayout(right, 3)
        shell.changed.connect(self._data_changed)

    def entered(self) -> None:
        self.lookup()

    def reset(self) -> None:
        """Logout: the customer looked up, the amount and the form typed go."""
        self.status = None
        for widget in (self.scan_field, self.amount, self.reason, self.detail, self.list):
            widget.clear()
        self.show_page(0)

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
            item = QListWidgetItem(c.name + (f"   {tr('blocked')}" if c.blocked else ""))
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.list.addItem(item)

    def select(self, customer_id: str) -> None:
        QueryOp(self.shell, lambda ctx: uc.credit_status(ctx, customer_id), self._show).run()

    def _show(self, status: CreditStatus) -> None:
        self.status = status
        m, c = self.shell.money, status.customer
        aging = "   ".join(f"{k}: {m(v)}" for k, v in status.aging.items())
        kind = tr("Wholesale") if c.customer_type == "wholesale" else tr("Retail")
        contact = "   ".join(x for x in (c.contact_person, c.phone, c.email) if x)
        lines = [f"<b>{_html(c.name)}</b>   {kind}"]
        if contact:
            lines.append(_html(contact))
        lines += [
            tr("Balance {0}   limit {1}   available {2}").format(
                m(status.balance), m(c.credit_limit), m(status.available)
            ),
            tr("Overdue {0}   terms {1} days").format(m(status.overdue), c.terms_days),
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

    def _typed_amount(self) -> int | None:
        """The amount typed for a payment or an adjustment, or None with the banner saying why."""
        if self.status is None:
            self.shell.show_error(tr("Choose a customer first."))
            return None
        typed = self.amount.text().strip()
        amount = self.shell.parse_money(typed) if PLAIN_AMOUNT.fullmatch(typed) else None
        if not typed:
            self.shell.show_error(tr("Type the amount first."))
        elif amount is None:
            self.shell.show_error(tr("{0} is not an amount the account can be paid.").format(typed[:20]))
        return amount

    def adjust(self, sign: int) -> None:
        """A supervisor's correction of the balance (+ raises what the customer owes)."""
        amount = self._typed_amount()
        if amount is None or self.status is None:
            return
        cid, uid, reason = self.status.customer.id, self.user_id(), self.reason.text()

        def done(balance: int) -> None:
            self.amount.clear()
            self.reason.clear()
            self.shell.banner.show_message(
                tr("Balance adjusted. New balance {0}.").format(self.shell.money(balance)), "ok"
            )

        ChangeOp(
            self.shell, lambda ctx, ap: uc.adjust_balance(ctx, uid, cid, sign * amount, reason, ap), Change.CUSTOMERS,
        ).success(done).approvable(tr("Adjust a customer's balance"), reason).run()

    def pay(self, method: str) -> None:
        amount = self._typed_amount()
        if amount is None or self.status is None:
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

    # -- adding and changing customers ----------------------------------------------------------
    def new_customer(self) -> None:
        QueryOp(self.shell, uc.standalone, lambda standalone: self._open_form(None, standalone)).run()

    def edit_customer(self) -> None:
        if self.status is None:
            self.shell.show_error(tr("Choose a customer first."))
            return
        customer = self.status.customer
        QueryOp(self.shell, uc.standalone, lambda standalone: self._open_form(customer, standalone)).run()

    def _open_form(self, customer: CustomerInfo | None, standalone: bool) -> None:
        exp = self.shell.settings.exponent
        self.form.start(customer, standalone, lambda minor: format_money(minor, exp))
        self.show_page(1)
        self.form.inputs["name"].setFocus()

    def show_page(self, page: int) -> None:
        """0: the account with its payment keypad; 1: the form (emptied when it is left)."""
        if page == 0:
            self.form.clear()
        self.pages.setCurrentIndex(page)
        self.sale_row.setVisible(page == 0)

    def cancel_form(self) -> None:
        self.show_page(0)
        self.shell.focus_scan()

    def save(self) -> None:
        fields = self.form.fields(self.shell.parse_money)
        if isinstance(fields, str):
            self.shell.show_error(fields)
            return
        uid, editing = self.user_id(), self.form.editing
        if editing is None:
            ChangeOp(self.shell, lambda ctx, ap: uc.add_customer(ctx, uid, fields, ap), Change.CUSTOMERS) \
                .success(lambda cid: self._saved(cid, tr("Customer {0} added."), fields)) \
                .approvable(tr("Add a customer")).run()
        else:
            cid = editing.id
            ChangeOp(self.shell, lambda ctx, ap: uc.update_customer(ctx, uid, cid, fields, ap).id,
                     Change.CUSTOMERS).success(lambda _cid: self._saved(cid, tr("Details of {0} saved."), fields)) \
                .approvable(tr("Change a customer")).run()

    def _saved(self, customer_id: str, message: str, fields: CustomerFields) -> None:
        """The form empties and the customer saved is shown, with the action's own banner."""
        self.show_page(0)
        self.shell.banner.show_message(message.format((fields.name or "").strip()), "ok")
        self.status = None  # the refresh after this change must not bring back the customer shown before
        self.select(customer_id)
        self.lookup()


def _html(text: str) -> str:
    """A customer's own text in the rich-text detail line: shown as typed, never as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
