"""The customer form of the customers screen: name, type, contact person, phone, e-mail, and on a
standalone till the credit limit and payment terms. New customers start with no type chosen."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.domain.customer_fields import TYPES, CustomerFields
from kernel.records import CustomerInfo
from ui.fmt import tr
from ui.widgets import button, named

FIELD_HEIGHT = 44


class CustomerForm(QWidget):
    """Filled from a customer to edit, or empty for a new one; `fields()` reads what was typed."""

    def __init__(self, parent: QWidget, save: Callable[[], None], cancel: Callable[[], None]) -> None:
        super().__init__(parent)
        self.editing: CustomerInfo | None = None
        self.title = named(QLabel(), "custFormTitle")
        self.title.setProperty("role", "heading")
        self.inputs: dict[str, QLineEdit] = {}
        rows = QGridLayout()
        rows.setSpacing(6)
        labels = {"name": tr("Name"), "contact_person": tr("Contact person"), "phone": tr("Phone"),
                  "email": tr("E-mail"), "credit_limit": tr("Credit limit"), "terms_days": tr("Terms (days)")}
        self.labels: dict[str, QLabel] = {}
        for key, label in labels.items():
            field = named(QLineEdit(), f"cust_{key}")
            field.setMinimumHeight(FIELD_HEIGHT)
            self.inputs[key] = field
            self.labels[key] = QLabel(label)
        for i, key in enumerate(("name", "contact_person", "phone", "email")):
            rows.addWidget(self.labels[key], i, 0)
            rows.addWidget(self.inputs[key], i, 1, 1, 3)
        for n, key in enumerate(("credit_limit", "terms_days")):  # one row: the form fits 800x600
            rows.addWidget(self.labels[key], 4, n * 2)
            rows.addWidget(self.inputs[key], 4, n * 2 + 1)
        self.types: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for kind in TYPES:
            b = button(kind.upper(), partial(self.choose_type, kind), role="choice", name=f"custType_{kind}")
            b.setCheckable(True)
            self.types[kind] = b
            actions.addWidget(b)
        actions.addSpacing(12)
        actions.addWidget(button(tr("Save"), save, role="primary", name="custSave"))
        actions.addWidget(button(tr("Cancel"), cancel, name="custCancel"))
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(6)
        col.addWidget(self.title)
        col.addLayout(rows)
        col.addStretch(1)
        col.addLayout(actions)
        self.chosen_type: str | None = None

    def choose_type(self, kind: str | None) -> None:
        self.chosen_type = kind
        for key, b in self.types.items():
            b.setChecked(key == kind)

    def start(self, customer: CustomerInfo | None, standalone: bool, money: Callable[[int], str]) -> None:
        """Empty for a new customer (no type chosen), or the customer's own values to change."""
        self.clear()
        self.editing = customer
        self.title.setText(tr("Details of {0}").format(customer.name) if customer else tr("New customer"))
        for key in ("credit_limit", "terms_days"):
            self.inputs[key].setVisible(standalone)
            self.labels[key].setVisible(standalone)
        if customer is not None:
            for key in ("name", "contact_person", "phone", "email"):
                self.inputs[key].setText(getattr(customer, key))
            self.inputs["credit_limit"].setText(money(customer.credit_limit))
            self.inputs["terms_days"].setText(str(customer.terms_days))
            self.choose_type(customer.customer_type)

    def fields(self, parse_money: Callable[[str], int | None]) -> CustomerFields | str:
        """What was typed as fields to save, or the sentence saying what is missing."""
        if self.chosen_type is None:
            return tr("Choose RETAIL or WHOLESALE.")
        values: dict[str, object] = {k: self.inputs[k].text() for k in ("name", "contact_person", "phone", "email")}
        values["customer_type"] = self.chosen_type
        if self.inputs["credit_limit"].isVisibleTo(self):
            limit_text = self.inputs["credit_limit"].text().strip()
            terms_text = self.inputs["terms_days"].text().strip()
            if limit_text:
                limit = parse_money(limit_text)
                if limit is None:
                    return tr("The credit limit is not an amount.")
                values["credit_limit"] = limit
            if terms_text:
                if not terms_text.isdigit() or len(terms_text) > 4:
                    return tr("The payment terms are a number of days.")
                values["terms_days"] = int(terms_text)
        return CustomerFields(**values)  # type: ignore[arg-type]

    def clear(self) -> None:
        self.editing = None
        for field in self.inputs.values():
            field.clear()
        self.choose_type(None)
