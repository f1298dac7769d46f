"""The sale screen: scan, search, tap, edit lines by touch, see totals, go to payment.

Every change is one worker op that also returns the fresh cart view, so the screen redraws
from what the database holds; a refused change leaves the cart exactly as it was shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import TillContext
from app.domain.permissions import Approval
from app.queries import carts, catalogue
from app.queries.carts import CartView
from app.usecases import cart_lifecycle, cart_lines
from kernel.records import ProductInfo
from ui import fmt
from ui.fmt import tr
from ui.ops import Change, ChangeOp, QueryOp
from ui.screens import sale_actions
from ui.screens.catalogue_panel import CataloguePanel, PickList
from ui.screens.entry import EntryPanel
from ui.widgets import button, named, one_shot, placeholder

if TYPE_CHECKING:
    from ui.shell import Shell

# A change to the open cart: fn(ctx, cart id, approval); see SaleScreen._act.
CartChange = Callable[[TillContext, str, Approval | None], object]


class CartRef:
    """The open cart's id, filled on the worker when the first item starts the sale."""

    def __init__(self) -> None:
        self.id: str | None = None


def ensure_cart(ctx: TillContext, ref: CartRef, user_id: str) -> str:
    if ref.id is None:
        ref.id = cart_lifecycle.start_cart(ctx, user_id)
    return ref.id


class SaleScreen(QWidget):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        shell.cart_ref = CartRef()
        self.view: CartView | None = None
        self.pending_weigh: ProductInfo | None = None
        self._search_seq = 0
        self.scan_field = named(QLineEdit(), "scan")
        placeholder(self.scan_field, tr("Scan or type a barcode / SKU"))
        self.scan_field.returnPressed.connect(self._scan_entered)
        self.search = named(QLineEdit(), "search")
        placeholder(self.search, tr("Search name or SKU (F3)"))
        self.search.textChanged.connect(self._search_changed)
        self._debounce = one_shot(self, self._run_search, 120)
        self.table = named(QTableWidget(0, 5), "cartTable")
        self.table.setHorizontalHeaderLabels([tr("Item"), tr("Qty"), tr("Price"), tr("Discount"), tr("Total")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name takes what is left
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(52)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.customer = named(QLabel(), "customerLine")
        self.totals = named(QLabel(), "totals")
        self.total = named(QLabel(), "bigTotal")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.side = QStackedWidget()
        self.catalogue = CataloguePanel(shell, self.add_product)
        self.picks = PickList(self.show_catalogue)
        self.entry = EntryPanel(self.show_catalogue)
        for w in (self.catalogue, self.picks, self.entry):
            self.side.addWidget(w)
        line_keys = [
            button(tr("Quantity"), self.edit_qty, key="F2", parent=self, name="btnQty"),
            button(tr("Line discount"), self.edit_discount, key="F5", parent=self, name="btnDiscount"),
            button(tr("Price"), self.edit_price, key="Ctrl+P", parent=self, name="btnPrice"),
            button(tr("Remove line"), self.remove_line, key="Del", parent=self, role="danger", name="btnRemove"),
        ]
        fn_keys = [  # the destructive key first, as far from Pay (last) as the row allows
            button(tr("Cancel sale"), self.cancel_sale, key="Ctrl+Del", parent=self, role="danger", name="btnCancel"),
            button(tr("Search"), self.search.setFocus, key="F3", parent=self, name="btnSearch"),
            button(tr("Customer"), lambda: shell.go("customers"), key="F4", parent=self, name="btnCustomer"),
            button(tr("Sale discount"), self.edit_subtotal, key="F6", parent=self, name="btnSubtotal"),
            button(tr("Park"), self.park, key="F7", parent=self, name="btnPark"),
            button(tr("Resume"), self.show_parked, key="F8", parent=self, name="btnResume"),
            button(tr("Returns"), lambda: shell.go("returns"), key="F9", parent=self, name="btnReturns"),
            button(tr("Shift"), lambda: shell.go("shift"), key="F10", parent=self, name="btnShift"),
            button(tr("Lock"), shell.lock, key="F11", parent=self, name="btnLock"),
            button(tr("Pay"), self.pay, key="F12", parent=self, role="primary", name="btnPay"),
        ]
        self.fn_keys = fn_keys
        top = QHBoxLayout()
        top.addWidget(self.scan_field, 3)
        top.addWidget(self.search, 2)
        left = QVBoxLayout()
        left.setSpacing(4)
        left.addLayout(top)
        left.addWidget(self.customer)
        left.addWidget(self.table, 1)
        lk = QHBoxLayout()
        for b, share in zip(line_keys, (3, 3, 2, 3), strict=True):  # "Price" is the short word
            lk.addWidget(b, share)
        left.addLayout(lk)
        left.addWidget(self.totals)
        left.addWidget(self.total)
        main = QHBoxLayout()
        main.addLayout(left, 11)
        main.addWidget(self.side, 9)
        self.fk = QGridLayout()
        self.fk.setSpacing(6)
        self._fk_rows = 0
        self._arrange_keys()
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(6)
        col.addLayout(main, 1)
        col.addLayout(self.fk)
        shell.devices.weight.connect(self._weighed)
        shell.devices.weight_error.connect(self._weigh_failed)
        self.show_cart(None)

    def _arrange_keys(self) -> None:
        """One row of function keys on a wide screen, two on a narrow one (each key keeps its words)."""
        rows = 1 if self.width() >= 1200 else 2
        if rows == self._fk_rows:
            return
        self._fk_rows = rows
        per_row = -(-len(self.fn_keys) // rows)
        for b in self.fn_keys:
            self.fk.removeWidget(b)
        for i, b in enumerate(self.fn_keys):
            self.fk.addWidget(b, i // per_row, i % per_row)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._arrange_keys()

    # -- entering ---------------------------------------------------------------------------------
    def entered(self) -> None:
        self.catalogue.load()
        self.show_catalogue()
        self.refresh()

    def reset(self) -> None:
        """Logout: the search typed and a half-typed entry go; the open cart stays (it is the shift's)."""
        self.search.clear()
        self.scan_field.clear()
        self.show_catalogue()

    def refresh(self) -> None:
        cid = self.shell.cart_ref.id
        if cid:
            QueryOp(self.shell, lambda ctx: carts.cart_view(ctx, cid), self.show_cart).run()
        else:
            self.show_cart(None)

    def _act(self, change: CartChange, what: str = "") -> None:
        """Run a cart change (starting the cart if there is none yet) and redraw from the result."""
        ref, uid = self.shell.cart_ref, self.user_id()

        def op(ctx: TillContext, approval: Approval | None) -> CartView:
            cid = ensure_cart(ctx, ref, uid)
            change(ctx, cid, approval)
            return carts.cart_view(ctx, cid)

        ChangeOp(self.shell, op, Change.CART).success(self._changed).approvable(what).run()

    def user_id(self) -> str:
        """Who is selling (the screen is only reachable logged in)."""
        assert self.shell.user is not None
        return self.shell.user.id

    def _changed(self, view: CartView) -> None:
        self.shell.banner.clear() if self.shell.banner.kind == "error" else None
        self.show_cart(view)

    # -- scanning and adding ----------------------------------------------------------------------
    def _scan_entered(self) -> None:
        code = self.scan_field.text().strip()
        self.scan_field.clear()
        if code:
            self.scan(code)

    def scan(self, code: str) -> None:
        """A code from the field or the wedge scanner; weighed items go to the scale first."""

        def found(product: ProductInfo | None) -> None:
            if product is not None and product.unit == "kg":
                self.weigh(product)
            else:
                self._add(code, None, None)

        QueryOp(self.shell, lambda ctx: catalogue.product(ctx, code), found).run()

    def add_product(self, product: ProductInfo) -> None:
        if product.unit == "kg":
            self.weigh(product)
        else:
            self._add(product.sku, None, None)
        self.shell.focus_scan()

    def _add(self, code: str, qty: int | None, source: str | None) -> None:
        uid = self.user_id()
        self._act(
            lambda ctx, cid, ap: cart_lines.add_item(
                ctx, cid, uid, code, qty_milli=qty, weight_source=source, approval=ap
            )
        )

    def weigh(self, product: ProductInfo) -> None:
        self.pending_weigh = product
        self.shell.info(tr("Weighing {0}…").format(product.name))
        self.shell.devices.weigh()

    def _weighed(self, grams: int) -> None:
        product, self.pending_weigh = self.pending_weigh, None
        if product is not None:
            self._add(product.sku, grams, "scale")

    def _weigh_failed(self, message: str) -> None:
        product = self.pending_weigh
        if product is None:
            return
        self.shell.banner.show_message(message, "error", action=(tr("Type weight"), lambda: self.type_weight(product)))

    def type_weight(self, product: ProductInfo) -> None:
        self.pending_weigh = None
        self.shell.banner.clear()
        self.open_entry(
            tr("Weight of {0} (kg)").format(product.name),
            tr("Typed weights need a supervisor."),
            lambda t: self._typed_weight(product, t),
        )

    def _typed_weight(self, product: ProductInfo, text: str) -> None:
        qty = fmt.parse_quantity(text)
        if qty is None:
            self.shell.show_error(tr("Type the weight in kg, e.g. 0,750."))
            return
        self._add(product.sku, qty, "manual")

    # -- search -----------------------------------------------------------------------------------
    def _search_changed(self, _text: str) -> None:
        self._debounce.start()

    def _run_search(self) -> None:
        text = self.search.text().strip()
        self._search_seq += 1
        seq = self._search_seq
        if len(text) < 2:
            self.show_catalogue()
            return
        QueryOp(
            self.shell, lambda ctx: catalogue.search(ctx, text), lambda found: self._results(seq, text, found)
        ).run()

    def _results(self, seq: int, text: str, found: list[ProductInfo]) -> None:
        if seq != self._search_seq:
            return  # a newer keystroke already asked again: this answer is stale
        items = [(f"{p.name}\n{p.sku}   {self.shell.money(p.price)}", p) for p in found]
        self.picks.show_items(tr("{0} found for “{1}”").format(len(found), text), items, self._pick_result)
        self.side.setCurrentWidget(self.picks)

    def _pick_result(self, product: ProductInfo) -> None:
        self.search.clear()
        self.show_catalogue()
        self.add_product(product)

    def show_catalogue(self) -> None:
        self.side.setCurrentWidget(self.catalogue)
        self.shell.focus_scan()

    # line edits, park/resume, pay and the rendering live in their own module
    cancel_sale = sale_actions.cancel_sale
    edit_discount = sale_actions.edit_discount
    edit_price = sale_actions.edit_price
    edit_qty = sale_actions.edit_qty
    edit_subtotal = sale_actions.edit_subtotal
    new_sale = sale_actions.new_sale
    open_entry = sale_actions.open_entry
    park = sale_actions.park
    pay = sale_actions.pay
    remove_line = sale_actions.remove_line
    resume = sale_actions.resume
    selected_line = sale_actions.selected_line
    show_cart = sale_actions.show_cart
    show_parked = sale_actions.show_parked
