"""Finalised records -> the `data` of the audit entry that recorded them.

The same functions build the entry when a record is written and rebuild it when `audit verify`
checks that the record was not changed since: one projection, two uses. Which column of which
table each key covers, and which columns are derived instead: app/audit/coverage.py.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from kernel.money import format_money, format_qty
from kernel.sale_records import RefundRecord, SaleRecord, VoidRecord

# Keys added to new entries after tills had written entries without them (format v1 allows more
# keys): `audit verify` checks each one only where the entry has it (docs/design.md, entry types).
ADDED_KEYS = frozenset({
    "started_at", "product_id", "tax_rate_bp", "reference", "void_id", "sale_line_id", "movement_id",
    "opening_id", "due_date", "report_sha256", "unit_cost", "promotion_id", "promotion_discount",
})


def _line(line: Any, exp: int) -> dict[str, Any]:
    return {
        "sku": line.sku,
        "name": line.name,
        "qty": format_qty(line.qty_milli),
        "unit_price": format_money(line.unit_price, exp),
        "discount": format_money(line.discount, exp),
        "subtotal_share": format_money(line.subtotal_share, exp),
        "net": format_money(line.net, exp),
        "tax": format_money(line.tax, exp),
        "gross": format_money(line.gross, exp),
        "tax_code": line.tax_code,
        # the product's cost when sold (a refund line: its sale line's); null when unknown, never 0
        "unit_cost": None if line.unit_cost is None else format_money(line.unit_cost, exp),
    }


def _sale_line(line: Any, exp: int) -> dict[str, Any]:
    return {**_line(line, exp), "product_id": line.product_id, "tax_rate_bp": line.tax_rate_bp,
            "promotion_id": line.promotion_id, "promotion_discount": format_money(line.promotion_discount, exp)}


def sale_completed(sale: SaleRecord, exp: int, due_date: str | None = None) -> dict[str, Any]:
    """`due_date`: when an on-account charge of this sale falls due (None without one)."""
    return {
        "sale_id": sale.id,
        "receipt_no": sale.receipt_no,
        "business_date": sale.business_date,
        "shift_id": sale.shift_id,
        "customer_id": sale.customer_id,
        "started_at": sale.started_at,
        "due_date": due_date,
        "lines": [_sale_line(line, exp) for line in sale.lines],
        "subtotal_discount": format_money(sale.subtotal_discount, exp),
        "net": format_money(sale.net, exp),
        "tax": format_money(sale.tax, exp),
        "rounding": format_money(sale.rounding, exp),
        "gross": format_money(sale.gross, exp),
        "payments": [{"method": p.method, "amount": format_money(p.amount, exp), "reference": p.reference}
                     for p in sale.payments],
        "change": format_money(sale.change, exp),
    }


def sale_voided(void: VoidRecord, sale: SaleRecord, exp: int) -> dict[str, Any]:
    return {
        "void_id": void.id,
        "sale_id": sale.id,
        "receipt_no": sale.receipt_no,
        "business_date": void.business_date,
        "shift_id": void.shift_id,
        "gross": format_money(sale.gross, exp),
        "approved_by": void.approved_by,
        "reason": void.reason,
    }


def refund_completed(refund: RefundRecord, exp: int) -> dict[str, Any]:
    return {
        "refund_id": refund.id,
        "original_sale_id": refund.original_sale_id,
        "receipt_no": refund.receipt_no,
        "business_date": refund.business_date,
        "shift_id": refund.shift_id,
        "lines": [{**_line(line, exp), "sale_line_id": line.sale_line_id} for line in refund.lines],
        "net": format_money(refund.net, exp),
        "tax": format_money(refund.tax, exp),
        "gross": format_money(refund.gross, exp),
        "payments": [{"method": p.method, "amount": format_money(p.amount, exp)} for p in refund.payments],
        "approved_by": refund.approved_by,
    }


def cash_movement(row: Any, exp: int) -> dict[str, Any]:
    """A cash-in or cash-out (its kind is the entry's type, cash.in or cash.out)."""
    return {
        "movement_id": row.id,
        "shift_id": row.shift_id,
        "business_date": row.business_date,
        "amount": format_money(row.amount, exp),
        "reason": row.reason,
    }


def drawer_opened(row: Any) -> dict[str, Any]:
    return {"opening_id": row.id, "shift_id": row.shift_id, "business_date": row.business_date, "reason": row.reason}


def shift_opened(shift: Any, counts: dict[str, int] | None, exp: int) -> dict[str, Any]:
    """`counts`: the float counted by denomination ({"20.00": 3, ...}), or None for a total."""
    return {
        "shift_id": shift.id,
        "business_date": shift.business_date,
        "user_id": shift.user_id,
        "opening_float": format_money(shift.opening_float, exp),
        "open_counter": shift.open_counter,
        "counts": counts,
    }


def shift_closed(row: Any, business_date: str, exp: int, counts: dict[str, int] | None = None) -> dict[str, Any]:
    return {
        "shift_id": row.shift_id,
        "business_date": business_date,
        "expected_cash": format_money(row.expected_cash, exp),
        "counted_cash": format_money(row.counted_cash, exp),
        "difference": format_money(row.difference, exp),
        "note": row.note,
        "counts": counts,
    }


# Fields a Z report gets after its entry is written: the copy flag and the checkpoint that follows it.
Z_AFTER_ENTRY = ("copy", "checkpoint_root", "checkpoint_size", "checkpoint_short")


def z_report_sha256(report: dict[str, Any]) -> str:
    """The `report_sha256` of a report.z entry: SHA-256 of the report as stored (json, sorted keys)
    without the fields added after the entry, so the stored report_json can be held to it."""
    closed = {key: value for key, value in report.items() if key not in Z_AFTER_ENTRY}
    return hashlib.sha256(json.dumps(closed, sort_keys=True).encode()).hexdigest()
