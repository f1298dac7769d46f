"""Returns and voids: find the receipt, pick lines and quantities, refund (supervisor), or void
a sale of this shift (supervisor)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.queries import returns
from app.queries.returns import Returnable
from app.usecases import returns as uc
from kernel.sale_records import RefundRecord, SaleLineRecord
from ui import fmt
from ui.fmt import tr
from ui.ops import Change, ChangeOp, QueryOp
from ui.widgets import button, heading, named, placeholder

if TYPE_CHECKING:
    from ui.shell import Shell


class ReturnsScreen(QWidget):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.found: Returnable | None = None
        self.chosen: dict[str, int] = {}
        self.to = "original"
        self.scan_field = named(QLineEdit(), "receiptNo")
        placeholder(self.scan_field, tr("Scan or type the receipt number"))
        self.scan_field.returnPressed.connect(self.find_receipt)
        self.info = named(QLabel(), "returnInfo")
        self.info.setWordWrap(True)
        self.table = named(QTableWidget(0, 4), "returnTable")
        self.table.setHorizontalHeaderLabels([tr("Item"), tr("Sold"), tr("Can return"), tr("Return")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(52)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.to_original = button(
            tr("To original payment"), lambda: self.set_to("original"), role="choice", name="toOriginal"
        )
        self.to_cash = button(tr("In cash"), lambda: self.set_to("cash"), role="choice", name="toCash")
        for b in (self.to_original, self.to_cash):
            b.setCheckable(True)
        actions = [
            button(tr("Find"), self.find_receipt, key="F2", parent=self, name="retFind"),
            button(tr("+1"), lambda: self.step(1000), key="PgUp", parent=self, name="retPlus"),
            button(tr("−1"), lambda: self.step(-1000), key="PgDown", parent=self, name="retMinus"),
            button(tr("All"), self.take_all, key="F3", parent=self, name="retAll"),
            button(tr("Refund"), self.refund, key="F12", parent=self, role="primary", name="retRefund"),
            button(tr("Void sale"), self.void, key="F8", parent=self, role="danger", name="retVoid"),
            button(tr("Back to sale"), lambda: shell.go("sale"), key="Esc", parent=self, name="retBack"),
        ]
        top = QHBoxLayout()
        top.addWidget(self.scan_field, 1)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(heading(tr("Returns and voids")))
        col.addLayout(top)
        col.addWidget(self.info)
        col.addWidget(self.table, 1)
        method = QHBoxLayout()
        method.addWidget(self.to_original)
        method.addWidget(self.to_cash)
        col.addLayout(method)
        row = QHBoxLayout()
        for b in actions:
            row.addWidget(b)
        col.addLayout(row)
        self.set_to("original")
        shell.changed.connect(self._data_changed)

    def entered(self) -> None:
        self.scan_field.setFocus()

    def set_to(self, to: str) -> None:
        self.to = to
        self.to_original.setChecked(to == "original")
        self.to_cash.setChecked(to == "cash")

    def find_receipt(self, ref: str | None = None) -> None:
        ref = (ref or self.scan_field.text()).strip()
        if not ref:
            self.shell.show_error(tr("Scan or type the receipt number first."))
            return
        QueryOp(self.shell, lambda ctx: returns.returnable(ctx, ref), self._show).run()

    def _data_changed(self, changes: Change) -> None:
        """A refund or void (here or anywhere) changes what is left: the receipt shown is read again."""
        if Change.SALES in changes and self.found is not None and self.isVisible():
            self.find_receipt(self.found.sale.receipt_no)

    def reset(self) -> None:
        """Logout: the receipt looked up and the quantities picked go."""
        self.found, self.chosen = None, {}
        self.scan_field.clear()
        self.info.clear()
        self._draw()

    def _show(self, found: Returnable) -> None:
        self.found, self.chosen = found, {}
        sale = found.sale
        state = tr(" (voided)") if found.voided else ""
        self.info.setText(
            tr("Receipt {0}{1}: {2}, paid {3}").format(
                sale.receipt_no, state, fmt.date(sale.business_date), self.shell.money(sale.gross)
            )
        )
        self._draw()

    def _draw(self) -> None:
        found = self.found
        lines = found.sale.lines if found else ()
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            cells = [
                line.name,
                fmt.qty(line.qty_milli),
                fmt.qty(found.left[line.id] if found else 0),
                fmt.qty(self.chosen.get(line.id, 0)),
            ]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        if lines and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)

    def _line(self) -> SaleLineRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if not self.found or not rows:
            return None
        return self.found.sale.lines[rows[0].row()]

    def step(self, delta: int) -> None:
        line = self._line()
        if line is None or self.found is None:
            return
        left = self.found.left[line.id]
        unit = 1000 if line.qty_milli % 1000 == 0 else line.qty_milli
        value = min(max(self.chosen.get(line.id, 0) + (unit if delta > 0 else -unit), 0), left)
        self.chosen[line.id] = value
        row = self.table.selectionModel().selectedRows()[0].row()
        self._draw()
        self.table.selectRow(row)

    def take_all(self) -> None:
        if self.found:
            self.chosen = {k: v for k, v in self.found.left.items() if v > 0}
            self._draw()

    def refund(self) -> None:
        if not self.found:
            self.shell.show_error(tr("Find the receipt first."))
            return
        items = [(k, v) for k, v in self.chosen.items() if v > 0]
        ref, uid, to = self.found.sale.receipt_no, self.user_id(), self.to
        ChangeOp(
            self.shell,
            lambda ctx, ap: uc.refund(ctx, ref, uid, items, to=to, approval=ap),
            Change.SALES | Change.SHIFT | Change.CUSTOMERS,
        ).success(self._refunded).approvable(tr("Refund on receipt {0}").format(ref), tr("customer return")).run()

    def user_id(self) -> str:
        assert self.shell.user is not None
        return self.shell.user.id

    def _refunded(self, record: RefundRecord) -> None:
        self.shell.devices.spooled()  # the slip, and the drawer kick for cash handed back, came with the refund
        self.shell.banner.show_message(
            tr("Refunded {0} ({1}).").format(self.shell.money(record.gross), record.receipt_no), "ok"
        )

    def void(self) -> None:
        if not self.found:
            self.shell.show_error(tr("Find the receipt first."))
            return
        ref, uid, default_reason = self.found.sale.receipt_no, self.user_id(), tr("void at till")
        ChangeOp(
            self.shell,
            lambda ctx, ap: uc.void_sale(ctx, ref, uid, ap.reason if ap else default_reason, approval=ap),
            Change.SALES | Change.SHIFT | Change.CUSTOMERS,
        ).success(lambda _: self._voided(ref)).approvable(
            tr("Void sale {0}").format(ref), tr("customer changed mind")
        ).run()

    def _voided(self, ref: str) -> None:
        self.shell.banner.show_message(tr("Sale {0} is voided.").format(ref), "ok")
