"""From a verified audit entry to the consolidated central rows (pure, no database).

The audit entries carry the full business data (docs/design.md, format v1), so head office derives
sales, lines, payments, refunds, voids, shifts and cash movements from what it has verified
rather than trusting separate tables a till could have altered. An entry whose data does not
fit is refused with a reason (the importer quarantines it; the chain itself stays accepted).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

Row = tuple[Any, ...]  # one row of a consolidated table, in its column order

_DEC = re.compile(r"-?\d{1,15}(\.\d{1,6})?\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
CONSOLIDATED_TYPES = frozenset({
    "sale.completed", "sale.voided", "refund.completed", "shift.opened", "shift.closed",
    "cash.in", "cash.out", "drawer.opened",
})
DATED_PREFIXES = ("sale.", "refund.", "cash.", "drawer.", "shift.")


class DataError(ValueError):
    """Business data that does not match format v1."""


def _dec(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not _DEC.match(value):
        raise DataError(f"{key} must be a decimal string, got {value!r}")
    return value


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise DataError(f"{key} must be a non-empty string")
    return value


def _opt(data: dict[str, Any], key: str) -> str | None:
    """An optional text field: absent, null or a string; anything else would be stored garbled."""
    value = data.get(key)
    if value is None or type(value) is str:
        return value
    raise DataError(f"{key} must be a string or null, got {type(value).__name__}")


def business_date(entry: dict[str, Any]) -> date | None:
    """The entry's business date where the format requires one; DataError if it is missing."""
    if not str(entry.get("type", "")).startswith(DATED_PREFIXES):
        return None
    data = entry.get("data")
    value = data.get("business_date") if isinstance(data, dict) else None
    if not isinstance(value, str) or not _DATE.match(value):
        raise DataError("business_date missing or not YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise DataError(f"business_date {value!r} is not a date") from exc


_DECS = re.compile(r"(?:-?\d{1,15}(?:\.\d{1,6})?\n)*-?\d{1,15}(?:\.\d{1,6})?\Z")


def _check_decimals(values: list[Any]) -> None:
    """One regex over all of an entry's amounts: the import's hot path checks ~25 per sale."""
    try:
        joined = "\n".join(values)
    except TypeError:
        raise DataError("an amount or quantity is not a decimal string") from None
    if not _DECS.match(joined):
        bad = next((v for v in values if not _DEC.match(v)), joined)
        raise DataError(f"{bad!r} is not a decimal string")


def _lines(data: dict[str, Any], head: Row, kind: str, doc_id: str, decimals: list[Any]) -> list[Row]:
    lines = data.get("lines")
    if not isinstance(lines, list) or not lines:
        raise DataError("lines must be a non-empty list")
    out = []
    try:
        for no, line in enumerate(lines, 1):
            qty, net, tax, gross = line["qty"], line["net"], line["tax"], line["gross"]
            discount = line.get("discount") or "0"
            unit_price = line.get("unit_price")
            decimals += (qty, net, tax, gross, discount)
            if unit_price is not None:
                decimals.append(unit_price)
            unit_cost = line.get("unit_cost")  # null or absent: the cost was unknown (or not yet recorded)
            if unit_cost is not None:
                decimals.append(unit_cost)
            sku, code = line["sku"], line["tax_code"]
            if not (isinstance(sku, str) and sku and isinstance(code, str) and code):
                raise DataError(f"line {no} needs sku and tax_code")
            out.append((*head, kind, doc_id, no, sku, _opt(line, "name"), qty, unit_price, discount, net, tax,
                        gross, code, unit_cost))
    except (KeyError, TypeError) as exc:
        raise DataError(f"a line lacks {exc}") from None
    return out


def _payments(data: dict[str, Any], head: Row, kind: str, doc_id: str, decimals: list[Any]) -> list[Row]:
    payments = data.get("payments")
    if not isinstance(payments, list):
        raise DataError("payments must be a list")
    out = []
    try:
        for no, pay in enumerate(payments, 1):
            method, amount = pay["method"], pay["amount"]
            if not isinstance(method, str) or not method:
                raise DataError(f"payment {no} has no method")
            decimals.append(amount)
            out.append((*head, kind, doc_id, no, method, amount))
    except (KeyError, TypeError) as exc:
        raise DataError(f"a payment lacks {exc}") from None
    return out


def rows_for(entry: dict[str, Any], store_id: str, day: date | None = None) -> dict[str, list[Row]]:
    """Consolidated rows for one verified entry, keyed by table; {} for other entry types.

    `day` is the entry's `business_date` when the caller has already read it (the import has).
    """
    kind = entry.get("type")
    if kind not in CONSOLIDATED_TYPES:
        return {}
    data = entry.get("data")
    if not isinstance(data, dict):
        raise DataError("data is not an object")
    day = day or business_date(entry)
    till, seq, ts = entry["till"], entry["seq"], entry["ts"]
    actor = entry.get("actor") if type(entry.get("actor")) is str else None  # the cashier (null: none)
    head = (till, store_id, day)
    if kind == "sale.completed":
        doc = _text(data, "sale_id")
        decimals: list[Any] = []
        try:
            net, tax, gross = data["net"], data["tax"], data["gross"]
        except KeyError as exc:
            raise DataError(f"sale lacks {exc}") from None
        sub, change = data.get("subtotal_discount") or "0", data.get("change") or "0"
        decimals += (net, tax, gross, sub, change)
        out = {
            "sales_docs": [(*head, "sale", doc, None, _text(data, "receipt_no"), _opt(data, "shift_id"),
                            _opt(data, "customer_id"), seq, ts, net, tax, gross, sub, change, actor)],
            "doc_lines": _lines(data, head, "sale", doc, decimals),
            "doc_payments": _payments(data, head, "sale", doc, decimals),
        }
        _check_decimals(decimals)
        return out
    if kind == "refund.completed":
        doc = _text(data, "refund_id")
        decimals = []
        out = {
            "sales_docs": [(*head, "refund", doc, _text(data, "original_sale_id"), _opt(data, "receipt_no"),
                            _opt(data, "shift_id"), _opt(data, "customer_id"), seq, ts, _dec(data, "net"),
                            _dec(data, "tax"), _dec(data, "gross"), None, None, actor)],
            "doc_lines": _lines(data, head, "refund", doc, decimals),
            "doc_payments": _payments(data, head, "refund", doc, decimals),
        }
        _check_decimals(decimals)
        return out
    if kind == "sale.voided":
        sale = _text(data, "sale_id")
        return {"sales_docs": [(*head, "void", sale, sale, _opt(data, "receipt_no"), None, None, seq, ts,
                                None, None, _dec(data, "gross"), None, None, actor)]}
    if kind == "shift.opened":
        return {"shift_events": [(*head, _text(data, "shift_id"), "opened", seq, ts,
                                  _dec(data, "opening_float"), None, None, None)]}
    if kind == "shift.closed":
        return {"shift_events": [(*head, _text(data, "shift_id"), "closed", seq, ts, None,
                                  _dec(data, "expected_cash"), _dec(data, "counted_cash"),
                                  _dec(data, "difference"))]}
    if kind in ("cash.in", "cash.out"):
        return {"cash_events": [(*head, seq, kind[5:], _text(data, "shift_id"), _dec(data, "amount"),
                                 _opt(data, "reason"))]}
    return {"cash_events": [(*head, seq, "drawer", _opt(data, "shift_id"), None, _opt(data, "reason"))]}
