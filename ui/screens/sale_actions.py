"""The sale screen's line edits, park/resume, cancel and its rendering (methods of SaleScreen)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTableWidgetItem

from app.usecases import cart_discounts, cart_lifecycle, cart_lines
from ui import fmt, queries
from ui.fmt import tr


def render(self: Any, view: Any) -> None:
    """Draw lines, customer and totals from a CartView (None: no sale yet)."""
    self.view = view
    self.table.setRowCount(0)
    if view is None or view.cart.status == "COMPLETED":
        self.customer.setText("")
        self.totals.setText(tr("Scan an item to start a sale."))
        self.total.setText(tr("Total {0}").format(self.shell.money(0)))
        return
    cart, priced = view.cart, view.priced
    self.table.setRowCount(len(cart.lines))
    for row, (line, p) in enumerate(zip(cart.lines, priced.lines, strict=True)):
        cells = [line.name, fmt.qty(line.qty_milli, line.unit), self.shell.money(line.unit_price),
                 (f"-{self.shell.money(p.discount)}" if p.discount else ""), self.shell.money(p.gross)]
        for col, text in enumerate(cells):
            self.table.setItem(row, col, QTableWidgetItem(text))
    if cart.lines:
        self.table.selectRow(len(cart.lines) - 1)
    if view.customer is not None:
        credit = view.credit
        state = tr("blocked") if view.customer.blocked else tr("credit left {0}").format(
            self.shell.money(credit.available))
        self.customer.setText(tr("Customer: {0} ({1})").format(view.customer.name, state))
    else:
        self.customer.setText("")
    disc = priced.line_discount + priced.subtotal_discount
    self.totals.setText(tr("{0} line(s)   discount {1}   tax {2}").format(
        len(cart.lines), self.shell.money(disc), self.shell.money(priced.tax)))
    self.total.setText(tr("Total {0}").format(self.shell.money(priced.gross)))


def selected_line(self: Any) -> Any:
    if self.view is None or not self.view.cart.lines:
        self.shell.show_error(tr("There is no line to change: scan an item first."))
        return None
    rows = self.table.selectionModel().selectedRows()
    row = rows[0].row() if rows else len(self.view.cart.lines) - 1
    return self.view.cart.lines[row]


def open_entry(self: Any, title: str, hint: str, submit: Any, *, percent: bool = False, text: str = "") -> None:
    self.entry.open(title, hint, submit, percent=percent, text=text)
    self.side.setCurrentWidget(self.entry)


def edit_qty(self: Any) -> None:
    line = self.selected_line()
    if line is None:
        return
    uid = self.shell.user.id

    def submit(text: str) -> None:
        qty = fmt.parse_quantity(text)
        if qty is None:
            self.shell.show_error(tr("Type a quantity above zero."))
            return
        self._act(lambda ctx, cid, ap: cart_lines.set_quantity(ctx, cid, line.id, uid, qty, approval=ap))

    self.open_entry(tr("Quantity of {0}").format(line.name), tr("Lowering a quantity needs a supervisor."), submit)


def _discount(self: Any, text: str, apply: Any) -> None:
    text = text.strip()
    if text.endswith("%"):
        apply(text[:-1].replace(",", ".").strip() or "0", 0)
        return
    amount = self.shell.parse_money(text)
    if amount is None:
        self.shell.show_error(tr("Type the discount as an amount (2,00) or a percentage (10%)."))
        return
    apply(None, amount)


def edit_discount(self: Any) -> None:
    line = self.selected_line()
    if line is None:
        return
    uid = self.shell.user.id

    def apply(pct: str | None, amount: int) -> None:
        self._act(lambda ctx, cid, ap: cart_discounts.set_line_discount(ctx, cid, line.id, uid, percent=pct,
                                                                        amount=amount, approval=ap))

    self.open_entry(tr("Discount on {0}").format(line.name), tr("An amount, or a percentage ending in %."),
                    lambda t: _discount(self, t, apply), percent=True)


def edit_subtotal(self: Any) -> None:
    if self.selected_line() is None:
        return
    uid = self.shell.user.id

    def apply(pct: str | None, amount: int) -> None:
        self._act(lambda ctx, cid, ap: cart_discounts.set_subtotal_discount(ctx, cid, uid, percent=pct,
                                                                            amount=amount, approval=ap))

    self.open_entry(tr("Discount on the whole sale"), tr("An amount, or a percentage ending in %."),
                    lambda t: _discount(self, t, apply), percent=True)


def edit_price(self: Any) -> None:
    line = self.selected_line()
    if line is None:
        return
    uid = self.shell.user.id

    def submit(text: str) -> None:
        price = self.shell.parse_money(text)
        if price is None:
            self.shell.show_error(tr("Type a price, e.g. 2,49."))
            return
        self._act(lambda ctx, cid, ap: cart_discounts.override_price(ctx, cid, line.id, uid, price, approval=ap))

    self.open_entry(tr("New price of {0}").format(line.name), tr("Changing a price needs a supervisor."), submit)


def remove_line(self: Any) -> None:
    line = self.selected_line()
    if line is not None:
        uid = self.shell.user.id
        self._act(lambda ctx, cid, ap: cart_lines.remove_line(ctx, cid, line.id, uid, approval=ap),
                  tr("Remove {0}").format(line.name))


def cancel_sale(self: Any) -> None:
    ref, uid = self.shell.cart_ref, self.shell.user.id
    if ref.id is None:
        return

    def make(ap: Any) -> Any:
        return lambda ctx: cart_lifecycle.cancel(ctx, ref.id, uid, approval=ap)

    self.shell.run_approvable(make, lambda _: new_sale(self, tr("Sale cancelled.")), tr("Cancel the whole sale"))


def new_sale(self: Any, message: str = "") -> None:
    self.shell.cart_ref = type(self.shell.cart_ref)()
    self.render(None)
    if message:
        self.shell.info(message)


def park(self: Any) -> None:
    ref, uid = self.shell.cart_ref, self.shell.user.id
    if ref.id is None:
        self.shell.show_error(tr("An empty sale cannot be parked."))
        return
    cid = ref.id
    self.shell.run(lambda ctx: cart_lifecycle.park(ctx, cid, uid), lambda _: new_sale(self, tr("Sale parked.")))


def show_parked(self: Any) -> None:
    def fill(rows: list[tuple[str, str | None, str]]) -> None:
        items = [(f"{label or tr('Parked sale')}   {updated[11:16]}", cid) for cid, label, updated in rows]
        self.picks.show_items(tr("Parked sales: {0}").format(len(rows)), items, self.resume)
        self.side.setCurrentWidget(self.picks)

    self.shell.run(queries.parked, fill)


def resume(self: Any, cart_id: str) -> None:
    if self.view is not None and self.view.cart.lines and self.view.cart.status != "COMPLETED":
        self.shell.show_error(tr("Park or finish the current sale first."))
        return
    uid = self.shell.user.id

    def op(ctx: Any) -> Any:
        cart_lifecycle.resume(ctx, cart_id, uid)
        return queries.cart_view(ctx, cart_id)

    def done(view: Any) -> None:
        self.shell.cart_ref.id = cart_id
        self.show_catalogue()
        self.render(view)
        self.shell.info(tr("Sale resumed."))

    self.shell.run(op, done)


def pay(self: Any) -> None:
    if self.view is None or not self.view.cart.lines:
        self.shell.show_error(tr("The sale has no items to pay for."))
        return
    self.shell.go("payment")
