"""GTIN check digits and in-store barcodes with an embedded price or weight.

Pure functions: the till, the importer and the scale-label code all agree on what a
scanned code means, and which 13 digits identify the product it belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

DIGITS = frozenset("0123456789")
GTIN_LENGTHS = (8, 12, 13)
_STRIP = " \t\r\n"  # scanners end a code with one of these; nothing else is stripped
_AGAIN = "scan it again or type the code."


class BarcodeError(ValueError):
    """A code the till cannot take; the message is a sentence for the cashier."""


@dataclass(frozen=True)
class EmbeddedRule:
    """How a store reads an in-store EAN-13 laid out as ``PP IIIII VVVVV C``.

    ``value_decimals`` says where the decimal point sits in the five value digits:
    for a price it is relative to the currency's minor unit; for a weight the value is kg.
    """

    prefix: str
    kind: Literal["price", "weight"]
    value_decimals: int

    def __post_init__(self) -> None:
        if len(self.prefix) != 2 or not set(self.prefix) <= DIGITS or self.prefix[0] != "2":
            raise ValueError(f"An in-store prefix is two digits starting with 2, not {self.prefix!r}.")
        if self.kind not in ("price", "weight"):
            raise ValueError(f"An in-store rule is for a price or a weight, not {self.kind!r}.")
        top = 3 if self.kind == "weight" else 5
        if not 0 <= self.value_decimals <= top:
            raise ValueError(f"A {self.kind} rule takes 0 to {top} decimals, not {self.value_decimals}.")


DEFAULT_RULES: tuple[EmbeddedRule, ...] = (
    *(EmbeddedRule(p, "price", 2) for p in ("21", "22")),
    *(EmbeddedRule(p, "weight", 3) for p in ("23", "24", "25", "26", "27", "28", "29")),
)


@dataclass(frozen=True)
class Scan:
    """What a scanned code means: the product code to look up, plus any embedded value."""

    lookup_code: str
    kind: Literal["gtin", "embedded_price", "embedded_weight", "internal"]
    price_minor: int | None
    qty_milli: int | None


def gtin_check_digit(body: str) -> int:
    """The GS1 mod-10 check digit for a code body (the code without its last digit)."""
    if not body or not set(body) <= DIGITS:
        raise ValueError("A barcode body is made of digits 0-9 only.")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def with_check_digit(body: str) -> str:
    """The body followed by its check digit: how demo data and labels make valid codes."""
    return body + str(gtin_check_digit(body))


def is_valid_gtin(code: str) -> bool:
    """True for an EAN-8, UPC-A (12 digits) or EAN-13 whose check digit is right."""
    if len(code) not in GTIN_LENGTHS or not set(code) <= DIGITS:
        return False
    return gtin_check_digit(code[:-1]) == int(code[-1])


def _shown(code: str) -> str:
    """The code as it may appear in a message: never echo control or odd characters."""
    if code and len(code) <= 20 and code.isprintable() and code.isascii():
        return f"{code} "
    return ""


def _checked(raw: str) -> str:
    """The code with scanner suffixes stripped, or a BarcodeError saying what is wrong."""
    code = raw.strip(_STRIP)
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in code):
        raise BarcodeError(f"The barcode contains a control character: {_AGAIN}")
    if not code:
        raise BarcodeError(f"No barcode was read: {_AGAIN}")
    if not set(code) <= DIGITS:
        raise BarcodeError(f"The barcode {_shown(code)}must contain digits only: {_AGAIN}")
    if len(code) not in GTIN_LENGTHS:
        raise BarcodeError(
            f"The barcode {_shown(code)}has {len(code)} digits where a barcode has 8, 12 or 13: {_AGAIN}"
        )
    if not is_valid_gtin(code):
        raise BarcodeError(f"The barcode {code} has a wrong check digit: {_AGAIN}")
    return code


def normalise(code: str) -> str:
    """The form stored on products: UPC-A gains a leading 0 to become its EAN-13."""
    code = _checked(code)
    return "0" + code if len(code) == 12 else code


def embedded_code(prefix: str, item: str, value: int) -> str:
    """Build an in-store EAN-13 ``PP IIIII VVVVV C`` (value 0 gives the product's lookup code)."""
    if len(prefix) != 2 or len(item) != 5 or not set(prefix + item) <= DIGITS or not 0 <= value <= 99999:
        raise ValueError("An in-store code is a 2-digit prefix, a 5-digit item and a value of 0 to 99999.")
    return with_check_digit(f"{prefix}{item}{value:05d}")


def parse_scan(code: str, rules: Sequence[EmbeddedRule] = DEFAULT_RULES, *, exponent: int = 2) -> Scan:
    """Read a scanned code; in-store codes give the zeroed lookup code and their value.

    ``exponent`` is the currency's number of decimals, so that an embedded price with
    ``value_decimals`` decimals becomes minor units of that currency.
    """
    code = normalise(code)
    if len(code) != 13 or code[0] != "2":
        return Scan(code, "gtin", None, None)
    rule = next((r for r in rules if r.prefix == code[:2]), None)
    if rule is None:
        return Scan(code, "internal", None, None)
    value = int(code[7:12])
    lookup = with_check_digit(code[:7] + "00000")
    if rule.kind == "weight":
        return Scan(lookup, "embedded_weight", None, value * 10 ** (3 - rule.value_decimals))
    shift = exponent - rule.value_decimals
    if shift >= 0:
        price = value * 10**shift
    elif value % 10**-shift == 0:
        price = value // 10**-shift
    else:
        raise BarcodeError(
            f"The price in barcode {code} has more decimals than the currency: type the price."
        )
    return Scan(lookup, "embedded_price", price, None)
