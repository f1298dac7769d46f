"""Settings (admin only): store, tax mode, rounding, devices, receipt texts, language.

There is no settings use case in the core yet, so saving checks the admin's right with the
core's `require` and writes the keys through the unit of work in one transaction.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import reload_settings
from app.usecases.auth import require
from ui import queries
from ui.fmt import tr
from ui.widgets import button, heading

CHOICES = {"tax_mode": ("inclusive", "exclusive"), "tax_rounding": ("line", "receipt"),
           "rounding": ("half_up", "half_even"), "language": ("en", "de")}
TEXTS = ("store_name", "store_address", "cash_rounding", "cashier_max_discount_percent",
         "device.printer", "device.scale")
LABELS = {"store_name": "Store name", "store_address": "Address", "cash_rounding": "Cash rounding (minor units)",
          "cashier_max_discount_percent": "Cashier discount limit %", "device.printer": "Printer URL",
          "device.scale": "Scale URL", "tax_mode": "Tax mode", "tax_rounding": "Tax rounding", "rounding": "Rounding",
          "language": "Language", "receipt_header": "Receipt header", "receipt_footer": "Receipt footer"}


def save(ctx: Any, user_id: str, values: dict[str, str]) -> Any:
    with ctx.uow() as uow:
        require(uow, user_id, "settings")
        for key, value in values.items():
            uow.settings.set(key, value)
        uow.commit()
    return reload_settings(ctx)


class SettingsScreen(QWidget):
    def __init__(self, shell: Any) -> None:
        super().__init__()
        self.shell = shell
        self.fields: dict[str, Any] = {}
        form = QFormLayout()
        form.setVerticalSpacing(8)
        for key in TEXTS:
            self.fields[key] = QLineEdit(objectName=f"set_{key}")
        for key, options in CHOICES.items():
            box = QComboBox(objectName=f"set_{key}")
            box.addItems(options)
            box.setMinimumHeight(48)
            self.fields[key] = box
        for key in ("receipt_header", "receipt_footer"):
            self.fields[key] = QPlainTextEdit(objectName=f"set_{key}")
            self.fields[key].setMaximumHeight(70)
        for key, widget in self.fields.items():
            form.addRow(tr(LABELS[key]), widget)
        self.scan_field = self.fields["store_name"]
        buttons = QHBoxLayout()
        for b in (button(tr("Save"), self.save, key="F2", parent=self, role="primary", name="setSave"),
                  button(tr("Test printer"), self.test_printer, key="F3", parent=self, name="setTest"),
                  button(tr("Back"), lambda: shell.go("sale" if shell.shift else "shift"), key="Esc", parent=self,
                         name="setBack")):
            buttons.addWidget(b)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(heading(tr("Settings")))
        holder = QWidget()
        holder.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        col.addWidget(scroll, 1)
        col.addLayout(buttons)

    def entered(self) -> None:
        self.shell.run(queries.settings, self._fill)

    def _fill(self, values: dict[str, str]) -> None:
        settings = self.shell.settings
        for key, widget in self.fields.items():
            value = values.get(key, str(getattr(settings, key, "")))
            if isinstance(widget, QComboBox):
                widget.setCurrentText(value)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)

    def values(self) -> dict[str, str]:
        out = {}
        for key, widget in self.fields.items():
            if isinstance(widget, QComboBox):
                out[key] = widget.currentText()
            elif isinstance(widget, QPlainTextEdit):
                out[key] = widget.toPlainText()
            else:
                out[key] = widget.text().strip()
        return out

    def save(self) -> None:
        uid, values = self.shell.user.id, self.values()
        self.shell.run(lambda ctx: save(ctx, uid, values), self._saved)

    def _saved(self, ctx: Any) -> None:
        self.shell.worker.set_ctx(ctx)
        self.shell.banner.show_message(tr("Settings saved. Device changes apply when the till is restarted."), "ok")

    def test_printer(self) -> None:
        self.shell.devices.test_page()
