"""Amounts handed to use cases: exact ints of minor units that SQLite can hold.

A float or a Decimal here means a caller skipped `kernel.money.parse_money`; an int past the
bound would overflow SQLite's 64-bit INTEGER (and no shop takes 10^13 of anything)."""

from __future__ import annotations

from kernel.errors import InvalidInput

MAX_MINOR = 10**15  # the same bound parse_money applies to typed amounts


def exact_minor(value: object, what: str = "amount") -> int:
    """`value` if it is an int of minor units within the bound, else a cashier's message."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"The {what} was not given exactly. Type it again.")
    if abs(value) >= MAX_MINOR:
        raise InvalidInput(f"The {what} is too large.")
    return value
