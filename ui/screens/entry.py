"""The side panel for typed values (quantity, discount, price, weight, amounts, labels).

It replaces a modal dialog: the cart stays visible and scanning still works next to it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.fmt import tr
from ui.widgets import Keypad, button, heading, named


class EntryPanel(QWidget):
    def __init__(self, on_close: Callable[[], None]) -> None:
        super().__init__()
        self._on_close = on_close
        self._submit: Callable[[str], None] | None = None
        self.title = heading("")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.field = named(QLineEdit(), "entryField")
        self.field.returnPressed.connect(self.submit)
        self.keypad = Keypad(self.field, enter=tr("OK"))
        self.keypad.entered.connect(self.submit)
        self.percent = button("%", lambda: self.field.setText(self.field.text().rstrip("%") + "%"), name="key_pct")
        cancel = button(tr("Back"), self.close_panel, role="danger", name="entryCancel")
        row = QHBoxLayout()  # the field with its extra keys: one row less, so it fits a 600 px tall till
        row.addWidget(self.field, 2)
        row.addWidget(self.percent, 1)
        row.addWidget(cancel, 1)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(4)
        col.addWidget(self.title)
        col.addWidget(self.hint)
        col.addLayout(row)
        col.addWidget(self.keypad, 1)

    def open(self, title: str, hint: str, submit: Callable[[str], None], *, percent: bool = False,
             text: str = "") -> None:
        self.title.setText(title)
        self.hint.setText(hint)
        self.field.setText(text)
        self.percent.setVisible(percent)
        self._submit = submit
        self.field.setFocus()

    def submit(self) -> None:
        if self._submit is not None:
            submit, text = self._submit, self.field.text()
            self.close_panel()
            submit(text)

    def close_panel(self) -> None:
        self._submit = None
        self.field.clear()
        self._on_close()
