"""The till's settings as typed values, read from the settings table."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

DEFAULTS: dict[str, str] = {
    "currency": "EUR",
    "exponent": "2",
    "tax_mode": "inclusive",
    "tax_rounding": "line",
    "rounding": "half_up",
    "cash_rounding": "0",
    "rollover_hour": "4",
    "timezone": "UTC",
    "reservation_minutes": "30",
    "cashier_max_discount_percent": "10",
    "max_line_qty": "9999",
    "store_name": "Tillstone Demo Store",
    "store_address": "",
    "receipt_header": "",
    "receipt_footer": "Thank you for shopping with us",
    "language": "en",
    "lockout_attempts": "5",
    "lockout_minutes": "5",
    "reorder_level_default": "0",  # quantity; stock at or below it is low (per product: reorder level)
    # A till that sets customers' credit limits and terms itself (a demo or a shop without head
    # office). It holds only while the till was never connected to a central store.
    "standalone": "true",
    "export_folder": "",  # where the shift screen's Export writes; empty: `exports` in the data directory
}


@dataclass(frozen=True)
class TillSettings:
    store_id: str
    till_id: str
    currency: str
    exponent: int
    tax_mode: str
    tax_rounding: str
    rounding: str
    cash_rounding: int
    rollover_hour: int
    timezone: str
    reservation_minutes: int
    cashier_max_discount_percent: Decimal
    max_line_qty: int
    store_name: str
    store_address: str
    receipt_header: str
    receipt_footer: str
    language: str
    lockout_attempts: int
    lockout_minutes: int
    reorder_level_default: str
    standalone: str
    export_folder: str

    @property
    def audit_till(self) -> str:
        """The till id written in every audit entry, e.g. "S001-T01"."""
        return f"{self.store_id}-{self.till_id}"

    @classmethod
    def from_mapping(cls, values: dict[str, str]) -> TillSettings:
        merged = {**DEFAULTS, **values}
        kwargs: dict[str, Any] = {}
        for field in fields(cls):
            raw = merged[field.name]
            if field.type == "int":
                kwargs[field.name] = int(raw)
            elif field.type == "Decimal":
                kwargs[field.name] = Decimal(raw)
            else:
                kwargs[field.name] = raw
        return cls(**kwargs)
