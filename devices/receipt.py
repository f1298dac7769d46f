"""Sale receipts, reprints, reports and the test page as ESC/POS bytes.

Input is the `data` of a `sale.completed` audit entry (plain dict, decimal strings), so a reprint
months later prints what the audit log recorded. Bytes are built on a python-escpos Dummy and
sent later by the spool. Every string that comes from data goes through `strip_controls`: an
ESC sequence typed into a product name prints as letters, never as a cut or a drawer kick.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image

from devices.codepages import choose_code_page, encode_text, printable, strip_controls
from devices.escpos_lib import code128, new_dummy, profile_code_pages, supports_partial_cut

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "resources" / "receipts"
INIT = b"\x1b@"
LOGO_MAX_PX = 384  # fits 58 mm paper at 203 dpi, so one size works on every printer we take
log = logging.getLogger(__name__)


class ReceiptDataError(ValueError):
    """The sale data cannot be printed as it is (a missing key or a malformed amount)."""


@dataclass(frozen=True)
class ReceiptContext:
    """What a receipt needs beyond the sale: the shop, the till, the audit reference, the paper."""

    store_name: str
    till_id: str
    cashier: str = ""
    address_lines: tuple[str, ...] = ()
    currency_symbol: str = "€"
    tax_rates: Mapping[str, tuple[str, int]] = field(default_factory=dict)  # code -> (name, basis points)
    audit_seq: int | None = None
    short_hash: str = ""
    customer_name: str | None = None
    credit_left: str | None = None  # decimal string, for on-account sales
    header_text: str = ""
    footer_text: str = ""
    paper_width: int = 42
    profile: str = "default"
    copy: bool = False
    logo_path: str | None = None  # an image file; skipped (never fatal) when missing or unreadable


@dataclass(frozen=True)
class PrintJob:
    """Rendered bytes for the spool. The drawer kick is kept apart so it fires at most once."""

    body: bytes
    kick: bytes = b""
    kind: str = "receipt"
    ref: str = ""


@lru_cache(maxsize=8)
def load_template(name: str = "sale") -> dict[str, Any]:
    template: dict[str, Any] = json.loads((TEMPLATE_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return template


def pays_cash(sale: Mapping[str, Any]) -> bool:
    """A cash payment or cash change means the drawer has to open."""
    methods = {p.get("method") for p in sale.get("payments", [])}
    return "cash" in methods or _amount(sale.get("change", "0"), "change") != 0


def _amount(value: Any, what: str) -> Decimal:
    try:
        dec = Decimal(strip_controls(value))
    except (InvalidOperation, ValueError):
        raise ReceiptDataError(f"The {what} '{strip_controls(value)[:20]}' is not an amount.") from None
    if not dec.is_finite():
        raise ReceiptDataError(f"The {what} '{value}' is not an amount.")
    return dec


def _money(value: Any, what: str) -> str:
    return f"{_amount(value, what):.2f}"


def _qty(value: Any) -> str:
    dec = _amount(value, "quantity")
    return str(int(dec)) if dec == dec.to_integral_value() else f"{dec:.3f}"


class _Page:
    """Text and commands on a Dummy, encoded with the one code page chosen for the profile."""

    def __init__(self, profile: str, width: int) -> None:
        self.width = width
        self.printer = new_dummy(profile)
        self.page, self.codec = choose_code_page(profile_code_pages(profile))
        self.partial_cut = supports_partial_cut(profile)
        # python-escpos 3.1 sends ESC @ (which resets the code page) without re-sending ESC t (#729):
        # we always follow our ESC @ with our own ESC t.
        self.printer._raw(INIT + b"\x1bt" + bytes([self.page]))

    def style(self, *, bold: bool = False, tall: bool = False, align: str = "left") -> None:
        self.printer.set(bold=bold, double_height=tall, align=align, normal_textsize=not tall)

    def fit(self, text: str) -> str:
        return printable(strip_controls(text), self.codec)

    def line(self, text: str = "") -> None:
        self.printer._raw(encode_text(self.fit(text)[: self.width], self.codec) + b"\n")

    def centered(self, text: str, **style: bool) -> None:
        self.style(align="center", **style)
        for chunk in _wrap(self.fit(text), self.width):
            self.line(chunk)
        self.style()

    def columns(self, left: str, right: str) -> None:
        left, right = self.fit(left), self.fit(right)
        room = max(self.width - len(right) - 1, 0)
        self.line(f"{left[:room]:<{room}} {right}"[-self.width :] if right else left)

    def rule(self) -> None:
        self.line("-" * self.width)

    def raw(self, data: bytes) -> None:
        self.printer._raw(data)

    def finish(self) -> bytes:
        self.printer.cut(mode="PART" if self.partial_cut else "FULL")
        return bytes(self.printer.output)


def _wrap(text: str, width: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines


def render_receipt(sale: Mapping[str, Any], ctx: ReceiptContext, *, kick: bytes = b"") -> PrintJob:
    """A sale receipt; `kick` (from the drawer) is dropped for a copy: reprints never open the drawer."""
    if not isinstance(sale, Mapping) or "receipt_no" not in sale or not isinstance(sale.get("lines"), list):
        raise ReceiptDataError("The sale has no receipt number or no lines; it cannot be printed.")
    if not all(isinstance(item, Mapping) for item in sale["lines"]) or not all(
        isinstance(p, Mapping) for p in sale.get("payments", [])
    ):
        raise ReceiptDataError("A sale line or payment is not readable; the receipt cannot be printed.")
    template = load_template("sale")
    labels: dict[str, str] = template["labels"]
    page = _Page(ctx.profile, ctx.paper_width)
    blocks: dict[str, Callable[[], None]] = {
        "copy": lambda: page.centered(labels["copy"], bold=True, tall=True) if ctx.copy else None,
        "header": lambda: _header(page, ctx),
        "rule": page.rule,
        "meta": lambda: _meta(page, sale, ctx, labels),
        "lines": lambda: _lines(page, sale["lines"], labels),
        "totals": lambda: _totals(page, sale, ctx, labels),
        "taxes": lambda: _taxes(page, sale["lines"], ctx, labels),
        "payments": lambda: _payments(page, sale, labels),
        "customer": lambda: _customer(page, ctx, labels),
        "barcode": lambda: _barcode(page, sale),
        "anchor": lambda: _anchor(page, sale, ctx),
        "qr": lambda: _qr(page, sale, ctx),
        "footer": lambda: page.centered(ctx.footer_text) if ctx.footer_text else None,
    }
    for block in template["blocks"]:
        blocks[block]()
    ref = strip_controls(sale["receipt_no"])
    return PrintJob(page.finish(), b"" if ctx.copy else kick, "reprint" if ctx.copy else "receipt", ref)


def _logo(page: _Page, path: str) -> None:
    """A receipt must print even when the logo file is gone: a bad logo is logged and left out."""
    try:
        with Image.open(path) as img:
            img.thumbnail((LOGO_MAX_PX, LOGO_MAX_PX))
            image = img.convert("1")
        page.style(align="center")
        page.printer.image(image, impl="bitImageRaster")
        page.style()
    except (OSError, ValueError) as exc:
        log.warning("receipt logo %s left out: %s", path, exc)


def _header(page: _Page, ctx: ReceiptContext) -> None:
    if ctx.logo_path:
        _logo(page, ctx.logo_path)
    page.centered(ctx.store_name, bold=True, tall=True)
    for line in ctx.address_lines:
        page.centered(line)
    if ctx.header_text:
        page.centered(ctx.header_text)


def _meta(page: _Page, sale: Mapping[str, Any], ctx: ReceiptContext, labels: Mapping[str, str]) -> None:
    page.columns(labels["receipt"], str(sale["receipt_no"]))
    page.columns(labels["date"], str(sale.get("business_date", "")))
    page.columns(labels["till"], ctx.till_id)
    if ctx.cashier:
        page.columns(labels["cashier"], ctx.cashier)
    if ctx.audit_seq is not None:
        page.columns(labels["audit"], str(ctx.audit_seq))


def _lines(page: _Page, lines: Iterable[Mapping[str, Any]], labels: Mapping[str, str]) -> None:
    for item in lines:
        for chunk in _wrap(page.fit(item.get("name", "")), page.width) or [""]:
            page.line(chunk)
        qty, unit = _qty(item.get("qty", "1")), _money(item.get("unit_price", "0"), "unit price")
        page.columns(f"  {qty} x {unit}", f"{_money(item.get('gross', '0'), 'line total')} "
                     f"{strip_controls(item.get('tax_code', ''))[:2]}")
        discount = _amount(item.get("discount", "0"), "discount")
        promo = _amount(item.get("promotion_discount") or "0", "promotion discount")
        if promo:
            offer = labels.get("promotion", "  Offer {id}").replace("{id}", strip_controls(item.get("promotion_id")))
            page.columns(page.fit(offer), f"-{promo:.2f}")
        if discount - promo:
            page.columns(labels["line_discount"], f"-{discount - promo:.2f}")


def _totals(page: _Page, sale: Mapping[str, Any], ctx: ReceiptContext, labels: Mapping[str, str]) -> None:
    if _amount(sale.get("subtotal_discount", "0"), "discount"):
        page.columns(labels["subtotal_discount"], f"-{_money(sale['subtotal_discount'], 'discount')}")
    if _amount(sale.get("rounding", "0"), "rounding"):
        page.columns(labels["rounding"], _money(sale["rounding"], "rounding"))
    page.columns(labels["net"], _money(sale.get("net", "0"), "net"))
    page.columns(labels["tax"], _money(sale.get("tax", "0"), "tax"))
    page.style(bold=True, tall=True)
    page.columns(labels["total"], f"{ctx.currency_symbol} {_money(sale.get('gross', '0'), 'total')}")
    page.style()


def _taxes(page: _Page, lines: Sequence[Mapping[str, Any]], ctx: ReceiptContext, labels: Mapping[str, str]) -> None:
    by_code: dict[str, list[Decimal]] = {}
    for item in lines:
        sums = by_code.setdefault(strip_controls(item.get("tax_code", "")), [Decimal(0), Decimal(0)])
        sums[0] += _amount(item.get("net", "0"), "net")
        sums[1] += _amount(item.get("tax", "0"), "tax")
    for code in sorted(by_code):
        name, rate_bp = ctx.tax_rates.get(code, (code, 0))
        base, tax = by_code[code]
        left = f"{code} " + labels["tax_line"].format(name=strip_controls(name), rate=f"{rate_bp / 100:g}",
                                                      base=f"{base:.2f}")
        page.columns(left, f"{tax:.2f}")


def _payments(page: _Page, sale: Mapping[str, Any], labels: Mapping[str, str]) -> None:
    for payment in sale.get("payments", []):
        method = strip_controls(payment.get("method", "other"))
        page.columns(labels.get(method, method.title()), _money(payment.get("amount", "0"), "payment"))
    if _amount(sale.get("change", "0"), "change"):
        page.columns(labels["change"], _money(sale["change"], "change"))


def _customer(page: _Page, ctx: ReceiptContext, labels: Mapping[str, str]) -> None:
    if ctx.customer_name:
        page.columns(labels["customer"], ctx.customer_name)
    if ctx.credit_left is not None:
        page.columns(labels["credit_left"], f"{ctx.currency_symbol} {_money(ctx.credit_left, 'credit')}")


def _barcode(page: _Page, sale: Mapping[str, Any]) -> None:
    number = strip_controls(sale["receipt_no"])
    if number and number.isascii() and number.isprintable() and len(number) <= 40:
        page.style(align="center")
        page.raw(code128(number))
        page.line()
        page.style()


def _anchor(page: _Page, sale: Mapping[str, Any], ctx: ReceiptContext) -> None:
    """The sale's audit entry as text: its sequence number and short hash, which the customer keeps."""
    if ctx.audit_seq is None:
        return
    page.centered(f"seq={ctx.audit_seq} h={strip_controls(ctx.short_hash)}")


def _qr(page: _Page, sale: Mapping[str, Any], ctx: ReceiptContext) -> None:
    if ctx.audit_seq is None:
        return
    page.style(align="center")
    page.printer.qr(qr_payload(sale, ctx), native=True, size=4)
    page.style()


def qr_payload(sale: Mapping[str, Any], ctx: ReceiptContext) -> str:
    """The anchor line (app/audit/anchor.py): receipt number, audit sequence and short hash, as
    `tillstone audit verify --receipt` takes it."""
    return f"{strip_controls(sale['receipt_no'])} seq={ctx.audit_seq} h={strip_controls(ctx.short_hash)}"


def render_report(
    text_lines: Iterable[str], *, title: str = "", profile: str = "default", paper_width: int = 42,
    copy: bool = False,
) -> PrintJob:
    """X, Z and shift reports: lines already formatted to the paper width by the report code."""
    page = _Page(profile, paper_width)
    if copy:
        page.centered(load_template("sale")["labels"]["copy"], bold=True)
    if title:
        page.centered(title, bold=True, tall=True)
    for text in text_lines:
        page.line(text)
    return PrintJob(page.finish(), kind="report", ref=strip_controls(title))


def render_test_page(*, profile: str = "default", paper_width: int = 42, url: str = "") -> PrintJob:
    """A page that shows the paper width, the code page (€, accents) and the cutter work."""
    page = _Page(profile, paper_width)
    page.centered("Tillstone test page", bold=True, tall=True)
    page.line(url)
    page.line(f"Profile {profile}, code page {page.page} ({page.codec})")
    page.line("€ £ é è à ç ñ ö ü ß Å Ø")
    page.line(("0123456789" * 5)[:paper_width])
    page.rule()
    return PrintJob(page.finish(), kind="test", ref="test page")
