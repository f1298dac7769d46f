"""What an entry implies in the two finalised tables that have no entry of their own: the
customer ledger and the stock movements.

A sale on account writes a ledger charge with the sale's entry, a void or refund of it a credit,
an account payment a payment, a supervisor's adjustment (`credit.adjusted`) an adjustment;
every sale, void, refund and delivery writes stock movements linked to its entry. Each row
carries the seq of that entry, so `audit verify` rebuilds the rows an entry must have from the
entry itself (and, for a void or refund, from the sale it names, which is checked against its
own entry) and holds the stored rows to them, both ways: a changed row, a
deleted row and a row no entry made all show up at the entry's seq.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from kernel.money import parse_money, parse_qty

ANY = object()  # a field an entry written before the key that pins it existed does not hold to a value
LEDGER_TYPES = frozenset({"sale.completed", "sale.voided", "refund.completed", "cash.in", "account.payment",
                          "credit.adjusted"})
STOCK_TYPES = frozenset({"sale.completed", "sale.voided", "refund.completed", "stock.received"})
# The reasons of movements an entry writes (stock_rows). Set-up counts and local imports are
# written without one by design, under any other reason (a central figure replaces them).
AUDITED_STOCK_REASONS = frozenset({"sale", "void", "refund", "delivery"})

Row = dict[str, Any]
SaleOf = Callable[[str], Any]  # sale id -> the sale record (lines, payments, customer) or None


def _on_account(payments: Iterable[dict[str, Any]], exp: int) -> int:
    return sum(parse_money(p["amount"], exp) for p in payments if p["method"] == "account")


def ledger_rows(type_: str, data: dict[str, Any], ts: str, exp: int, sale_of: SaleOf) -> list[Row] | None:
    """The ledger rows this entry writes ([] for none), or None when they cannot be told (the sale
    a void or refund names is gone: that is reported as the sale's own problem)."""
    if type_ == "sale.completed":
        amount = _on_account(data["payments"], exp)
        return [{"id": ANY, "customer_id": data["customer_id"], "kind": "charge", "amount": amount,
                 "ref_id": data["sale_id"], "business_date": data["business_date"],
                 "due_date": data.get("due_date", ANY), "created_at": ts}] if amount else []
    if type_ in ("sale.voided", "refund.completed"):
        sale_id = data["sale_id"] if type_ == "sale.voided" else data["original_sale_id"]
        sale = sale_of(sale_id)
        if sale is None:
            return None
        if type_ == "sale.voided":
            amount = sum(p.amount for p in sale.payments if p.method == "account")
        else:
            amount = _on_account(data["payments"], exp)
        return [{"id": ANY, "customer_id": sale.customer_id, "kind": "refund", "amount": -amount, "ref_id": sale_id,
                 "business_date": data["business_date"], "due_date": None, "created_at": ts}] \
            if amount and sale.customer_id else []
    if type_ == "cash.in" and "customer_id" not in data:
        return []
    if type_ == "credit.adjusted":  # a payment's row belongs to its cash.in or account.payment entry
        return [{"id": data["ref"], "customer_id": data["customer_id"], "kind": "adjustment",
                 "amount": parse_money(data["amount"], exp), "ref_id": data["ref"],
                 "business_date": data["business_date"], "due_date": None, "created_at": ts}] \
            if data["kind"] == "adjustment" else []
    if type_ in ("cash.in", "account.payment"):
        payment = data.get("movement_id", ANY) if type_ == "cash.in" else data["payment_id"]
        return [{"id": payment, "customer_id": data["customer_id"], "kind": "payment",
                 "amount": -parse_money(data["amount"], exp), "ref_id": payment,
                 "business_date": data["business_date"], "due_date": None, "created_at": ts}]
    return []


def stock_rows(type_: str, data: dict[str, Any], ts: str, sale_of: SaleOf) -> list[Row] | None:
    """The stock movements this entry writes, or None when they cannot be told."""
    if type_ == "sale.completed":
        return [{"product_id": line.get("product_id", ANY), "delta_milli": -parse_qty(line["qty"]), "reason": "sale",
                 "ref_id": data["sale_id"], "created_at": ts} for line in data["lines"]]
    if type_ == "stock.received":
        return [{"product_id": data.get("product_id", ANY), "delta_milli": parse_qty(data["qty"]),
                 "reason": "delivery", "ref_id": None, "created_at": ts}]
    if type_ == "sale.voided":
        sale = sale_of(data["sale_id"])
        return None if sale is None else [
            {"product_id": line.product_id, "delta_milli": line.qty_milli, "reason": "void", "ref_id": sale.id,
             "created_at": ts} for line in sale.lines]
    if type_ == "refund.completed":
        sale = sale_of(data["original_sale_id"])
        products = {line.id: line.product_id for line in sale.lines} if sale is not None else {}
        return [{"product_id": products.get(line["sale_line_id"]) if sale is not None and "sale_line_id" in line
                 else ANY, "delta_milli": parse_qty(line["qty"]), "reason": "refund", "ref_id": data["refund_id"],
                 "created_at": ts} for line in data["lines"]]
    return []


def _fits(expected: Row, actual: Row) -> bool:
    return all(want is ANY or (type(actual.get(key)) is type(want) and actual.get(key) == want)
               for key, want in expected.items())


def unmatched(expected: list[Row], actual: list[Row]) -> tuple[list[Row], list[Row]]:
    """(expected rows no stored row fits, stored rows no expected row takes). Rows are few per
    entry, so a greedy pass is enough: the most specific expectations choose first."""
    left = list(actual)
    missing = []
    for want in sorted(expected, key=lambda row: sum(v is ANY for v in row.values())):
        found = next((i for i, have in enumerate(left) if _fits(want, have)), None)
        if found is None:
            missing.append(want)
        else:
            left.pop(found)
    return missing, left


def describe(row: Row) -> str:
    """A stored or expected row in a few words for a problem message."""
    shown = {k: v for k, v in row.items() if v is not ANY and k not in ("created_at",)}
    text = ", ".join(f"{k}={v!r}" for k, v in shown.items())
    return text if len(text) <= 160 else text[:157] + "..."
