"""Plain records passed between the repositories in db/ and the use cases in app/."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProductInfo:
    id: str
    sku: str
    name: str
    category_id: str | None
    unit: str
    price: int
    cost: int
    tax_code: str
    tax_rate_bp: int
    allow_negative_stock: bool
    active: bool


@dataclass(frozen=True)
class UserInfo:
    id: str
    name: str
    role: str
    pin_hash: str
    active: bool
    failed_attempts: int
    locked_until: str | None


@dataclass(frozen=True)
class CustomerInfo:
    id: str
    name: str
    customer_type: str
    credit_limit: int
    terms_days: int
    blocked: bool
    central_balance: int


@dataclass(frozen=True)
class ShiftInfo:
    id: str
    user_id: str
    status: str
    business_date: str
    opened_at: str
    opening_float: int
    open_counter: int
