"""Pricing, tax and refund figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.pricing import (
    MAX_LINE_AMOUNT,
    PricedLine,
    PriceLine,
    PricingError,
    TaxTotal,
    allocate,
    cash_round,
    price_cart,
    round_div,
)
from app.domain.refunds_math import refund_amounts, sum_lines


def line(qty: str, price: int, rate: int = 2000, code: str = "S", **kw: object) -> PriceLine:
    qty_milli = int(Decimal(qty) * 1000)
    return PriceLine(qty_milli=qty_milli, unit_price=price, tax_rate_bp=rate, tax_code=code, **kw)


def test_three_at_1_99_inclusive_20_percent() -> None:
    cart = price_cart([line("3", 199)])
    # 5.97 gross; tax = 5.97 * 20/120 = 0.995 -> 1.00 (half up); net 4.97
    assert cart.lines == (PricedLine(base=597, discount=0, subtotal_share=0, net=497, tax=100, gross=597),)
    assert (cart.net, cart.tax, cart.gross, cart.base) == (497, 100, 597, 597)
    assert cart.taxes == (TaxTotal("S", 2000, 497, 100, 597),)


def test_weighed_item_1_234_kg_at_12_90() -> None:
    cart = price_cart([line("1.234", 1290, rate=700, code="R")])
    # 1.234 * 12.90 = 15.9186 -> 15.92; tax = 15.92 * 7/107 = 1.0415 -> 1.04
    assert cart.lines[0] == PricedLine(base=1592, discount=0, subtotal_share=0, net=1488, tax=104, gross=1592)


def test_seven_and_nineteen_percent_in_one_cart() -> None:
    cart = price_cart([line("1", 1190, rate=1900, code="STANDARD"), line("2", 500, rate=700, code="REDUCED")])
    # 11.90 at 19 %: tax 1.90 exactly; 10.00 at 7 %: tax 0.6542 -> 0.65
    assert [(p.net, p.tax, p.gross) for p in cart.lines] == [(1000, 190, 1190), (935, 65, 1000)]
    assert (cart.net, cart.tax, cart.gross) == (1935, 255, 2190)
    assert cart.taxes == (
        TaxTotal("REDUCED", 700, 935, 65, 1000),
        TaxTotal("STANDARD", 1900, 1000, 190, 1190),
    )


def test_ten_percent_subtotal_discount_spread_over_three_lines() -> None:
    lines = [line("1", 100), line("1", 200), line("1", 333)]
    cart = price_cart(lines, subtotal_discount_percent=Decimal("10"))
    # 10 % of 6.33 = 0.633 -> 0.63. Exact shares 0.0995, 0.1991, 0.3314: floors 9, 19, 33 leave 2
    # cents, which go to the two largest remainders (lines 1 and 2).
    assert cart.subtotal_discount == 63
    assert [p.subtotal_share for p in cart.lines] == [10, 20, 33]
    assert [(p.net, p.tax, p.gross) for p in cart.lines] == [(75, 15, 90), (150, 30, 180), (250, 50, 300)]
    assert cart.gross == 633 - 63


def test_subtotal_discount_ties_go_to_the_earlier_line() -> None:
    cart = price_cart([line("1", 100)] * 3, subtotal_discount_amount=2)
    assert [p.subtotal_share for p in cart.lines] == [1, 1, 0]


def test_subtotal_percent_is_taken_after_line_discounts() -> None:
    lines = [line("1", 1000, discount_amount=200), line("1", 1000)]
    cart = price_cart(lines, subtotal_discount_percent=Decimal("50"))
    assert cart.line_discount == 200
    assert cart.subtotal_discount == 900
    assert [p.subtotal_share for p in cart.lines] == [400, 500]
    assert cart.gross == 900


def test_line_percent_discount_is_rounded_once() -> None:
    cart = price_cart([line("1", 333, discount_percent=Decimal("12.5"))])
    # 12.5 % of 3.33 = 0.41625 -> 0.42
    assert cart.lines[0].discount == 42
    assert cart.lines[0].gross == 291


def test_exclusive_mode_adds_tax() -> None:
    cart = price_cart([line("2", 499)], tax_mode="exclusive")
    # net 9.98; tax 1.996 -> 2.00; gross 11.98
    assert cart.lines[0] == PricedLine(base=998, discount=0, subtotal_share=0, net=998, tax=200, gross=1198)


def test_receipt_rounding_differs_from_line_rounding_but_stays_consistent() -> None:
    lines = [line("1", 10)] * 3
    by_line = price_cart(lines)
    by_receipt = price_cart(lines, tax_rounding="receipt")
    # each 0.10 holds 0.0167 tax -> 0.02 per line (0.06); the receipt's 0.30 holds 0.05
    assert [p.tax for p in by_line.lines] == [2, 2, 2]
    assert [p.tax for p in by_receipt.lines] == [2, 2, 1]
    assert [p.net for p in by_receipt.lines] == [8, 8, 9]
    assert (by_line.tax, by_receipt.tax) == (6, 5)
    assert by_line.gross == by_receipt.gross == 30


def test_receipt_rounding_exclusive() -> None:
    lines = [line("1", 2, rate=1900)] * 3
    assert [p.tax for p in price_cart(lines, tax_mode="exclusive").lines] == [0, 0, 0]
    cart = price_cart(lines, tax_mode="exclusive", tax_rounding="receipt")
    # 0.06 * 19 % = 0.0114 -> 0.01, given to the first line
    assert [(p.net, p.tax, p.gross) for p in cart.lines] == [(2, 1, 3), (2, 0, 2), (2, 0, 2)]


def test_half_even_rounding_is_configurable() -> None:
    # 3.27 at 20 % holds exactly 0.545 tax
    assert price_cart([line("1", 327)]).lines[0].tax == 55
    assert price_cart([line("1", 327)], rounding="half_even").lines[0].tax == 54


def test_zero_price_line_and_empty_cart() -> None:
    assert price_cart([line("1", 0)]).lines[0] == PricedLine(0, 0, 0, 0, 0, 0)
    empty = price_cart([])
    assert (empty.lines, empty.net, empty.tax, empty.gross, empty.taxes) == ((), 0, 0, 0, ())


def test_cash_round_to_five_cents() -> None:
    assert cash_round(1002, 5) == 1000
    assert cash_round(1003, 5) == 1005
    assert cash_round(1000, 5) == 1000
    assert cash_round(-1003, 5) == -1005
    assert cash_round(1025, 50) == 1050
    assert cash_round(1025, 50, "half_even") == 1000
    assert cash_round(1003, 0) == cash_round(1003, 1) == 1003


def test_round_div_and_allocate() -> None:
    assert [round_div(n, 2) for n in (1, 3, -1, -3)] == [1, 2, -1, -2]
    assert [round_div(n, 2, "half_even") for n in (1, 3, 5, -1)] == [0, 2, 2, 0]
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert allocate(0, [0, 0]) == [0, 0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lines": [line("1", 100, discount_amount=101)]}, "discount on line 1 is larger than the line"),
        ({"lines": [line("1", 100, discount_amount=-1)]}, "cannot be negative"),
        ({"lines": [line("1", 100, discount_percent=Decimal("100.01"))]}, "more than 100"),
        ({"lines": [line("1", 100, discount_percent=Decimal("-1"))]}, "cannot be negative"),
        ({"lines": [line("1", 100, discount_percent=Decimal("1.005"))]}, "at most 2 decimals"),
        ({"lines": [line("1", 100, discount_percent=Decimal("NaN"))]}, "at most 2 decimals"),
        ({"lines": [line("1", 100, discount_percent=1.5)]}, "exact percentage"),
        ({"lines": [line("1", 100, discount_percent=Decimal(5), discount_amount=5)]}, "keep only one"),
        ({"lines": [line("0", 100)]}, "quantity on line 1 must be more than zero"),
        ({"lines": [line("1", 100), line("-1", 100)]}, "quantity on line 2"),
        ({"lines": [line("1", -1)]}, "price on line 1 cannot be negative"),
        ({"lines": [line("1", 100, rate=-1)]}, "tax rate on line 1 cannot be negative"),
        ({"lines": [PriceLine(1000, 1.5, 2000, "S")]}, "whole number"),  # type: ignore[arg-type]
        ({"lines": [line("1000", MAX_LINE_AMOUNT // 1000 + 1)]}, "too large"),
        ({"lines": [line("1", 100)], "subtotal_discount_amount": 101},
         "subtotal discount is larger than the sale"),
        ({"lines": [], "subtotal_discount_amount": 1}, "larger than the sale"),
        ({"lines": [line("1", 100)], "subtotal_discount_amount": -1}, "cannot be negative"),
        ({"lines": [line("1", 100)], "subtotal_discount_percent": Decimal(101)}, "more than 100"),
        ({"lines": [line("1", 100)], "subtotal_discount_percent": Decimal(1), "subtotal_discount_amount": 1},
         "keep only one"),
        ({"lines": [line("1", 100)], "tax_mode": "gross"}, "not a tax mode"),
        ({"lines": [line("1", 100)], "tax_rounding": "total"}, "not a tax rounding"),
        ({"lines": [line("1", 100)], "rounding": "down"}, "not a rounding mode"),
    ],
)
def test_bad_input_is_refused_with_a_sentence(kwargs: dict, message: str) -> None:
    lines = kwargs.pop("lines")
    with pytest.raises(PricingError, match=message):
        price_cart(lines, **kwargs)


def test_cash_round_refuses_a_negative_increment() -> None:
    with pytest.raises(PricingError, match="cannot be negative"):
        cash_round(100, -5)


def test_largest_line_is_accepted() -> None:
    assert price_cart([line("1", MAX_LINE_AMOUNT)]).gross == MAX_LINE_AMOUNT


def test_refund_one_unit_at_a_time_returns_exactly_the_line() -> None:
    sold = price_cart([line("3", 199)]).lines[0]  # net 497, tax 100, gross 597
    first = refund_amounts(sold, 3000, 0, None, 1000)
    # net 165.67 -> 166, tax 33.33 -> 33
    assert first == PricedLine(base=199, discount=0, subtotal_share=0, net=166, tax=33, gross=199)
    second = refund_amounts(sold, 3000, 1000, first, 1000)
    # cumulative net 331.33 -> 331, tax 66.67 -> 67
    assert (second.net, second.tax, second.gross) == (165, 34, 199)
    third = refund_amounts(sold, 3000, 2000, sum_lines([first, second]), 1000)
    assert (third.net, third.tax, third.gross) == (166, 33, 199)
    assert sum_lines([first, second, third]) == sold


def test_refund_keeps_the_discounts_of_the_sale() -> None:
    cart = price_cart([line("2", 1000, discount_amount=300), line("1", 700)], subtotal_discount_amount=100)
    sold = cart.lines[0]
    half = refund_amounts(sold, 2000, 0, None, 1000)
    assert half.base - half.discount - half.subtotal_share == half.gross
    assert half.discount == 150
    assert half.gross + refund_amounts(sold, 2000, 1000, half, 1000).gross == sold.gross


def test_refund_of_an_exclusive_line_keeps_its_basis() -> None:
    sold = price_cart([line("3", 333, discount_amount=10)], tax_mode="exclusive").lines[0]
    piece = refund_amounts(sold, 3000, 0, None, 1000)
    assert piece.base - piece.discount - piece.subtotal_share == piece.net
    assert piece.net + piece.tax == piece.gross


@pytest.mark.parametrize(
    ("before", "qty", "message"),
    [
        (0, 3001, "more than what is left"),
        (2000, 1001, "more than what is left"),
        (3000, 1, "already been refunded in full"),
        (0, 0, "more than zero"),
        (-1, 1, "cannot be negative"),
    ],
)
def test_refund_beyond_what_is_left_is_refused(before: int, qty: int, message: str) -> None:
    sold = price_cart([line("3", 199)]).lines[0]
    with pytest.raises(PricingError, match=message):
        refund_amounts(sold, 3000, before, None, qty)


def test_refund_never_exceeds_the_line_even_after_odd_earlier_refunds() -> None:
    sold = price_cart([line("3", 199)]).lines[0]
    generous = PricedLine(base=590, discount=0, subtotal_share=0, net=490, tax=100, gross=590)
    rest = refund_amounts(sold, 3000, 1000, generous, 1000)
    assert rest.tax == 0 and rest.net >= 0
    with pytest.raises(PricingError, match="already returned more than was sold"):
        refund_amounts(sold, 3000, 1000, PricedLine(598, 0, 0, 498, 100, 598), 1000)


def test_refund_refuses_a_line_that_does_not_add_up() -> None:
    with pytest.raises(PricingError, match="does not add up"):
        refund_amounts(PricedLine(100, 0, 0, 80, 10, 100), 1000, 0, None, 1000)
