"""Finalised sale and refund records: written once, never changed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SaleLineRecord:
    id: str
    position: int
    product_id: str
    sku: str
    name: str
    qty_milli: int
    unit_price: int
    discount: int
    subtotal_share: int
    net: int
    tax: int
    gross: int
    tax_code: str
    tax_rate_bp: int
    unit_cost: int | None = None  # the product's cost at the moment of sale, minor units; None unknown
    promotion_id: int | None = None
    promotion_discount: int = 0  # the part of `discount` the promotion gave


@dataclass(frozen=True)
class PaymentRecord:
    position: int
    method: str
    amount: int
    reference: str | None = None


@dataclass(frozen=True)
class SaleRecord:
    id: str
    receipt_no: str
    business_date: str
    shift_id: str
    user_id: str
    customer_id: str | None
    completed_at: str
    started_at: str | None
    line_discount: int
    subtotal_discount: int
    net: int
    tax: int
    rounding: int
    gross: int
    change: int
    audit_seq: int
    lines: tuple[SaleLineRecord, ...]
    payments: tuple[PaymentRecord, ...]


@dataclass(frozen=True)
class RefundLineRecord:
    id: str
    sale_line_id: str
    position: int
    sku: str
    name: str
    qty_milli: int
    unit_price: int
    discount: int
    subtotal_share: int
    net: int
    tax: int
    gross: int
    tax_code: str
    unit_cost: int | None = None  # the sale line's unit_cost


@dataclass(frozen=True)
class RefundRecord:
    id: str
    original_sale_id: str
    receipt_no: str
    business_date: str
    shift_id: str
    user_id: str
    approved_by: str
    net: int
    tax: int
    gross: int
    created_at: str
    audit_seq: int
    lines: tuple[RefundLineRecord, ...]
    payments: tuple[PaymentRecord, ...]


@dataclass(frozen=True)
class VoidRecord:
    id: str
    sale_id: str
    shift_id: str
    business_date: str
    user_id: str
    approved_by: str
    reason: str
    created_at: str
    audit_seq: int
