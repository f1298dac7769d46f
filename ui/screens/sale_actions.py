"""The sale screen's line edits, park/resume, cancel and its rendering (methods of SaleScreen)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTableWidgetItem

from app.context import TillContext
from app.domain.permissions import Approval
from app.queries import carts
from app.queries.carts import CartView, ParkedCart
from app.usecases import cart_discounts, cart_lifecycle, cart_lines
from kernel.cart_state import CartLineState
from ui import fmt
from ui.fmt import tr
from ui.ops import Change, ChangeOp, QueryOp

if TYPE_CHECKING:
    from ui.screens.sale import SaleScreen


def show_cart(self: SaleScreen, view: CartView | None) -> None:
    """Draw lines, customer and totals from a CartView (None: no sale yet)."""
    self.view = view
    self.table.setRowCount(0)
    if view is None or view.cart.status == "COMPLETED":
        self.table.setColumnHidden(3, True)
        self.customer.setText("")
        self.totals.setText(tr("Scan an item to start a sale."))
        self.total.setText(tr("Total {0}").format(self.shell.money(0)))
        return
    cart, priced = view.cart, view.priced
    self.table.setRowCount(len(cart.lines))
    for row, (line, p) in enumerate(zip(cart.lines, priced.lines, strict=True)):
        offer = view.promotion_names.get(p.promotion_id, "") if p.promotion_id is not None else ""
        cells = [
            f"{line.name} · {offer}" if offer else line.name,
            fmt.qty(line.qty_milli, line.unit),
            self.shell.money(line.unit_price),
            (f"-{self.shell.money(p.discount)}" if p.discount else ""),
            self.shell.money(p.gross),
        ]
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if col == 0:
                item.setToolTip(text)  # a long name is cut with "…" in a narrow window
            self.table.setItem(row, col, item)
    if cart.lines:
        self.table.selectRow(len(cart.lines) - 1)
    self.table.setColumnHidden(3, not any(p.discount for p in priced.lines))  # room for the names
    if view.customer is not None and view.credit is not None:
        credit = view.credit
        state = (
            tr("blocked") if view.customer.blocked else tr("credit left {0}").format(self.shell.money(credit.available))
        )
        self.customer.setText(tr("Customer: {0} ({1})").format(view.customer.name, state))
    else:
        self.customer.setText("")
    disc = priced.line_discount + priced.subtotal_discount
    lines = fmt.plural(len(cart.lines), tr("{0} line"), tr("{0} lines"))
    self.totals.setText(
        tr("{0}   discount {1}   tax {2}").format(lines, self.shell.money(disc), self.shell.money(priced.tax))
    )
    self.total.setText(tr("Total {0}").format(self.shell.money(priced.gross)))


def selected_line(self: SaleScreen) -> CartLineState | None:
    if self.view is None or not self.view.cart.lines:
        self.shell.show_error(tr("There is no line to change: scan an item first."))
        return None
    rows = self.table.selectionModel().selectedRows()
    row = rows[0].row() if rows else len(self.view.cart.lines) - 1
    return self.view.cart.lines[row]


def open_entry(
    self: SaleScreen, title: str, hint: str, submit: Callable[[str], None], *, percent: bool = False, text: str = ""
) -> None:
    self.entry.open(title, hint, submit, percent=percent, text=text)
    self.side.setCurrentWidget(self.entry)


def edit_qty(self: SaleScreen) -> None:
    line = self.selected_line()
    if line is None:
        return
    uid = self.user_id()

    def submit(text: str) -> None:
        qty = fmt.parse_quantity(text)
        if qty is None:
            self.shell.show_error(tr("Type a quantity above zero."))
            return
        self._act(lambda ctx, cid, ap: cart_lines.set_quantity(ctx, cid, line.id, uid, qty, approval=ap))

    self.open_entry(tr("Quantity of {0}").format(line.name), tr("Lowering a quantity needs a supervisor."), submit)


def _discount(self: SaleScreen, text: str, apply: Callable[[str | None, int], None]) -> None:
    text = text.strip()
    if text.endswith("%"):
        apply(text[:-1].replace(",", ".").strip() or "0", 0)
        return
    amount = self.shell.parse_money(text)
    if amount is None:
        self.shell.show_error(tr("Type the discount as an amount (2,00) or a percentage (10%)."))
        return
    apply(None, amount)


def edit_discount(self: SaleScreen) -> None:
    line = self.selected_line()
    if line is None:
        return
    uid = self.user_id()

    def apply(pct: str | None, amount: int) -> None:
        self._act(
            lambda ctx, cid, ap: cart_discounts.set_line_discount(
                ctx, cid, line.id, uid, percent=pct, amount=amount, approval=ap
            )
        )

    self.open_entry(
        tr("Discount on {0}").format(line.name),
        tr("An amount, or a percentage ending in %."),
        lambda t: _discount(self, t, apply),
        percent=True,
    )


def edit_subtotal(self: SaleScreen) -> None:
    if self.selected_line() is None:
        return
    uid = self.user_id()

    def apply(pct: str | None, amount: int) -> None:
        self._act(
            lambda ctx, cid, ap: cart_discounts.set_subtotal_discount(
                ctx, cid, uid, percent=pct, amount=amount, approval=ap
            )
        )

    self.open_entry(
        tr("Discount on the whole sale"),
        tr("An amount, or a percentage ending in %."),
        lambda t: _discount(self, t, apply),
        percent=True,
    )


def edit_price(self: SaleScreen) -> None:
    line = self.selected_line()
    if line is None:
        return
    uid = self.user_id()

    def submit(text: str) -> None:
        price = self.shell.parse_money(text)
        if price is None:
            self.shell.show_error(tr("Type a price, e.g. 2,49."))
            return
        self._act(lambda ctx, cid, ap: cart_discounts.override_price(ctx, cid, line.id, uid, price, approval=ap))

    self.open_entry(tr("New price of {0}").format(line.name), tr("Changing a price needs a supervisor."), submit)


def remove_line(self: SaleScreen) -> None:
    line = self.selected_line()
    if line is not None:
        uid = self.user_id()
        self._act(
            lambda ctx, cid, ap: cart_lines.remove_line(ctx, cid, line.id, uid, approval=ap),
            tr("Remove {0}").format(line.name),
        )


def cancel_sale(self: SaleScreen) -> None:
    ref, uid = self.shell.cart_ref, self.user_id()
    cid = ref.id
    if cid is None:
        return
    ChangeOp(self.shell, lambda ctx, ap: cart_lifecycle.cancel(ctx, cid, uid, approval=ap), Change.CART).success(
        lambda _: new_sale(self, tr("Sale cancelled."))
    ).approvable(tr("Cancel the whole sale")).run()


def new_sale(self: SaleScreen, message: str = "") -> None:
    self.shell.cart_ref = type(self.shell.cart_ref)()
    self.show_cart(None)
    if message:
        self.shell.info(message)


def park(self: SaleScreen) -> None:
    ref, uid = self.shell.cart_ref, self.user_id()
    if ref.id is None:
        self.shell.show_error(tr("An empty sale cannot be parked."))
        return
    cid = ref.id
    ChangeOp(self.shell, lambda ctx, _ap: cart_lifecycle.park(ctx, cid, uid), Change.CART).success(
        lambda _: new_sale(self, tr("Sale parked."))
    ).run()


def parked_row(self: SaleScreen, c: ParkedCart) -> str:
    """Two lines that tell parked sales apart: time, total and items; cashier and customer."""
    items = fmt.plural(c.items, tr("{0} item"), tr("{0} items"))
    who = " · ".join(x for x in (c.cashier, c.customer or c.label or "") if x)
    return f"{c.updated_at[11:16]}   {self.shell.money(c.total)}   {items}\n{who}"


def show_parked(self: SaleScreen) -> None:
    def fill(rows: list[ParkedCart]) -> None:
        items = [(parked_row(self, c), c.id) for c in rows]
        self.picks.show_items(tr("Parked sales: {0}").format(len(rows)), items, self.resume)
        self.side.setCurrentWidget(self.picks)

    QueryOp(self.shell, carts.parked, fill).run()


def resume(self: SaleScreen, cart_id: str) -> None:
    """Resume a parked sale; with items in the cart, offer to park this one and swap."""
    current = self.shell.cart_ref.id
    if self.view is not None and self.view.cart.lines and self.view.cart.status != "COMPLETED":
        self.shell.banner.show_message(
            tr("This sale has items. Park it and resume the one you chose?"),
            "warn",
            action=(tr("Park and resume"), lambda: _resume(self, cart_id, park_first=current)),
        )
        return
    _resume(self, cart_id)


def _resume(self: SaleScreen, cart_id: str, park_first: str | None = None) -> None:
    uid = self.user_id()
    self.shell.banner.clear()

    def op(ctx: TillContext, _approval: Approval | None) -> CartView:
        if park_first is not None:  # two actions, each its own transaction: the park stands on its own
            cart_lifecycle.park(ctx, park_first, uid)
        cart_lifecycle.resume(ctx, cart_id, uid)
        return carts.cart_view(ctx, cart_id)

    def done(view: CartView) -> None:
        self.shell.cart_ref.id = cart_id
        self.show_catalogue()
        self.show_cart(view)
        self.shell.info(tr("Sale resumed."))

    ChangeOp(self.shell, op, Change.CART).success(done).run()


def pay(self: SaleScreen) -> None:
    if self.view is None or not self.view.cart.lines:
        self.shell.show_error(tr("The sale has no items to pay for."))
        return
    self.shell.go("payment")
