"""Exact money and quantities.

Money lives as integer minor units (cents) everywhere below the UI; quantities as
integer thousandths ("milli") so that weighed items keep 3 decimals exactly.
Floats are refused at every entry point: they are how peers lose cents.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_MILLI = Decimal(1000)


class AmountError(ValueError):
    """An amount or quantity a cashier typed that cannot be taken as it is."""


def _to_decimal(value: str | int | Decimal, what: str) -> Decimal:
    if isinstance(value, float | bool):
        raise AmountError(f"The {what} must be given exactly, not as a floating-point number.")
    try:
        dec = Decimal(str(value).strip()) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, ValueError):
        raise AmountError(f"'{value}' is not a valid {what}.") from None
    if not dec.is_finite():
        raise AmountError(f"'{value}' is not a valid {what}.")
    return dec


def parse_money(value: str | int | Decimal, exponent: int = 2) -> int:
    """Text or Decimal to minor units; refuses more decimals than the currency has."""
    dec = _to_decimal(value, "amount")
    places = dec.as_tuple().exponent  # an int, since _to_decimal refuses NaN and infinities
    if isinstance(places, int) and places < -exponent and dec != dec.quantize(Decimal(1).scaleb(-exponent)):
        raise AmountError(f"The amount {value} has more than {exponent} decimals.")
    minor = dec.scaleb(exponent)
    if abs(minor) >= Decimal(10) ** 15:
        raise AmountError(f"The amount {value} is too large.")
    return int(minor)


def format_money(minor: int, exponent: int = 2) -> str:
    """Minor units to the fixed-scale decimal string used in the audit log ("12.50")."""
    if exponent == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**exponent)
    return f"{sign}{whole}.{frac:0{exponent}d}"


def parse_qty(value: str | int | Decimal) -> int:
    """A quantity to thousandths; at most 3 decimals."""
    dec = _to_decimal(value, "quantity")
    if dec != dec.quantize(Decimal("0.001")):
        raise AmountError(f"The quantity {value} has more than 3 decimals.")
    return int(dec * _MILLI)


def format_qty(milli: int) -> str:
    """Thousandths to the fixed 3-decimal string used in the audit log ("2.500")."""
    sign = "-" if milli < 0 else ""
    whole, frac = divmod(abs(milli), 1000)
    return f"{sign}{whole}.{frac:03d}"


def round_half_up(value: Decimal) -> int:
    """Round a Decimal number of minor units to an integer, half away from zero."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
