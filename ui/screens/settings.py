"""Settings (admin only): store, tax mode, rounding, devices, receipt texts, language.

There is no settings use case in the core yet, so saving checks the admin's right with the
core's `require` and writes the keys through the unit of work in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
from app.context import TillContext
from app.domain.permissions import Approval
from app.queries import settings as settings_q
from app.usecases.auth import require
from ui.fmt import tr
from ui.ops import Change, ChangeOp, QueryOp
from ui.widgets import button, heading, named

if TYPE_CHECKING:
    from ui.shell import Shell

CHOICES = {"tax_mode": ("inclusive", "exclusive"), "tax_rounding": ("line", "receipt"),
           "rounding": ("half_up", "half_even"), "language": ("en", "de")}
TEXTS = ("store_name", "store_address", "cash_rounding", "cashier_max_discount_percent",
         "device.printer", "device.scale")
LABELS = {"store_name": "Store name", "store_address": "Address", "cash_rounding": "Cash rounding (minor units)",
          "cashier_max_discount_percent": "Cashier discount limit %", "device.printer": "Printer URL",
          "device.scale": "Scale URL", "tax_mode": "Tax mode", "tax_rounding": "Tax rounding", "rounding": "Rounding",
          "language": "Language", "receipt_header": "Receipt header", "receipt_footer": "Receipt footer"}


def save(ctx: TillContext, user_id: str, values: dict[str, str]) -> TillContext:
    with ctx.uow() as uow:
        require(uow, user_id, "settings")
        for key, value in values.items():
            uow.settings.set(key, value)
        uow.commit()
    return reload_settings(ctx)


class SettingsScreen(QWidget):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.fields: dict[str, QLineEdit | QComboBox | QPlainTextEdit] = {}
        form = QFormLayout()
        form.setVerticalSpacing(8)
        for key in TEXTS:
            self.fields[key] = named(QLineEdit(), f"set_{key}")
        for key, options in CHOICES.items():
            box = named(QComboBox(), f"set_{key}")
            box.addItems(options)
            box.setMinimumHeight(48)
            self.fields[key] = box
        for key in ("receipt_header", "receipt_footer"):
            text = named(QPlainTextEdit(), f"set_{key}")
            text.setMaximumHeight(70)
            self.fields[key] = text
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
        QueryOp(self.shell, settings_q.stored, self._fill).run()

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
        if self.shell.user is None:
            return
        uid, values = self.shell.user.id, self.values()

        def op(ctx: TillContext, _approval: Approval | None) -> TillContext:
            return save(ctx, uid, values)

        ChangeOp(self.shell, op, Change.SETTINGS).success(self._saved).run()

    def _saved(self, ctx: TillContext) -> None:
        self.shell.worker.set_ctx(ctx)
        self.shell.banner.show_message(tr("Settings saved. Device changes apply when the till is restarted."), "ok")

    def test_printer(self) -> None:
        self.shell.devices.test_page()
