"""Returns and voids: find the receipt, pick lines and quantities, refund (supervisor), or void
a sale of this shift (supervisor)."""

from __future__ import annotations

from typing import Any

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

from app.usecases import returns as uc
from ui import fmt, queries
from ui.fmt import tr
from ui.widgets import button, heading


class ReturnsScreen(QWidget):
    def __init__(self, shell: Any) -> None:
        super().__init__()
        self.shell = shell
        self.found: Any = None
        self.chosen: dict[str, int] = {}
        self.to = "original"
        self.scan_field = QLineEdit(objectName="receiptNo")
        self.scan_field.setPlaceholderText(tr("Scan or type the receipt number"))
        self.scan_field.returnPressed.connect(self.find)
        self.info = QLabel(objectName="returnInfo")
        self.info.setWordWrap(True)
        self.table = QTableWidget(0, 4, objectName="returnTable")
        self.table.setHorizontalHeaderLabels([tr("Item"), tr("Sold"), tr("Can return"), tr("Return")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(52)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.to_original = button(tr("To original payment"), lambda: self.set_to("original"), role="choice",
                                  name="toOriginal")
        self.to_cash = button(tr("In cash"), lambda: self.set_to("cash"), role="choice", name="toCash")
        for b in (self.to_original, self.to_cash):
            b.setCheckable(True)
        actions = [
            button(tr("Find"), self.find, key="F2", parent=self, name="retFind"),
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

    def entered(self) -> None:
        self.scan_field.setFocus()

    def set_to(self, to: str) -> None:
        self.to = to
        self.to_original.setChecked(to == "original")
        self.to_cash.setChecked(to == "cash")

    def find(self, ref: str | None = None) -> None:
        ref = (ref or self.scan_field.text()).strip()
        if not ref:
            self.shell.show_error(tr("Scan or type the receipt number first."))
            return
        self.shell.run(lambda ctx: queries.returnable(ctx, ref), self._show)

    def _show(self, found: Any) -> None:
        self.found, self.chosen = found, {}
        sale = found.sale
        state = tr(" (voided)") if found.voided else ""
        self.info.setText(tr("Receipt {0}{1}: {2}, paid {3}").format(
            sale.receipt_no, state, fmt.date(sale.business_date), self.shell.money(sale.gross)))
        self._draw()

    def _draw(self) -> None:
        lines = self.found.sale.lines if self.found else ()
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            cells = [line.name, fmt.qty(line.qty_milli), fmt.qty(self.found.left[line.id]),
                     fmt.qty(self.chosen.get(line.id, 0))]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        if lines and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)

    def _line(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        if not self.found or not rows:
            return None
        return self.found.sale.lines[rows[0].row()]

    def step(self, delta: int) -> None:
        line = self._line()
        if line is None:
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
        ref, uid, to = self.found.sale.receipt_no, self.shell.user.id, self.to

        def make(ap: Any) -> Any:
            return lambda ctx: uc.refund(ctx, ref, uid, items, to=to, approval=ap)

        self.shell.run_approvable(make, self._refunded, tr("Refund on receipt {0}").format(ref), tr("customer return"))

    def _refunded(self, record: Any) -> None:
        self.shell.devices.spooled()  # the slip, and the drawer kick for cash handed back, came with the refund
        self.shell.banner.show_message(tr("Refunded {0} ({1}).").format(
            self.shell.money(record.gross), record.receipt_no), "ok")
        self.find(self.found.sale.receipt_no)

    def void(self) -> None:
        if not self.found:
            self.shell.show_error(tr("Find the receipt first."))
            return
        ref, uid = self.found.sale.receipt_no, self.shell.user.id

        def make(ap: Any) -> Any:
            reason = ap.reason if ap else tr("void at till")
            return lambda ctx: uc.void_sale(ctx, ref, uid, reason, approval=ap)

        self.shell.run_approvable(make, lambda _: self._voided(ref), tr("Void sale {0}").format(ref),
                                  tr("customer changed mind"))

    def _voided(self, ref: str) -> None:
        self.shell.banner.show_message(tr("Sale {0} is voided.").format(ref), "ok")
        self.find(ref)
