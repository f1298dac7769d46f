"""Counting the drawer by denomination: what notes and coins a currency has, and a count's total.

A count typed note by note is what makes a blind close honest: the cashier enters how many of
each, the till adds up, and nobody types a total that was read off the screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from app.context import TillContext
from kernel.errors import InvalidInput
from kernel.money import format_money

# Minor units, largest first.
DENOMINATIONS: dict[str, tuple[int, ...]] = {
    "EUR": (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "USD": (10000, 5000, 2000, 1000, 500, 200, 100, 25, 10, 5, 1),
    "GBP": (5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "CHF": (100000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5),
}
MAX_PIECES = 100_000


def denominations(ctx: TillContext, configured: str | None = None) -> tuple[int, ...]:
    """The till's denominations: the `denominations` setting (minor units, comma-separated) if set,
    else the built-in list for the currency."""
    if configured:
        try:
            values = tuple(sorted({int(v) for v in configured.split(",") if v.strip()}, reverse=True))
        except ValueError:
            values = ()
        if values and all(v > 0 for v in values):
            return values
    return DENOMINATIONS.get(ctx.settings.currency, DENOMINATIONS["EUR"])


def _denomination(key: object, exp: int) -> int:
    if isinstance(key, bool):
        raise InvalidInput(f"{key!r} is not a note or coin value.")
    if isinstance(key, int):
        return key
    try:
        value = Decimal(str(key).strip())
    except InvalidOperation:
        raise InvalidInput(f"'{key}' is not a note or coin value.") from None
    if not value.is_finite():
        raise InvalidInput(f"'{key}' is not a note or coin value.")
    minor = value.scaleb(exp)
    if minor != minor.to_integral_value():
        raise InvalidInput(f"'{key}' has more decimals than the currency.")
    return int(minor)


def _pieces(value: object, label: str) -> int:
    if isinstance(value, bool):
        raise InvalidInput(f"The number of {label} must be a whole number.")
    if isinstance(value, int):
        pieces = value
    else:
        text = str(value).strip()
        if not text.isdigit():
            raise InvalidInput(f"The number of {label} must be a whole number of zero or more, not '{value}'.")
        pieces = int(text)
    if pieces < 0:
        raise InvalidInput(f"The number of {label} cannot be negative.")
    if pieces > MAX_PIECES:
        raise InvalidInput(f"{pieces} pieces of {label} is not a real count; check the number.")
    return pieces


def parse_counts(ctx: TillContext, counts: Mapping[object, object], configured: str | None = None) -> dict[int, int]:
    """{denomination: pieces} in minor units, refusing unknown notes, negative or non-numeric counts.

    Keys may be minor units (int) or money text ("20.00"); values whole numbers (int or digits).
    """
    exp, allowed = ctx.settings.exponent, set(denominations(ctx, configured))
    parsed: dict[int, int] = {}
    for key, value in counts.items():
        denom = _denomination(key, exp)
        label = format_money(denom, exp) if denom > 0 else str(key)
        if denom not in allowed:
            raise InvalidInput(f"{label} is not a note or coin of {ctx.settings.currency}.")
        parsed[denom] = parsed.get(denom, 0) + _pieces(value, label)
    return parsed


def total(counts: Mapping[int, int]) -> int:
    return sum(d * q for d, q in counts.items())


def as_text_map(counts: Mapping[int, int], exp: int) -> dict[str, int]:
    """For the audit entry: {"20.00": 3, ...} (no floats, fixed scale)."""
    return {format_money(d, exp): q for d, q in sorted(counts.items(), reverse=True) if q}


def breakdown(ctx: TillContext, amount: int, configured: str | None = None) -> dict[int, int]:
    """Greedy {denomination: pieces} making up `amount` (for simulators and float suggestions).

    Raises InvalidInput when the denominations cannot make the amount exactly."""
    if amount < 0:
        raise InvalidInput("A drawer cannot hold a negative amount.")
    left, out = amount, {}
    for denom in denominations(ctx, configured):
        pieces, left = divmod(left, denom)
        if pieces:
            out[denom] = pieces
    if left:
        raise InvalidInput(f"{format_money(amount, ctx.settings.exponent)} cannot be made of "
                           f"{ctx.settings.currency} notes and coins.")
    return out
