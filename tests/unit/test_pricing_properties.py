"""Properties every priced cart and every refund sequence must keep, for any input."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.pricing import PricedCart, PriceLine, allocate, cash_round, price_cart, round_div
from app.domain.refunds_math import refund_amounts, sum_lines

FAST = settings(max_examples=150, deadline=None)

MODES = st.sampled_from(["inclusive", "exclusive"])
TAX_ROUNDINGS = st.sampled_from(["line", "receipt"])
ROUNDINGS = st.sampled_from(["half_up", "half_even"])
RATES = st.one_of(st.sampled_from([0, 500, 700, 1900, 2000, 2500]), st.integers(0, 10000))
PERCENTS = st.integers(0, 10000).map(lambda h: Decimal(h) / 100)


@st.composite
def price_lines(draw: st.DrawFn) -> PriceLine:
    qty = draw(st.integers(1, 50_000))
    price = draw(st.integers(0, 200_000))
    rate = draw(RATES)
    code = draw(st.sampled_from(["A", "B", "C"]))
    kind = draw(st.sampled_from(["none", "percent", "amount"]))
    base = qty * price // 1000  # at most the rounded base in either rounding mode
    if kind == "percent":
        return PriceLine(qty, price, rate, code, discount_percent=draw(PERCENTS))
    if kind == "amount":
        return PriceLine(qty, price, rate, code, discount_amount=draw(st.integers(0, base)))
    return PriceLine(qty, price, rate, code)


@st.composite
def carts(draw: st.DrawFn) -> tuple[list[PriceLine], dict]:
    lines = draw(st.lists(price_lines(), min_size=1, max_size=8))
    options = {"tax_mode": draw(MODES), "tax_rounding": draw(TAX_ROUNDINGS), "rounding": draw(ROUNDINGS)}
    undiscounted = price_cart(lines, **options)
    subtotal = sum(p.base - p.discount for p in undiscounted.lines)
    kind = draw(st.sampled_from(["none", "percent", "amount"]))
    if kind == "percent":
        options["subtotal_discount_percent"] = draw(PERCENTS)
    elif kind == "amount":
        options["subtotal_discount_amount"] = draw(st.integers(0, subtotal))
    return lines, options


def _listed(line: object, mode: str) -> int:
    return line.gross if mode == "inclusive" else line.net  # type: ignore[attr-defined]


def _exact_tax(amount: int, rate: int, mode: str) -> Fraction:
    return Fraction(amount * rate, 10000 + rate if mode == "inclusive" else 10000)


def _check_sums(cart: PricedCart) -> None:
    assert cart.net == sum(p.net for p in cart.lines)
    assert cart.tax == sum(p.tax for p in cart.lines)
    assert cart.gross == sum(p.gross for p in cart.lines)
    assert cart.line_discount == sum(p.discount for p in cart.lines)
    assert cart.subtotal_discount == sum(p.subtotal_share for p in cart.lines)
    assert cart.net + cart.tax == cart.gross
    for p in cart.lines:
        assert p.net + p.tax == p.gross
        assert min(p.net, p.tax, p.gross, p.discount, p.subtotal_share) >= 0
    assert sum(t.tax for t in cart.taxes) == cart.tax
    assert sum(t.net for t in cart.taxes) == cart.net
    assert sum(t.gross for t in cart.taxes) == cart.gross
    assert [t.tax_code for t in cart.taxes] == sorted(t.tax_code for t in cart.taxes)


@FAST
@given(carts())
def test_lines_add_up_to_the_cart(cart_input: tuple[list[PriceLine], dict]) -> None:
    lines, options = cart_input
    cart = price_cart(lines, **options)
    _check_sums(cart)
    mode = options["tax_mode"]
    for p in cart.lines:
        assert p.base - p.discount - p.subtotal_share == _listed(p, mode)


@FAST
@given(carts())
def test_tax_is_within_half_a_cent_of_exact(cart_input: tuple[list[PriceLine], dict]) -> None:
    lines, options = cart_input
    cart = price_cart(lines, **options)
    mode = options["tax_mode"]
    if options["tax_rounding"] == "line":
        for src, p in zip(lines, cart.lines, strict=True):
            assert abs(p.tax - _exact_tax(_listed(p, mode), src.tax_rate_bp, mode)) <= Fraction(1, 2)
    else:
        for total in cart.taxes:
            exact = _exact_tax(_listed(total, mode), total.tax_rate_bp, mode)
            assert abs(total.tax - exact) <= Fraction(1, 2)


@FAST
@given(st.lists(price_lines(), min_size=1, max_size=8), MODES, ROUNDINGS)
def test_both_tax_roundings_agree_on_the_listed_amounts(
    lines: list[PriceLine], mode: str, rounding: str
) -> None:
    by_line = price_cart(lines, tax_mode=mode, rounding=rounding)
    by_receipt = price_cart(lines, tax_mode=mode, rounding=rounding, tax_rounding="receipt")
    assert [_listed(p, mode) for p in by_line.lines] == [_listed(p, mode) for p in by_receipt.lines]


@FAST
@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**6), min_size=1, max_size=10))
def test_allocation_sums_exactly_and_stays_near_proportional(total: int, weights: list[int]) -> None:
    if sum(weights) == 0:
        weights[0] = 1
    parts = allocate(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, w in zip(parts, weights, strict=True):
        assert abs(part - Fraction(total * w, whole)) < 1


@FAST
@given(st.integers(-(10**18), 10**18), st.integers(1, 10**6), ROUNDINGS)
def test_round_div_matches_decimal_quantize(numerator: int, denominator: int, rounding: str) -> None:
    mode = ROUND_HALF_UP if rounding == "half_up" else ROUND_HALF_EVEN
    with localcontext() as ctx:
        ctx.prec = 80
        expected = int((Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), rounding=mode))
    assert round_div(numerator, denominator, rounding) == expected


@FAST
@given(st.integers(-(10**9), 10**9), st.sampled_from([0, 1, 5, 10, 50, 100]), ROUNDINGS)
def test_cash_round_lands_on_the_nearest_increment(amount: int, increment: int, rounding: str) -> None:
    rounded = cash_round(amount, increment, rounding)
    if increment <= 1:
        assert rounded == amount
    else:
        assert rounded % increment == 0
        assert 2 * abs(rounded - amount) <= increment


@st.composite
def refund_plans(draw: st.DrawFn) -> tuple[list[PriceLine], dict, int, list[int]]:
    lines, options = draw(carts())
    index = draw(st.integers(0, len(lines) - 1))
    sold_qty = lines[index].qty_milli
    cuts = sorted(set(draw(st.lists(st.integers(1, sold_qty - 1), max_size=6)))) if sold_qty > 1 else []
    bounds = [0, *cuts, sold_qty]
    return lines, options, index, [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


@FAST
@given(refund_plans(), st.booleans())
def test_partial_refunds_never_exceed_and_all_returns_exactly(
    plan: tuple[list[PriceLine], dict, int, list[int]], pass_before: bool
) -> None:
    lines, options, index, pieces = plan
    sold = price_cart(lines, **options).lines[index]
    sold_qty = lines[index].qty_milli
    done_qty, refunds = 0, []
    names = ("base", "discount", "subtotal_share", "net", "tax", "gross")
    for qty in pieces:
        before = sum_lines(refunds) if pass_before else None
        piece = refund_amounts(sold, sold_qty, done_qty, before, qty, rounding=options["rounding"])
        assert piece.net + piece.tax == piece.gross
        assert piece.base - piece.discount - piece.subtotal_share == _listed(piece, options["tax_mode"])
        assert all(getattr(piece, n) >= 0 for n in names)
        refunds.append(piece)
        done_qty += qty
        total = sum_lines(refunds)
        assert all(getattr(total, n) <= getattr(sold, n) for n in names)
    assert sum_lines(refunds) == sold
