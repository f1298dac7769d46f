"""Finalised records -> the `data` of the audit entry that recorded them.

The same functions build the entry when a record is written and rebuild it when `audit verify`
checks that the record was not changed since: one projection, two uses.
"""

from __future__ import annotations

from typing import Any

from kernel.money import format_money, format_qty
from kernel.sale_records import RefundRecord, SaleRecord, VoidRecord


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
    }


def sale_completed(sale: SaleRecord, exp: int) -> dict[str, Any]:
    return {
        "sale_id": sale.id,
        "receipt_no": sale.receipt_no,
        "business_date": sale.business_date,
        "shift_id": sale.shift_id,
        "customer_id": sale.customer_id,
        "lines": [_line(line, exp) for line in sale.lines],
        "subtotal_discount": format_money(sale.subtotal_discount, exp),
        "net": format_money(sale.net, exp),
        "tax": format_money(sale.tax, exp),
        "rounding": format_money(sale.rounding, exp),
        "gross": format_money(sale.gross, exp),
        "payments": [{"method": p.method, "amount": format_money(p.amount, exp)} for p in sale.payments],
        "change": format_money(sale.change, exp),
    }


def sale_voided(void: VoidRecord, sale: SaleRecord, exp: int) -> dict[str, Any]:
    return {
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
        "lines": [_line(line, exp) for line in refund.lines],
        "net": format_money(refund.net, exp),
        "tax": format_money(refund.tax, exp),
        "gross": format_money(refund.gross, exp),
        "payments": [{"method": p.method, "amount": format_money(p.amount, exp)} for p in refund.payments],
        "approved_by": refund.approved_by,
    }


def cash_movement(row: Any, exp: int) -> dict[str, Any]:
    data = {
        "shift_id": row.shift_id,
        "business_date": row.business_date,
        "amount": format_money(row.amount, exp),
        "reason": row.reason,
    }
    return data


def drawer_opened(row: Any) -> dict[str, Any]:
    return {"shift_id": row.shift_id, "business_date": row.business_date, "reason": row.reason}


def shift_closed(row: Any, business_date: str, exp: int) -> dict[str, Any]:
    return {
        "shift_id": row.shift_id,
        "business_date": business_date,
        "expected_cash": format_money(row.expected_cash, exp),
        "counted_cash": format_money(row.counted_cash, exp),
        "difference": format_money(row.difference, exp),
        "note": row.note,
    }
