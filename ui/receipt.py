"""Receipt text for the printer adapter (until the devices package renders receipts itself)."""

from __future__ import annotations

from typing import Any

from app.money import format_money, format_qty

WIDTH = 42


def _row(left: str, right: str) -> str:
    left = left[: WIDTH - len(right) - 1]
    return left + " " * (WIDTH - len(left) - len(right)) + right


def sale_lines(sale: Any, settings: Any, *, title: str = "RECEIPT") -> list[str]:
    """A sale or refund record as 42-column lines: header, items, totals, payments, footer."""
    exp = settings.exponent
    out = [settings.store_name.center(WIDTH)]
    if settings.receipt_header:
        out += [line.center(WIDTH) for line in settings.receipt_header.splitlines()]
    out += [title.center(WIDTH), f"{sale.receipt_no}", "-" * WIDTH]
    for line in sale.lines:
        qty = format_qty(line.qty_milli).rstrip("0").rstrip(".")
        out.append(_row(line.name, format_money(line.gross, exp)))
        out.append(f"  {qty} x {format_money(line.unit_price, exp)}  {line.tax_code}")
        if line.discount:
            out.append(_row("  discount", "-" + format_money(line.discount, exp)))
    out.append("-" * WIDTH)
    if getattr(sale, "subtotal_discount", 0):
        out.append(_row("Subtotal discount", "-" + format_money(sale.subtotal_discount, exp)))
    out.append(_row("TOTAL", format_money(sale.gross, exp)))
    out.append(_row("of which tax", format_money(sale.tax, exp)))
    for p in sale.payments:
        out.append(_row(f"  {p.method}", format_money(p.amount, exp)))
    if getattr(sale, "change", 0):
        out.append(_row("CHANGE", format_money(sale.change, exp)))
    if settings.receipt_footer:
        out += ["", *[line.center(WIDTH) for line in settings.receipt_footer.splitlines()]]
    return out


def report_lines(title: str, rows: list[tuple[str, str]]) -> list[str]:
    return [title.center(WIDTH), "-" * WIDTH, *[_row(k, v) for k, v in rows]]
