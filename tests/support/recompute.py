"""Recompute the X/Z figures of each business day from an `audit export` JSON Lines file alone,
using the meanings in docs/design.md ("X and Z reports"). Independent of the till's tables and of
app/reports: if the two ever disagree, either the report or the audit log is wrong."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any


def _d(text: str) -> Decimal:
    return Decimal(text)


def _s(value: Decimal, places: str = "0.01") -> str:
    return str(value.quantize(Decimal(places)))


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def recompute(entries: list[dict[str, Any]], business_date: str) -> dict[str, Any]:
    """The report figures for one business date, as decimal strings (2 decimals, 3 for quantities)."""
    voided = {e["data"]["sale_id"] for e in entries if e["type"] == "sale.voided"}
    day = [e for e in entries if e["data"].get("business_date") == business_date]
    sales = [e["data"] for e in day if e["type"] == "sale.completed" and e["data"]["sale_id"] not in voided]
    refunds = [e["data"] for e in day if e["type"] == "refund.completed"]
    gross = sum((_d(s["gross"]) for s in sales), Decimal(0))
    line_disc = sum((_d(line["discount"]) for s in sales for line in s["lines"]), Decimal(0))
    sub_disc = sum((_d(s["subtotal_discount"]) for s in sales), Decimal(0))
    returned = sum((_d(r["gross"]) for r in refunds), Decimal(0))
    taxes: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    for sign, records in ((1, sales), (-1, refunds)):
        for record in records:
            for line in record["lines"]:
                t = taxes[line["tax_code"]]
                t[0] += sign * _d(line["tax"])
                t[1] += sign * _d(line["net"])
                t[2] += sign * _d(line["qty"])
    payments: dict[str, Decimal] = defaultdict(Decimal)
    for s in sales:
        for p in s["payments"]:
            payments[p["method"]] += _d(p["amount"])
        if _d(s["change"]):
            payments["cash"] -= _d(s["change"])
    for r in refunds:
        for p in r["payments"]:
            payments[p["method"]] -= _d(p["amount"])
    floats = sum((_d(e["data"]["opening_float"]) for e in day if e["type"] == "shift.opened"), Decimal(0))
    cash_in = sum((_d(e["data"]["amount"]) for e in day if e["type"] == "cash.in"), Decimal(0))
    cash_out = sum((_d(e["data"]["amount"]) for e in day if e["type"] == "cash.out"), Decimal(0))
    counted = sum((_d(e["data"]["counted_cash"]) for e in day if e["type"] == "shift.closed"), Decimal(0))
    logical = floats + payments.get("cash", Decimal(0)) + cash_in - cash_out
    return {
        "sales_gross": _s(gross + line_disc + sub_disc),
        "discount_for_lineitems": _s(line_disc),
        "discount_for_subtotal": _s(sub_disc),
        "returns": _s(returned),
        "sales_net": _s(gross - returned),
        "sales_count": len(sales),
        "returns_count": len(refunds),
        "taxes": {code: (_s(t[0]), _s(t[1]), _s(t[2], "0.001")) for code, t in sorted(taxes.items())},
        "payments": {m: _s(v) for m, v in sorted(payments.items())},
        "cash_logical": _s(logical),
        "cash_physical": _s(counted),
        "cash_difference": _s(counted - logical),
        "cash_in": _s(cash_in),
        "cash_out": _s(cash_out),
    }


def from_report(report: dict[str, Any]) -> dict[str, Any]:
    """The same shape taken from a `report z --json` output, for a direct comparison."""
    return {
        "sales_gross": report["sales_gross"]["amount"],
        "discount_for_lineitems": report["discount_for_lineitems"]["amount"],
        "discount_for_subtotal": report["discount_for_subtotal"]["amount"],
        "returns": report["returns"]["amount"],
        "sales_net": report["sales_net"]["amount"],
        "sales_count": report["sales_net"]["count"],
        "returns_count": report["returns"]["count"],
        "taxes": {t["tax_name"]: (t["tax_amount"], t["target_amount"], t["target_quantity"])
                  for t in report["taxes"]},
        "payments": {p["payment_name"]: p["amount"] for p in report["payments"]},
        "cash_logical": report["cash"]["logical_amount"],
        "cash_physical": report["cash"]["physical_amount"],
        "cash_difference": report["cash"]["difference_amount"],
        "cash_in": report["cash"]["cash_in"]["amount"],
        "cash_out": report["cash"]["cash_out"]["amount"],
    }


def business_dates(entries: list[dict[str, Any]]) -> list[str]:
    return sorted({e["data"]["business_date"] for e in entries if e["type"] == "shift.opened"})
