"""The amounts of a partial refund, so that refunds never return more than was sold.

A refund of part of a sold line returns the *cumulative* proportional amount for all units
refunded so far, minus what earlier refunds already returned. Because the cumulative
figure depends only on the cumulative quantity, any sequence of partial refunds telescopes
to the same total, and refunding the last unit returns exactly the line's remaining cents.

The independent parts of a line (net, tax, line discount, subtotal share) are each
prorated and rounded on their own; gross and base are derived from them, so every refund
piece keeps net + tax == gross and base - discount - share == its listed-basis amount.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.pricing import HALF_UP, PricedLine, PricingError, round_div

_PARTS = ("net", "tax", "discount", "subtotal_share")


def _inclusive(line: PricedLine) -> bool:
    """Whether the sold line was priced tax-inclusive (its listed basis is gross)."""
    listed = line.base - line.discount - line.subtotal_share
    if listed == line.gross:
        return True
    if listed == line.net:
        return False
    raise PricingError("The sold line's amounts do not add up, so it cannot be refunded automatically.")


def _check_line(line: PricedLine, what: str) -> None:
    values = [line.base, line.discount, line.subtotal_share, line.net, line.tax, line.gross]
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in values):
        raise PricingError(f"The {what} has an amount that is not a whole, non-negative number.")
    if line.net + line.tax != line.gross:
        raise PricingError(f"The {what} does not add up: net plus tax is not the gross.")


def _build(parts: dict[str, int], inclusive: bool) -> PricedLine:
    gross = parts["net"] + parts["tax"]
    listed = gross if inclusive else parts["net"]
    return PricedLine(
        base=listed + parts["discount"] + parts["subtotal_share"],
        discount=parts["discount"],
        subtotal_share=parts["subtotal_share"],
        net=parts["net"],
        tax=parts["tax"],
        gross=gross,
    )


def prorate(line: PricedLine, qty_milli: int, sold_qty_milli: int, rounding: str = HALF_UP) -> PricedLine:
    """The cumulative amounts of `qty_milli` of `sold_qty_milli` units of a sold line.

    Monotonic in qty_milli, never above the line, and exactly the line at the full quantity.
    """
    inclusive = _inclusive(line)
    parts = {name: round_div(getattr(line, name) * qty_milli, sold_qty_milli, rounding) for name in _PARTS}
    return _build(parts, inclusive)


def refund_amounts(
    line: PricedLine,
    sold_qty_milli: int,
    refunded_before_qty_milli: int,
    refunded_before: PricedLine | None,
    qty_milli: int,
    *,
    rounding: str = HALF_UP,
) -> PricedLine:
    """The amounts to refund for qty_milli more units of a sold line. Proportional, and such that
    refunding everything (in any number of partial refunds) returns exactly the line's amounts,
    never a cent more. Raises PricingError when qty exceeds what is left.

    `refunded_before` is the sum of the earlier refunds of this line (see `sum_lines`); when
    None, it is taken to be what this function returned for them.
    """
    for value, what in ((sold_qty_milli, "sold quantity"), (refunded_before_qty_milli, "refunded quantity"),
                        (qty_milli, "quantity to refund")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise PricingError(f"The {what} must be a whole number of thousandths.")
    if sold_qty_milli <= 0:
        raise PricingError("This line was not sold with a positive quantity, so it cannot be refunded.")
    if qty_milli <= 0:
        raise PricingError("The quantity to refund must be more than zero.")
    if refunded_before_qty_milli < 0:
        raise PricingError("The quantity already refunded cannot be negative.")
    left = sold_qty_milli - refunded_before_qty_milli
    if left <= 0:
        raise PricingError("This line has already been refunded in full.")
    if qty_milli > left:
        raise PricingError("The quantity to refund is more than what is left to refund on this line.")
    _check_line(line, "sold line")
    inclusive = _inclusive(line)
    if refunded_before is None:
        refunded_before = prorate(line, refunded_before_qty_milli, sold_qty_milli, rounding)
    else:
        _check_line(refunded_before, "earlier refund")
    target = prorate(line, refunded_before_qty_milli + qty_milli, sold_qty_milli, rounding)
    parts = {}
    for name in _PARTS:
        sold, before = getattr(line, name), getattr(refunded_before, name)
        if before > sold:
            raise PricingError("Earlier refunds of this line already returned more than was sold.")
        # Clamp so that earlier refunds computed another way can never push the total past the line.
        parts[name] = min(max(getattr(target, name) - before, 0), sold - before)
    return _build(parts, inclusive)


def sum_lines(lines: Iterable[PricedLine]) -> PricedLine:
    """Field-by-field sum of priced lines, e.g. all earlier refunds of one sold line."""
    totals = dict.fromkeys(("base", "discount", "subtotal_share", "net", "tax", "gross"), 0)
    for line in lines:
        for name in totals:
            totals[name] += getattr(line, name)
    return PricedLine(**totals)
