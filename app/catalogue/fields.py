"""Turning one untrusted catalogue cell into a typed value, or a sentence saying why not.

Text is refused when it would garble a receipt (control characters) or run as a
formula when someone opens an export in a spreadsheet; numbers are refused when
they are not exact in the currency's minor units or the till's thousandths.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

from app.catalogue.sources import Cell, Formula
from kernel.barcodes import DIGITS, GTIN_LENGTHS, is_valid_gtin, parse_scan
from kernel.money import AmountError, parse_money, parse_qty

MAX_CELL_CHARS = 2000
MAX_BARCODES = 20
FORMULA_STARTS = "=+-@"
_NUMBER = re.compile(r"-?\d{1,18}(?:[.,]\d{1,18})?")
_TAX_CODE = re.compile(r"[A-Za-z0-9]{1,8}")
_INVISIBLE = frozenset("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_TRUE, _FALSE = {"yes", "true", "1"}, {"no", "false", "0"}
MAX_STOCK_MILLI = 10**12


class FieldError(ValueError):
    """One cell that cannot be taken; the message is a sentence for a shop manager."""


def quote(value: str, limit: int = 30) -> str:
    """A value as it may appear in a message: printable and short."""
    shown = "".join(ch if ch.isprintable() else "?" for ch in value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def has_control(text: str) -> bool:
    """C0, DEL, C1, line separators and bidi overrides: all garble or disguise printed text."""
    return any(unicodedata.category(ch) == "Cc" or ch in _INVISIBLE for ch in text)


def _refuse_formula(cell: Cell, label: str) -> None:
    if isinstance(cell, Formula):
        raise FieldError(f"The {label} cell holds a formula ({quote(cell.text)}); type the value itself.")


def as_text(cell: Cell, label: str, *, max_len: int, required: bool = False) -> str | None:
    """Trimmed NFC text, None when empty; refuses control characters and formula-like starts."""
    _refuse_formula(cell, label)
    if cell is None:
        text = ""
    elif isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    elif isinstance(cell, datetime | date | time):
        text = cell.isoformat()
    else:
        text = str(cell)
    if has_control(text):
        raise FieldError(
            f"The {label} contains a control character (such as a tab, line break or ESC), "
            "which would garble receipts. Remove it."
        )
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        if required:
            raise FieldError(f"The {label} is missing.")
        return None
    if text[0] in FORMULA_STARTS:
        raise FieldError(
            f"The {label} \"{quote(text)}\" starts with \"{text[0]}\", which spreadsheets run as a formula. "
            "Remove that first character."
        )
    if len(text) > max_len:
        raise FieldError(f"The {label} is {len(text)} characters long; at most {max_len} are allowed.")
    return text


def _as_decimal_text(cell: Cell, label: str) -> str | None:
    """The number in a cell as plain decimal text, None when empty."""
    _refuse_formula(cell, label)
    if cell is None:
        return None
    if isinstance(cell, bool | datetime | date | time):
        raise FieldError(f"The {label} must be a number, not {quote(str(cell))}.")
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        if cell != cell or cell in (float("inf"), float("-inf")):
            raise FieldError(f"The {label} must be a number.")
        return repr(cell)  # the shortest text that reads back as this cell: 2.99, not 2.9899...
    text = str(cell).strip()
    if not text:
        return None
    if text[0] in "=+@" or (text[0] == "-" and not _NUMBER.fullmatch(text)):
        raise FieldError(
            f"The {label} \"{quote(text)}\" starts with \"{text[0]}\", which spreadsheets run as a formula. "
            "Type the number only."
        )
    if not _NUMBER.fullmatch(text):
        raise FieldError(
            f"The {label} \"{quote(text)}\" is not a number. Write it like 1234.50, "
            "without currency signs or thousands separators."
        )
    return text.replace(",", ".")


def as_money(cell: Cell, label: str, exponent: int, *, required: bool = False) -> int | None:
    """Minor units; refuses negatives and more decimals than the currency has."""
    text = _as_decimal_text(cell, label)
    if text is None:
        if required:
            raise FieldError(f"The {label} is missing.")
        return None
    if Decimal(text) < 0:
        raise FieldError(f"The {label} cannot be negative ({quote(text)}).")
    try:
        return parse_money(text, exponent)
    except AmountError:
        if "E" in text.upper():
            raise FieldError(f"The {label} {quote(text)} is not an exact amount.") from None
        places = "no decimals" if exponent == 0 else f"at most {exponent} decimals"
        message = f"The {label} {quote(text)} has too many decimals: the currency has {places}."
        raise FieldError(message) from None


def as_stock(cell: Cell, unit: str, label: str = "stock") -> int | None:
    """Thousandths of the unit; whole pieces for products sold by the piece."""
    text = _as_decimal_text(cell, label)
    if text is None:
        return None
    if Decimal(text) < 0:
        raise FieldError(f"The {label} cannot be negative ({quote(text)}); import 0 and adjust it at the till.")
    try:
        milli = parse_qty(text)
    except AmountError:
        raise FieldError(f"The {label} {quote(text)} has more than 3 decimals.") from None
    if milli > MAX_STOCK_MILLI:
        raise FieldError(f"The {label} {quote(text)} is too large.")
    if unit == "each" and milli % 1000:
        raise FieldError(f"The {label} {quote(text)} must be a whole number: the product is sold by the piece.")
    return milli


def as_bool(cell: Cell, label: str, default: bool) -> bool:
    """yes/no, true/false, 1/0 (any case); empty gives the default."""
    _refuse_formula(cell, label)
    if isinstance(cell, bool):
        return cell
    if cell is None:
        return default
    text = str(cell).strip().lower()
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldError(f"The {label} must be yes or no, not \"{quote(text)}\".")


def as_unit(cell: Cell) -> str:
    """'each' (the default) or 'kg'."""
    text = (as_text(cell, "unit", max_len=10) or "each").lower()
    if text not in ("each", "kg"):
        raise FieldError(f"The unit must be each or kg, not \"{quote(text)}\".")
    return text


def as_tax_code(cell: Cell, known: set[str] | None) -> str:
    """A tax code of 1-8 letters or digits; matched without regard to case when codes are known."""
    text = as_text(cell, "tax code", max_len=8, required=True)
    assert text is not None
    if not _TAX_CODE.fullmatch(text):
        raise FieldError(f"The tax code \"{quote(text)}\" must be 1 to 8 letters or digits.")
    if known is None:
        return text
    by_fold = {code.casefold(): code for code in known}
    if text.casefold() not in by_fold:
        listed = ", ".join(sorted(known)) or "none"
        raise FieldError(f"The tax code \"{text}\" is not set up on this till (known codes: {listed}).")
    return by_fold[text.casefold()]


def _one_barcode(raw: str, unit: str, numeric_cell: bool) -> str:
    hint = " Format the barcodes column as text so leading zeros are kept." if numeric_cell else ""
    if not set(raw) <= DIGITS:
        raise FieldError(f"The barcode \"{quote(raw)}\" must contain digits only.")
    if len(raw) not in GTIN_LENGTHS:
        raise FieldError(f"The barcode {quote(raw)} has {len(raw)} digits; a barcode has 8, 12 or 13.{hint}")
    if not is_valid_gtin(raw):
        raise FieldError(f"The barcode {raw} has a wrong check digit.")
    scan = parse_scan(raw)
    if scan.kind == "embedded_weight" and unit != "kg":
        raise FieldError(f"The barcode {raw} carries a weight, but the product is sold by the piece.")
    return scan.lookup_code


def as_barcodes(cell: Cell, unit: str) -> tuple[str, ...]:
    """Valid codes in their stored form (UPC-A as EAN-13; in-store codes with the value zeroed)."""
    numeric = isinstance(cell, int | float) and not isinstance(cell, bool)
    text = as_text(cell, "barcodes", max_len=MAX_CELL_CHARS) or ""
    parts = [p for p in re.split(r"[|\s]+", text) if p]
    if len(parts) > MAX_BARCODES:
        raise FieldError(f"A product may have at most {MAX_BARCODES} barcodes; this one lists {len(parts)}.")
    codes: list[str] = []
    for part in parts:
        if numeric and 9 <= len(part) < 13:
            part = part.zfill(13)  # a spreadsheet number lost the leading zeros of an EAN-13
        code = _one_barcode(part, unit, numeric)
        if code not in codes:
            codes.append(code)
    return tuple(codes)
