"""What the refund, cash-in/out and shift close slips say: lines formatted to the paper width.

The slip is the cashier's paper trail of an action that moved cash (or closed the drawer's day);
it is stored with the action by `printing.spool_slip`, so the figures are the committed ones.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kernel.money import format_money, format_qty
from kernel.sale_records import RefundRecord


def row(left: str, right: str, width: int) -> str:
    """Left text and right-aligned figure on one line of `width` characters."""
    left = left[: max(width - len(right) - 1, 1)]
    return left + " " * max(width - len(left) - len(right), 1) + right


def local_time(iso: str, timezone: str) -> str:
    """`2026-03-02 10:15` in the shop's time zone, from a stored UTC timestamp."""
    when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return when.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def refund_slip(record: RefundRecord, exponent: int, width: int) -> list[str]:
    """A refund: the refund's receipt number, lines, total, how it was paid back."""
    out = [str(record.receipt_no), "-" * width]
    for line in record.lines:
        qty = format_qty(line.qty_milli).rstrip("0").rstrip(".")
        out.append(row(line.name, format_money(line.gross, exponent), width))
        out.append(f"  {qty} x {format_money(line.unit_price, exponent)}")
    out += ["-" * width, row("TOTAL", format_money(record.gross, exponent), width)]
    out += [row(f"  {p.method}", format_money(p.amount, exponent), width) for p in record.payments]
    return out


def cash_slip(*, till: str, when: str, cashier: str, amount: str, reason: str, audit_seq: int,
              signature: bool, width: int) -> list[str]:
    """A cash in or out: who, when, how much and why; a payout leaves room for a signature."""
    out = [row("Till", till, width), row("Time", when, width), row("Cashier", cashier, width),
           row("Amount", amount, width), "Reason:", *textwrap.wrap(reason, width), row("Audit", str(audit_seq), width)]
    if signature:
        out += ["", "", "Signature " + "_" * max(width - 10, 1)]
    return out


def close_slip(*, till: str, when: str, cashier: str, business_date: str, counted: str, expected: str,
               difference: str, counts: Mapping[str, int], note: str | None, raised: Sequence[str],
               width: int, counters: Mapping[str, Any] | None = None) -> list[str]:
    """A shift close: the count by denomination, then what the till expected and the difference."""
    out = [row("Till", till, width), row("Day", business_date, width), row("Closed", when, width),
           row("Cashier", cashier, width), "-" * width]
    out += [f"  {qty} x {denomination}" for denomination, qty in counts.items()]
    out += [row("Counted", counted, width), row("Expected", expected, width), row("Difference", difference, width)]
    if note:
        out += ["Note:", *textwrap.wrap(note, width)]
    if raised:
        out.append(row("Differences to resolve", str(len(raised)), width))
    if counters:
        out += ["-" * width, *_counter_rows(counters, width)]
    return out


def _counter_rows(counters: Mapping[str, Any], width: int) -> list[str]:
    return [row("Transactions", str(counters.get("transaction_count", 0)), width),
            row("Last receipt", counters.get("last_receipt_no") or "-", width),
            row("Cash operations", str(counters.get("cash_operation_count", 0)), width),
            row("Last cash op", counters.get("last_cash_operation_at") or "-", width)]


def open_slip(*, till: str, when: str, cashier: str, business_date: str, opening_float: str,
              counts: Mapping[str, int], counters: Mapping[str, Any], warning: str | None, audit_seq: int,
              width: int) -> list[str]:
    """A shift open: the float as counted and the till's counters at that moment."""
    out = [row("Till", till, width), row("Day", business_date, width), row("Opened", when, width),
           row("Cashier", cashier, width), "-" * width]
    out += [f"  {qty} x {denomination}" for denomination, qty in counts.items()]
    out += [row("Opening float", opening_float, width), "-" * width, *_counter_rows(counters, width)]
    if warning:
        out += textwrap.wrap(warning, width)
    out.append(row("Audit", str(audit_seq), width))
    return out
