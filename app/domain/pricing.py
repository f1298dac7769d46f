"""Pricing and tax: from cart lines to exact, self-consistent receipt figures.

Every amount is an integer of minor units and every division is rounded exactly once, by
`round_div`, so a receipt always adds up: the lines sum to the totals, each line's
net + tax == gross, and the subtotal discount shares sum to the subtotal discount.
Where one figure has to be spread over lines (a subtotal discount, a per-receipt tax), the
largest-remainder method hands out the leftover units, so nothing is lost or invented.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

HALF_UP = "half_up"
HALF_EVEN = "half_even"
ROUNDING_MODES = (HALF_UP, HALF_EVEN)
TAX_MODES = ("inclusive", "exclusive")
TAX_ROUNDINGS = ("line", "receipt")

MAX_LINE_AMOUNT = 10**13
"""A line above this (100 billion in a 2-decimal currency) is a typing error, not a sale."""


class PricingError(ValueError):
    """A price, quantity or discount that cannot be priced; the message is for the cashier."""


@dataclass(frozen=True)
class PriceLine:
    """One cart line as entered: quantity, listed unit price, tax and the line's own discount."""

    qty_milli: int
    unit_price: int
    tax_rate_bp: int
    tax_code: str
    discount_percent: Decimal = Decimal(0)
    discount_amount: int = 0
    promotion_id: int | None = None
    promotion_discount: int = 0  # an automatic promotion's, on top of the line's own (app/domain/promotions.py)


@dataclass(frozen=True)
class PricedLine:
    """A priced line. `base`, `discount` and `subtotal_share` are in the listed-price basis;
    `discount` includes `promotion_discount`, the part a promotion gave."""

    base: int
    discount: int
    subtotal_share: int
    net: int
    tax: int
    gross: int
    promotion_id: int | None = None
    promotion_discount: int = 0


@dataclass(frozen=True)
class TaxTotal:
    """The taxable base and tax of one tax code (and rate) on a receipt."""

    tax_code: str
    tax_rate_bp: int
    net: int
    tax: int
    gross: int


@dataclass(frozen=True)
class PricedCart:
    """The priced receipt: lines in cart order, totals and the tax summary."""

    lines: tuple[PricedLine, ...]
    line_discount: int
    subtotal_discount: int
    net: int
    tax: int
    gross: int
    taxes: tuple[TaxTotal, ...]

    @property
    def base(self) -> int:
        """The lines before any discount (the report's "sales gross" in inclusive mode)."""
        return sum(line.base for line in self.lines)


# -- rounding ---------------------------------------------------------------------------


def round_div(numerator: int, denominator: int, rounding: str = HALF_UP) -> int:
    """numerator / denominator rounded to an integer, with ties away from zero or to even.

    Done in integers so the result is exact for any size, with no dependence on a Decimal
    context's precision; it matches `Decimal.quantize` with ROUND_HALF_UP / ROUND_HALF_EVEN.
    """
    if rounding not in ROUNDING_MODES:
        raise PricingError(f"'{rounding}' is not a rounding mode; use 'half_up' or 'half_even'.")
    if denominator <= 0:
        raise PricingError("Cannot divide an amount by zero or a negative number.")
    q, r = divmod(abs(numerator), denominator)
    twice = 2 * r
    if twice > denominator or (twice == denominator and (rounding == HALF_UP or q % 2 == 1)):
        q += 1
    return q if numerator >= 0 else -q


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` over `weights` proportionally; the parts sum exactly to `total`.

    Largest-remainder method: everyone gets the floor of their exact share, and the units
    left over go to the largest remainders, earlier positions first on a tie. No part
    exceeds its weight when total <= sum(weights).
    """
    if total < 0 or any(w < 0 for w in weights):
        raise PricingError("Amounts to spread over lines cannot be negative.")
    whole = sum(weights)
    if whole == 0:
        if total:
            raise PricingError("There is nothing to spread the amount over.")
        return [0] * len(weights)
    parts = []
    remainders = []
    for i, w in enumerate(weights):
        q, r = divmod(total * w, whole)
        parts.append(q)
        remainders.append((-r, i))
    left = total - sum(parts)
    for _, i in sorted(remainders)[:left]:
        parts[i] += 1
    return parts


def cash_round(amount: int, increment: int, rounding: str = HALF_UP) -> int:
    """Round a payable amount to the cash increment (e.g. 5 for 0.05); increment 0 or 1 = no rounding.

    Only cash is rounded: the receipt's figures stay exact and the difference is booked
    as rounding by the checkout.
    """
    _check_int(amount, "amount")
    _check_int(increment, "cash rounding increment")
    if increment < 0:
        raise PricingError("The cash rounding increment cannot be negative.")
    if increment <= 1:
        return amount
    return round_div(amount, increment, rounding) * increment


# -- validation -------------------------------------------------------------------------


def _check_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PricingError(f"The {what} must be a whole number of minor units.")
    return value


def _percent_hundredths(value: object, what: str) -> int:
    """A percentage (0..100, at most 2 decimals) as an int of hundredths of a percent."""
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int):
        raise PricingError(f"The {what} must be given as an exact percentage.")
    pct = Decimal(value)
    try:
        exact = pct.is_finite() and pct == pct.quantize(Decimal("0.01"))
    except InvalidOperation:
        exact = False
    if not exact:
        raise PricingError(f"The {what} must be a percentage with at most 2 decimals.")
    if pct < 0:
        raise PricingError(f"The {what} cannot be negative.")
    if pct > 100:
        raise PricingError(f"The {what} cannot be more than 100 %.")
    return int(pct * 100)


def _line_before_subtotal(n: int, line: PriceLine, rounding: str) -> tuple[int, int]:
    """(base, line discount) of line `n` (1-based, for messages), validated."""
    qty = _check_int(line.qty_milli, f"quantity on line {n}")
    price = _check_int(line.unit_price, f"price on line {n}")
    rate = _check_int(line.tax_rate_bp, f"tax rate on line {n}")
    amount = _check_int(line.discount_amount, f"discount on line {n}")
    promo = _check_int(line.promotion_discount, f"promotion on line {n}")
    if not isinstance(line.tax_code, str):
        raise PricingError(f"Line {n} has no valid tax code.")
    if qty <= 0:
        raise PricingError(f"The quantity on line {n} must be more than zero.")
    if price < 0:
        raise PricingError(f"The price on line {n} cannot be negative.")
    if rate < 0:
        raise PricingError(f"The tax rate on line {n} cannot be negative.")
    if amount < 0 or promo < 0:
        raise PricingError(f"The discount on line {n} cannot be negative.")
    pct = _percent_hundredths(line.discount_percent, f"discount on line {n}")
    if pct and amount:
        raise PricingError(f"Line {n} has both a percentage and an amount discount; keep only one.")
    base = round_div(qty * price, 1000, rounding)
    if base > MAX_LINE_AMOUNT:
        raise PricingError(f"The amount on line {n} is too large; check the quantity and price.")
    if amount > base:
        raise PricingError(f"The discount on line {n} is larger than the line.")
    discount = (round_div(base * pct, 10000, rounding) if pct else amount) + promo
    if discount > base:
        raise PricingError(f"The discount on line {n} is larger than the line.")
    return base, discount


# -- pricing ----------------------------------------------------------------------------


def price_cart(
    lines: Sequence[PriceLine],
    *,
    subtotal_discount_percent: Decimal = Decimal(0),
    subtotal_discount_amount: int = 0,
    tax_mode: str = "inclusive",
    tax_rounding: str = "line",
    rounding: str = HALF_UP,
) -> PricedCart:
    """Price a cart: line discounts, the prorated subtotal discount, then tax.

    Inclusive mode treats listed prices as gross and takes the tax out of them; exclusive
    mode treats them as net and adds the tax. "line" tax rounding rounds each line's tax;
    "receipt" rounds once per tax code and spreads that tax back over the code's lines.
    """
    if tax_mode not in TAX_MODES:
        raise PricingError(f"'{tax_mode}' is not a tax mode; use 'inclusive' or 'exclusive'.")
    if tax_rounding not in TAX_ROUNDINGS:
        raise PricingError(f"'{tax_rounding}' is not a tax rounding; use 'line' or 'receipt'.")
    if rounding not in ROUNDING_MODES:
        raise PricingError(f"'{rounding}' is not a rounding mode; use 'half_up' or 'half_even'.")

    bases_discounts = [_line_before_subtotal(n, ln, rounding) for n, ln in enumerate(lines, 1)]
    after_line = [base - disc for base, disc in bases_discounts]
    subtotal = sum(after_line)

    sub_amount = _check_int(subtotal_discount_amount, "subtotal discount")
    sub_pct = _percent_hundredths(subtotal_discount_percent, "subtotal discount")
    if sub_amount < 0:
        raise PricingError("The subtotal discount cannot be negative.")
    if sub_pct and sub_amount:
        raise PricingError("The sale has both a percentage and an amount discount; keep only one.")
    if sub_amount > subtotal:
        raise PricingError("The subtotal discount is larger than the sale.")
    sub_discount = round_div(subtotal * sub_pct, 10000, rounding) if sub_pct else sub_amount
    shares = allocate(sub_discount, after_line)

    # The listed-basis amount of each line after every discount: gross when inclusive, net when not.
    listed = [amount - share for amount, share in zip(after_line, shares, strict=True)]
    rates = [ln.tax_rate_bp for ln in lines]
    taxes = _taxes(listed, rates, [ln.tax_code for ln in lines], tax_mode, tax_rounding, rounding)

    priced = []
    for ln, (base, disc), share, amount, tax in zip(lines, bases_discounts, shares, listed, taxes, strict=True):
        net, gross = (amount - tax, amount) if tax_mode == "inclusive" else (amount, amount + tax)
        promo = ln.promotion_discount
        priced.append(PricedLine(base=base, discount=disc, subtotal_share=share, net=net, tax=tax, gross=gross,
                                 promotion_id=ln.promotion_id if promo else None, promotion_discount=promo))
    return PricedCart(
        lines=tuple(priced),
        line_discount=sum(p.discount for p in priced),
        subtotal_discount=sub_discount,
        net=sum(p.net for p in priced),
        tax=sum(p.tax for p in priced),
        gross=sum(p.gross for p in priced),
        taxes=_tax_summary(lines, priced),
    )


def _tax_denominator(rate: int, tax_mode: str) -> int:
    """amount * rate / denominator is the exact tax of `amount` in the listed basis."""
    return 10000 + rate if tax_mode == "inclusive" else 10000


def _taxes(
    listed: list[int], rates: list[int], codes: list[str], tax_mode: str, tax_rounding: str, rounding: str
) -> list[int]:
    """Each line's tax, rounded per line or per (tax code, rate) group."""
    if tax_rounding == "line":
        return [
            round_div(amount * rate, _tax_denominator(rate, tax_mode), rounding) if rate else 0
            for amount, rate in zip(listed, rates, strict=True)
        ]
    groups: dict[tuple[str, int], list[int]] = {}
    for i, key in enumerate(zip(codes, rates, strict=True)):
        groups.setdefault(key, []).append(i)
    taxes = [0] * len(listed)
    for (_, rate), members in groups.items():
        amounts = [listed[i] for i in members]
        total = round_div(sum(amounts) * rate, _tax_denominator(rate, tax_mode), rounding)
        for i, tax in zip(members, allocate(total, amounts), strict=True):
            taxes[i] = tax
    return taxes


def _tax_summary(lines: Sequence[PriceLine], priced: list[PricedLine]) -> tuple[TaxTotal, ...]:
    """Per (tax code, rate) sums, sorted by code: what the receipt and the reports print."""
    sums: dict[tuple[str, int], list[int]] = {}
    for line, p in zip(lines, priced, strict=True):
        acc = sums.setdefault((line.tax_code, line.tax_rate_bp), [0, 0, 0])
        acc[0] += p.net
        acc[1] += p.tax
        acc[2] += p.gross
    return tuple(
        TaxTotal(tax_code=code, tax_rate_bp=rate, net=net, tax=tax, gross=gross)
        for (code, rate), (net, tax, gross) in sorted(sums.items())
    )
