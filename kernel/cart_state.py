"""The cart as the use cases see it, and its priced view."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class CartLineState:
    id: str
    position: int
    product_id: str
    sku: str
    name: str
    unit: str
    qty_milli: int
    unit_price: int
    price_overridden: bool
    tax_code: str
    tax_rate_bp: int
    discount_percent: Decimal
    discount_amount: int


@dataclass(frozen=True)
class CartPaymentState:
    id: str
    position: int
    method: str
    amount: int
    reference: str | None


@dataclass(frozen=True)
class CartState:
    id: str
    status: str
    parked: bool
    label: str | None
    user_id: str
    shift_id: str | None
    customer_id: str | None
    subtotal_discount_percent: Decimal
    subtotal_discount_amount: int
    sale_id: str | None
    created_at: str
    first_scan_at: str | None
    lines: tuple[CartLineState, ...] = field(default_factory=tuple)
    payments: tuple[CartPaymentState, ...] = field(default_factory=tuple)

    @property
    def paid(self) -> int:
        return sum(p.amount for p in self.payments)

    def line(self, line_id: str) -> CartLineState | None:
        return next((line for line in self.lines if line.id == line_id), None)


PAYMENT_METHODS = ("cash", "card", "account", "voucher", "other")
OPEN_STATUSES = ("DRAFT", "PENDING", "PARTIAL")
