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
    cost: int | None  # minor units; None: unknown (0 is a free product)
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
    contact_person: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ShiftInfo:
    id: str
    user_id: str
    status: str
    business_date: str
    opened_at: str
    opening_float: int
    open_counter: int


@dataclass(frozen=True)
class Witnessed:
    """A checkpoint of this till as head office accepted it, with head office's countersignature."""

    tree_size: int
    entry_seq: int
    root: str
    head: str
    till_key_id: str
    till_signature: str
    witness_key_id: str
    witness_signature: str
    witness_public_key: bytes
    accepted_at: str

    @property
    def name(self) -> str:
        return f"checkpoint #{self.entry_seq} (entries 1..{self.tree_size})"

