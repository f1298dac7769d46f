"""The X/Z report at a readable size: the whole window, large type, large scroll keys, Print.

The shift screen's small preview stays for a glance; "Read" (or a report just made) opens this
view. Print goes through the same path as the shift screen's Print (`DeviceHub.print_report`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QVBoxLayout, QWidget

from ui.fmt import tr
from ui.widgets import button, heading, named

if TYPE_CHECKING:
    from ui.shell import Shell


class ReportView(QWidget):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.title = heading(tr("Report"))
        self.text = named(QPlainTextEdit(), "reportFull")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # a 42-column printout
        up = button(tr("▲ Up"), lambda: self.scroll_pages(-1), key="PgUp", parent=self, name="repUp")
        down = button(tr("▼ Down"), lambda: self.scroll_pages(1), key="PgDown", parent=self, name="repDown")
        self.print_btn = button(tr("Print"), self.print_report, key="F8", parent=self, role="primary",
                                name="repPrint")
        back = button(tr("Back"), lambda: shell.go("shift"), key="Esc", parent=self, name="repBack")
        keys = QVBoxLayout()
        for b in (up, down, self.print_btn, back):
            b.setMinimumHeight(80)
            keys.addWidget(b)
        row = QHBoxLayout()
        row.addWidget(self.text, 1)
        row.addLayout(keys)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.title)
        col.addLayout(row, 1)

    def show_report(self, receipt_text: str) -> None:
        lines = receipt_text.splitlines()
        self.title.setText(lines[0].strip() if lines else tr("Report"))
        self.text.setPlainText(receipt_text)
        self.shell.go("report")

    def scroll_pages(self, pages: int) -> None:
        """A page (less one line, so the eye keeps its place) up or down."""
        bar = self.text.verticalScrollBar()
        bar.setValue(bar.value() + pages * max(bar.pageStep() - 1, 1))

    def print_report(self) -> None:
        lines = self.text.toPlainText().splitlines()
        if lines:
            self.shell.devices.print_report(lines[1:], title=lines[0].strip())
            self.shell.info(tr("Report sent to the printer."))

    def reset(self) -> None:
        """Logout: the report read here does not wait for the next person."""
        self.text.clear()
