"""Exact money and quantities: the parsing and formatting every amount goes through."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kernel.money import (
    AmountError,
    format_money,
    format_qty,
    parse_money,
    parse_qty,
    round_half_up,
)


@pytest.mark.parametrize(
    ("text", "exponent", "minor"),
    [
        ("12.50", 2, 1250),
        ("12.5", 2, 1250),
        ("0", 2, 0),
        ("0.01", 2, 1),
        ("-3.20", 2, -320),
        (" 7.00 ", 2, 700),
        ("12.500", 2, 1250),  # trailing zeros are not extra precision
        ("1500", 0, 1500),
        ("1.234", 3, 1234),
        (Decimal("9.99"), 2, 999),
        (42, 2, 4200),
    ],
)
def test_parse_money_gives_exact_minor_units(text, exponent, minor):
    assert parse_money(text, exponent) == minor


@pytest.mark.parametrize(("text", "exponent"), [("12.505", 2), ("0.001", 2), ("1.5", 0), ("0.0001", 3)])
def test_parse_money_refuses_more_decimals_than_the_currency_has(text, exponent):
    with pytest.raises(AmountError, match="more than"):
        parse_money(text, exponent)


@pytest.mark.parametrize("value", [1.5, 0.1, True, False])
def test_parse_money_refuses_floats_and_booleans(value):
    with pytest.raises(AmountError, match="exactly"):
        parse_money(value)


@pytest.mark.parametrize("text", ["", "abc", "1,50", "NaN", "Infinity", "-inf", "1e", "12.50€"])
def test_parse_money_refuses_text_that_is_not_an_amount(text):
    with pytest.raises(AmountError):
        parse_money(text)


def test_parse_money_refuses_absurd_amounts():
    with pytest.raises(AmountError, match="too large"):
        parse_money("1" + "0" * 20)
    with pytest.raises(AmountError, match="too large"):
        parse_money("1e300")


@pytest.mark.parametrize(
    ("minor", "exponent", "text"),
    [(1250, 2, "12.50"), (5, 2, "0.05"), (-5, 2, "-0.05"), (-1250, 2, "-12.50"), (0, 2, "0.00"),
     (1500, 0, "1500"), (1234, 3, "1.234"), (10**14, 2, "1000000000000.00")],
)
def test_format_money_has_fixed_scale(minor, exponent, text):
    assert format_money(minor, exponent) == text


@pytest.mark.parametrize("minor", [0, 1, -1, 99, 100, 101, 123456789, -987654321])
@pytest.mark.parametrize("exponent", [0, 2, 3])
def test_format_and_parse_money_round_trip(minor, exponent):
    assert parse_money(format_money(minor, exponent), exponent) == minor


@pytest.mark.parametrize(
    ("text", "milli"), [("1", 1000), ("2.5", 2500), ("0.001", 1), ("1.234", 1234), ("-2", -2000), ("3.000", 3000)]
)
def test_parse_qty_in_thousandths(text, milli):
    assert parse_qty(text) == milli


@pytest.mark.parametrize("text", ["1.0005", "0.0001"])
def test_parse_qty_refuses_more_than_three_decimals(text):
    with pytest.raises(AmountError, match="more than 3 decimals"):
        parse_qty(text)


@pytest.mark.parametrize("value", [1.5, "x", "", "nan", True])
def test_parse_qty_refuses_non_quantities(value):
    with pytest.raises(AmountError):
        parse_qty(value)


@pytest.mark.parametrize(("milli", "text"), [(2500, "2.500"), (1, "0.001"), (-1500, "-1.500"), (0, "0.000")])
def test_format_qty_has_three_decimals(milli, text):
    assert format_qty(milli) == text
    assert parse_qty(text) == milli


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("0.5", 1), ("1.5", 2), ("2.5", 3), ("-0.5", -1), ("-2.5", -3), ("2.4999", 2), ("-2.4999", -2)],
)
def test_round_half_up_goes_away_from_zero(value, rounded):
    assert round_half_up(Decimal(value)) == rounded
