"""What a printed receipt says, taken from the audit entry that recorded the sale.

Printing from the entry (not from the sale rows) means a receipt and a reprint always show
exactly what was audited, and the QR code's sequence number and short hash point at it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from app.audit.anchor import SHORT_HASH
from app.context import TillContext
from app.domain.text import printable
from app.usecases.customers import balance_of
from db.uow import UnitOfWork
from kernel.errors import NotFound
from kernel.money import format_money
from kernel.sale_records import SaleRecord


@dataclass(frozen=True)
class ReceiptInfo:
    sale: dict[str, Any]
    audit_seq: int
    short_hash: str
    store_name: str
    address_lines: tuple[str, ...]
    header: str
    footer: str
    till: str
    cashier: str
    customer_name: str | None = None
    credit_left: str | None = None
    tax_rates: dict[str, tuple[str, int]] = field(default_factory=dict)


def receipt_info(uow: UnitOfWork, ctx: TillContext, receipt_no: str) -> ReceiptInfo:
    """Everything a receipt or its reprint needs, for one receipt number, inside the caller's unit
    of work: the checkout renders its receipt before it commits."""
    clean = printable(receipt_no.strip())[:40]
    sale = uow.sales.sale_by_receipt(clean)
    if sale is None:
        raise NotFound(f"No sale has the receipt number {clean}.")
    stored = uow.audit.entry(sale.audit_seq)
    if stored is None:
        raise NotFound(f"The audit entry of receipt {clean} is missing; run `tillstone audit verify`.")
    body, digest = stored
    return info_of(uow, ctx, sale, json.loads(body)["data"], digest)


def info_of(uow: UnitOfWork, ctx: TillContext, sale: SaleRecord, data: dict[str, Any], digest: str) -> ReceiptInfo:
    """`receipt_info` from what the checkout has in hand: the sale it just wrote, the `data` of the
    entry it just appended (the same dict that was hashed) and that entry's hash, so the receipt
    shows what was audited without reading back the rows of its own transaction."""
    s = ctx.settings
    cashier = uow.people.user(sale.user_id)
    customer = uow.people.customer(sale.customer_id) if sale.customer_id else None
    credit_left = None
    if customer is not None:
        credit_left = format_money(customer.credit_limit - balance_of(uow, customer), s.exponent)
    taxes = uow.catalogue.tax_rates()
    return ReceiptInfo(
        sale=data, audit_seq=sale.audit_seq, short_hash=digest[:SHORT_HASH],
        store_name=s.store_name, address_lines=tuple(line for line in s.store_address.split("\n") if line),
        header=s.receipt_header, footer=s.receipt_footer, till=s.audit_till,
        cashier=cashier.name if cashier else sale.user_id, customer_name=customer.name if customer else None,
        credit_left=credit_left, tax_rates=taxes,
    )
