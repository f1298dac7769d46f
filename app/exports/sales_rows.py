"""Shaping the sales export's rows, the same for the till and head office: a sale or refund to a
row of the Sales sheet, a line to a row of Line Items, and every document folded into the
Summary's figures.

Signs: a refund's amounts, quantities, cost and profit are negative, so a column of the Sales or
Line Items sheet adds up to what the shop kept. A voided sale keeps its own amounts with the
status "voided" and counts in no total. Discounts are a sale's: a refund row leaves them empty.

Cost: a line whose unit cost is unknown has an empty unit cost, cost, profit and margin, never 0;
a document with such a line has an empty cost, profit and margin. The Summary's cost of goods
sold and profit cover the lines of known cost, and it counts the others separately with their
revenue, so an unknown cost never passes for a free product.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from kernel.cart_state import PAYMENT_METHODS
from kernel.sales_export_records import SalesDoc, SalesLine

STATUS_COMPLETED, STATUS_VOIDED, STATUS_REFUND = "completed", "voided", "refund"


def margin_bp(profit: int | None, revenue: int | None) -> int | None:
    """Profit over revenue (excluding tax) in basis points, half away from zero; None without revenue."""
    if profit is None or not revenue:
        return None
    sign = -1 if (profit < 0) != (revenue < 0) else 1
    return sign * ((abs(profit) * 20_000 // abs(revenue) + 1) // 2)


def payments_of(doc: SalesDoc) -> dict[str, tuple[int, int]]:
    """method -> (amount, payment rows) as the document paid (a refund: paid back), cash net of change."""
    out: dict[str, tuple[int, int]] = {}
    for part in (doc.payments or "").split(";"):
        if not part:
            continue
        method, _, amount = part.rpartition("=")
        total, count = out.get(method, (0, 0))
        out[method] = (total + int(amount), count + 1)
    if doc.change:
        total, count = out.get("cash", (0, 0))
        out["cash"] = (total - doc.change, count)
    return out


def status(kind: str, voided: bool) -> str:
    return STATUS_REFUND if kind == "refund" else STATUS_VOIDED if voided else STATUS_COMPLETED


def local_time(iso_utc: str, zone: ZoneInfo) -> datetime:
    """The time in the zone the column names, without tzinfo (as spreadsheets keep times)."""
    return datetime.fromisoformat(iso_utc.replace("Z", "+00:00")).astimezone(zone).replace(tzinfo=None)


def doc_row(doc: SalesDoc, zone: ZoneInfo) -> tuple[Any, ...]:
    sign = -1 if doc.kind == "refund" else 1
    paid = payments_of(doc)
    by_column = dict.fromkeys(PAYMENT_METHODS, 0)
    for method, (amount, _count) in paid.items():
        key = method if method in by_column else "other"
        by_column[key] += amount
    known = doc.unknown_lines == 0
    cost = sign * doc.known_cost if known else None
    profit = sign * (doc.net - doc.known_cost) if known else None
    discounts = None if doc.kind == "refund" else doc.line_discount + doc.subtotal_discount
    return (
        doc.receipt_no, doc.store, doc.till, date.fromisoformat(doc.business_date), local_time(doc.completed_at, zone),
        doc.cashier, doc.customer, status(doc.kind, doc.voided), doc.ref_receipt,
        sign * doc.net, sign * doc.tax, sign * doc.gross, discounts,
        *(sign * by_column[m] for m in PAYMENT_METHODS),
        cost, profit, margin_bp(profit, sign * doc.net), doc.unknown_lines,
    )


def line_row(line: SalesLine) -> tuple[Any, ...]:
    sign = -1 if line.kind == "refund" else 1
    cost = None if line.cost is None else sign * line.cost
    profit = None if cost is None else sign * line.net - cost
    return (
        line.receipt_no, line.till, date.fromisoformat(line.business_date), status(line.kind, line.voided),
        line.sku, line.name, line.tax_code, sign * line.qty, line.unit_price,
        None if line.kind == "refund" else line.discount, sign * line.net, sign * line.tax, sign * line.gross,
        line.unit_cost, cost, profit, margin_bp(profit, sign * line.net),
    )


@dataclass
class Figures:
    """Sums over kept sales (completed, not voided) and refunds, as the X/Z report counts them."""

    sales: int = 0
    sales_gross: int = 0  # Σ gross of kept sales (after discounts, with cash rounding)
    line_discount: int = 0
    line_discount_count: int = 0
    subtotal_discount: int = 0
    subtotal_discount_count: int = 0
    qty: int = 0
    refunds: int = 0
    refund_gross: int = 0
    refund_qty: int = 0
    voided: int = 0
    voided_gross: int = 0
    tax: int = 0  # kept sales' tax − refunds' tax
    net: int = 0  # the same, excluding tax
    cost: int = 0  # cost of goods sold on lines of known cost, refunds taken off
    known_net: int = 0  # revenue excluding tax of those lines
    unknown_lines: int = 0
    unknown_net: int = 0
    payments: dict[str, list[int]] = field(default_factory=dict)  # method -> [amount, rows]

    def add(self, doc: SalesDoc) -> None:
        if doc.kind == "sale" and doc.voided:
            self.voided += 1
            self.voided_gross += doc.gross
            return
        sign = -1 if doc.kind == "refund" else 1
        if doc.kind == "refund":
            self.refunds += 1
            self.refund_gross += doc.gross
            self.refund_qty += doc.qty
        else:
            self.sales += 1
            self.sales_gross += doc.gross
            self.line_discount += doc.line_discount
            self.line_discount_count += doc.discounted_lines
            self.subtotal_discount += doc.subtotal_discount
            self.subtotal_discount_count += doc.subtotal_discount != 0
            self.qty += doc.qty
        self.tax += sign * doc.tax
        self.net += sign * doc.net
        self.cost += sign * doc.known_cost
        self.known_net += sign * doc.known_net
        self.unknown_lines += doc.unknown_lines
        self.unknown_net += sign * doc.unknown_net
        for method, (amount, count) in payments_of(doc).items():
            slot = self.payments.setdefault(method, [0, 0])
            slot[0] += sign * amount
            slot[1] += count

    @property
    def before_discounts(self) -> int:
        """The report's `sales_gross`: kept sales before line and subtotal discounts."""
        return self.sales_gross + self.line_discount + self.subtotal_discount

    @property
    def revenue(self) -> int:
        """The report's `sales_net`: what customers paid, net of returns (tax included)."""
        return self.sales_gross - self.refund_gross

    @property
    def profit(self) -> int:
        return self.known_net - self.cost


@dataclass
class Folded:
    total: Figures = field(default_factory=Figures)
    by_day: dict[str, Figures] = field(default_factory=dict)
    by_till: dict[tuple[str, str], Figures] = field(default_factory=dict)
    documents: int = 0


def fold(docs: Iterable[SalesDoc]) -> Folded:
    """One pass over the documents; memory grows with days and tills, not with sales."""
    out = Folded()
    for doc in docs:
        out.documents += 1
        out.total.add(doc)
        out.by_day.setdefault(doc.business_date, Figures()).add(doc)
        out.by_till.setdefault((doc.store, doc.till), Figures()).add(doc)
    return out


def _group_row(section: str, item: str, f: Figures) -> tuple[Any, ...]:
    return (section, item, f.sales, f.revenue, f.tax, f.net, f.cost, f.profit, margin_bp(f.profit, f.known_net),
            f.unknown_lines)


def summary_rows(folded: Folded, scope_lines: Iterable[str]) -> list[tuple[Any, ...]]:
    """Section, item, count, amount, tax, revenue excluding tax, cost of goods, profit, margin, lines
    without cost: totals first, then by payment method, by day and by store and till."""
    t = folded.total

    def fig(item: str, count: int | None, amount: int | None) -> tuple[Any, ...]:
        return ("Totals", item, count, amount, None, None, None, None, None, None)

    rows: list[tuple[Any, ...]] = [("Export", line, *([None] * 8)) for line in scope_lines]
    rows += [
        fig("Sales before discounts", t.sales, t.before_discounts),
        fig("Line discounts", t.line_discount_count, t.line_discount),
        fig("Subtotal discounts", t.subtotal_discount_count, t.subtotal_discount),
        fig("Discounts", None, t.line_discount + t.subtotal_discount),
        fig("Sales after discounts", t.sales, t.sales_gross),
        fig("Refunds", t.refunds, t.refund_gross),
        fig("Revenue (tax included, net of refunds)", None, t.revenue),
        fig("Tax", None, t.tax),
        fig("Revenue excluding tax", None, t.net),
        ("Totals", "Cost of goods sold (lines of known cost)", None, t.cost, None, t.known_net, t.cost, t.profit,
         margin_bp(t.profit, t.known_net), None),
        fig("Profit", None, t.profit),
        ("Totals", "Margin", None, None, None, None, None, None, margin_bp(t.profit, t.known_net), None),
        ("Totals", "Lines with unknown cost (revenue excluding tax)", t.unknown_lines, t.unknown_net, None,
         t.unknown_net, None, None, None, t.unknown_lines),
        fig("Voided sales", t.voided, t.voided_gross),
        fig("Documents (sales, voided sales, refunds)", folded.documents, None),
    ]
    for method, (amount, n) in sorted(t.payments.items()):
        rows.append(("By payment method", method, n, amount, *([None] * 6)))
    rows += [_group_row("By day", day, f) for day, f in sorted(folded.by_day.items())]
    rows += [_group_row("By store and till", f"{store} {till}", f)
             for (store, till), f in sorted(folded.by_till.items())]
    return rows
