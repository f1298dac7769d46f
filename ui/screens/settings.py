"""Settings (admin only): store, tax mode, rounding, devices, receipt texts, language.

Choices are shown as words (their stored values are the items' data); saving sends the settings
the admin changed to the core's settings use case, which checks them and audits the change.
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

from app.context import TillContext
from app.domain.permissions import Approval
from app.queries import settings as settings_q
from app.usecases import settings as settings_uc
from ui.fmt import tr
from ui.ops import Change, ChangeOp, QueryOp
from ui.widgets import button, heading, named

if TYPE_CHECKING:
    from ui.shell import Shell

CHOICES: dict[str, tuple[tuple[str, str], ...]] = {  # stored value, what the admin reads
    "tax_mode": (("inclusive", "Prices include tax"), ("exclusive", "Tax added to prices")),
    "tax_rounding": (("line", "Per line"), ("receipt", "Per receipt")),
    "rounding": (("half_up", "Half up (2.5 → 3)"), ("half_even", "Half to even (2.5 → 2)")),
    "language": (("en", "English"), ("de", "Deutsch")),
}
CASH_STEPS = (0, 5, 10, 50, 100)  # minor units a cash total rounds to; 0 = off
TEXTS = ("store_name", "store_address", "cashier_max_discount_percent", "device.printer", "device.scale")
LABELS = {
    "store_name": "Store name",
    "store_address": "Address",
    "cash_rounding": "Round cash totals to",
    "cashier_max_discount_percent": "Cashier discount limit %",
    "device.printer": "Printer URL",
    "device.scale": "Scale URL",
    "tax_mode": "Tax mode",
    "tax_rounding": "Tax rounding",
    "rounding": "Rounding",
    "language": "Language",
    "receipt_header": "Receipt header",
    "receipt_footer": "Receipt footer",
}


class SettingsScreen(QWidget):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.fields: dict[str, QLineEdit | QComboBox | QPlainTextEdit] = {}
        self.form = form = QFormLayout()
        form.setVerticalSpacing(8)
        for key in TEXTS:
            self.fields[key] = named(QLineEdit(), f"set_{key}")
        for key, options in CHOICES.items():
            box = named(QComboBox(), f"set_{key}")
            for value, label in options:
                box.addItem(tr(label), value)
            box.setMinimumHeight(48)
            self.fields[key] = box
        steps = named(QComboBox(), "set_cash_rounding")
        for step in CASH_STEPS:
            steps.addItem(shell.money(step) if step else tr("Off"), str(step))
        steps.setMinimumHeight(48)
        self.fields["cash_rounding"] = steps
        self.loaded: dict[str, str] = {}
        for key in ("receipt_header", "receipt_footer"):
            text = named(QPlainTextEdit(), f"set_{key}")
            text.setMaximumHeight(70)
            self.fields[key] = text
        for key, widget in self.fields.items():
            form.addRow(tr(LABELS[key]), widget)
        self.scan_field = self.fields["store_name"]
        buttons = QHBoxLayout()
        for b in (
            button(tr("Save"), self.save, key="F2", parent=self, role="primary", name="setSave"),
            button(tr("Test printer"), self.test_printer, key="F3", parent=self, name="setTest"),
            button(
                tr("Back"), lambda: shell.go("sale" if shell.shift else "shift"), key="Esc", parent=self, name="setBack"
            ),
        ):
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
                if widget.findData(value) < 0:  # a value set elsewhere (e.g. the CLI) is shown as it is
                    widget.addItem(value, value)
                widget.setCurrentIndex(widget.findData(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)
        self.loaded = self.values()

    def values(self) -> dict[str, str]:
        out = {}
        for key, widget in self.fields.items():
            if isinstance(widget, QComboBox):
                out[key] = str(widget.currentData())
            elif isinstance(widget, QPlainTextEdit):
                out[key] = widget.toPlainText()
            else:
                out[key] = widget.text().strip()
        return out

    def save(self) -> None:
        if self.shell.user is None:
            return
        uid = self.shell.user.id
        values = {key: value for key, value in self.values().items() if self.loaded.get(key) != value}

        def op(ctx: TillContext, _approval: Approval | None) -> TillContext:
            return settings_uc.update(ctx, uid, values)

        ChangeOp(self.shell, op, Change.SETTINGS).success(self._saved).run()

    def _saved(self, ctx: TillContext) -> None:
        self.shell.worker.set_ctx(ctx)
        self.loaded = self.values()
        self.shell.banner.show_message(tr("Settings saved. Device changes apply when the till is restarted."), "ok")

    def test_printer(self) -> None:
        self.shell.devices.test_page()
