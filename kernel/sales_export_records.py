"""The rows a sales export reads, the same from the till's SQLite and the central store, so one
piece of code (app/exports/sales.py) shapes both. Money in minor units, quantities in thousandths,
every figure as the document recorded it (a refund's amounts positive, as its entry has them)."""

from __future__ import annotations

from typing import NamedTuple


class SalesDoc(NamedTuple):
    """One sale or refund with the sums of its lines and payments."""

    kind: str  # "sale" or "refund"
    doc_id: str
    receipt_no: str | None
    store: str
    till: str  # "S001-T01"
    business_date: str  # YYYY-MM-DD
    completed_at: str  # ISO 8601 UTC
    cashier: str | None  # name where known, else the user id
    customer: str | None  # name where known, else the id; a refund: its sale's customer
    voided: bool
    ref_receipt: str | None  # a refund: the receipt of the sale it returns
    net: int
    tax: int
    gross: int
    line_discount: int  # a sale: Σ line discounts; a refund: 0
    subtotal_discount: int  # a sale: its subtotal discount; a refund: 0
    change: int  # a sale: cash given back; a refund: 0
    payments: str | None  # "method=amount;method=amount" (minor units), as the database joined them
    lines: int
    qty: int  # Σ line qty
    discounted_lines: int  # lines with a line discount
    known_cost: int  # Σ cost of the lines whose unit cost is known
    known_net: int  # Σ net of those lines
    unknown_lines: int  # lines whose unit cost is unknown
    unknown_net: int  # Σ net of those lines


class SalesLine(NamedTuple):
    kind: str
    receipt_no: str | None
    till: str
    business_date: str
    voided: bool
    sku: str
    name: str | None
    qty: int
    unit_price: int | None
    discount: int
    net: int
    tax: int
    gross: int
    tax_code: str
    unit_cost: int | None  # None: unknown
    cost: int | None  # unit_cost × qty, rounded half up to the minor unit; None: unknown
