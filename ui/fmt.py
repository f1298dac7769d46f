"""Money, quantities and dates for the screen, in the language the till is set to.

The core formats with a dot and no symbol; the screen uses the locale's decimal mark."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QCoreApplication, QLocale

from kernel.money import format_money, format_qty

SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF"}


def tr(text: str) -> str:
    """One translation context for the whole till keeps the .ts files simple to maintain."""
    return QCoreApplication.translate("Tillstone", text)


def money(minor: int, exponent: int = 2, currency: str = "EUR") -> str:
    text = format_money(minor, exponent)
    point = QLocale().decimalPoint()
    if point != ".":
        text = text.replace(".", point)
    return f"{text} {SYMBOLS.get(currency, currency)}"


def qty(milli: int, unit: str = "each") -> str:
    if unit == "each" and milli % 1000 == 0:
        return str(milli // 1000)
    text = format_qty(milli)
    point = QLocale().decimalPoint()
    return (text.replace(".", point) if point != "." else text) + (" kg" if unit == "kg" else "")


def parse_amount(text: str, exponent: int = 2) -> int | None:
    """Typed money (either decimal mark) to minor units; None when it is not a number."""
    cleaned = text.strip().replace(",", ".").replace("€", "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal(1).scaleb(-exponent)):
        return None
    return int(value.scaleb(exponent))


def parse_quantity(text: str) -> int | None:
    """Typed quantity to thousandths; None when it is not a positive number with ≤ 3 decimals."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.001")):
        return None
    return int(value * 1000)


def date(iso: str) -> str:
    """A business date (YYYY-MM-DD) in the locale's short form."""
    from PySide6.QtCore import QDate

    d = QDate.fromString(iso[:10], "yyyy-MM-dd")
    return QLocale().toString(d, QLocale.FormatType.ShortFormat) if d.isValid() else iso


def plural(n: int, one: str, other: str) -> str:
    """`one` or `other` (each with {0} for the number, each already translated): "1 line", "2 lines".
    English and German both have these two forms."""
    return (one if n == 1 else other).format(n)


def tender(method: str) -> str:
    """A payment method's label for people ("Cash"), not the stored method ("cash")."""
    labels = {
        "cash": tr("Cash"),
        "card": tr("Card"),
        "voucher": tr("Voucher"),
        "account": tr("On account"),
        "other": tr("Other"),
    }
    return labels.get(method, method)
