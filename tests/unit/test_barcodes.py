"""Barcode check digits, normalisation and in-store codes with an embedded price or weight."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.barcodes import (
    DEFAULT_RULES,
    BarcodeError,
    EmbeddedRule,
    embedded_code,
    gtin_check_digit,
    is_valid_gtin,
    normalise,
    parse_scan,
    with_check_digit,
)


@pytest.mark.parametrize(
    ("body", "digit"),
    [("400638133393", 1), ("9638507", 4), ("03600029145", 2), ("200000000000", 8), ("000000000000", 0)],
)
def test_check_digit_of_known_codes(body: str, digit: int) -> None:
    assert gtin_check_digit(body) == digit


@pytest.mark.parametrize("body", ["", "12a4", "١٢٣"])
def test_check_digit_refuses_anything_but_ascii_digits(body: str) -> None:
    with pytest.raises(ValueError):
        gtin_check_digit(body)


@pytest.mark.parametrize("code", ["4006381333931", "96385074", "036000291452"])
def test_valid_gtins(code: str) -> None:
    assert is_valid_gtin(code)


@pytest.mark.parametrize(
    "code", ["4006381333932", "96385075", "036000291453", "1234567", "40063813339310", ""]
)
def test_invalid_gtins(code: str) -> None:
    assert not is_valid_gtin(code)


def test_upc_a_normalises_to_its_ean_13() -> None:
    assert normalise("036000291452") == "0036000291452"
    assert normalise("4006381333931") == "4006381333931"
    assert normalise("96385074") == "96385074"


def test_a_retail_gtin_scans_as_itself() -> None:
    assert parse_scan("4006381333931") == parse_scan(" 4006381333931\r\n")
    scan = parse_scan("036000291452")
    assert (scan.lookup_code, scan.kind) == ("0036000291452", "gtin")
    assert scan.price_minor is None and scan.qty_milli is None


def test_embedded_price_gives_minor_units_and_the_zeroed_lookup_code() -> None:
    code = with_check_digit("211234501299")  # item 12345, price 12.99
    scan = parse_scan(code)
    assert scan.kind == "embedded_price"
    assert scan.price_minor == 1299 and scan.qty_milli is None
    assert scan.lookup_code == with_check_digit("211234500000")
    assert is_valid_gtin(scan.lookup_code)


def test_embedded_weight_gives_thousandths_of_a_kg() -> None:
    scan = parse_scan(with_check_digit("230012301250"))  # 1.250 kg
    assert (scan.kind, scan.qty_milli, scan.price_minor) == ("embedded_weight", 1250, None)
    assert scan.lookup_code == embedded_code("23", "00123", 0)


def test_prefix_20_is_a_plain_internal_code() -> None:
    code = with_check_digit("200000012345")
    assert parse_scan(code) == parse_scan(code)  # stable
    scan = parse_scan(code)
    assert (scan.kind, scan.lookup_code, scan.price_minor, scan.qty_milli) == ("internal", code, None, None)


def test_rules_are_configurable() -> None:
    rules = (EmbeddedRule("28", "price", 2), EmbeddedRule("29", "weight", 2))
    assert parse_scan(with_check_digit("280000100450"), rules).price_minor == 450
    assert parse_scan(with_check_digit("290000100450"), rules).qty_milli == 4500
    assert parse_scan(with_check_digit("230000100450"), rules).kind == "internal"


def test_embedded_price_follows_the_currency_exponent() -> None:
    code = with_check_digit("210000112300")  # 123.00 with 2 decimals
    assert parse_scan(code, exponent=0).price_minor == 123
    assert parse_scan(code, exponent=3).price_minor == 123000
    with pytest.raises(BarcodeError, match="more decimals than the currency"):
        parse_scan(with_check_digit("210000112345"), exponent=0)


def test_wrong_check_digit_says_what_to_do() -> None:
    with pytest.raises(BarcodeError) as err:
        parse_scan("4006381333932")
    assert str(err.value) == (
        "The barcode 4006381333932 has a wrong check digit: scan it again or type the code."
    )


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("12345", "has 5 digits"),
        ("40063813339310", "has 14 digits"),
        ("40063813339A1", "digits only"),
        ("４００６３８１３３３９３１", "digits only"),  # full-width digits
        ("٤٠٠٦٣٨١٣٣٣٩٣١", "digits only"),  # Arabic-Indic digits pass str.isdigit()
        ("4006381\x1b333931", "control character"),
        ("\x00" + "4006381333931", "control character"),
        ("4006381333931\x85", "control character"),
        ("\x1d4006381333931", "control character"),  # GS1 group separator is not stripped
        ("   ", "No barcode"),
    ],
)
def test_unreadable_codes_give_a_cashier_sentence(code: str, words: str) -> None:
    with pytest.raises(BarcodeError, match=words) as err:
        parse_scan(code)
    message = str(err.value)
    assert message.endswith("scan it again or type the code.")
    assert all(ch.isprintable() for ch in message)


def test_barcode_error_is_a_value_error() -> None:
    assert issubclass(BarcodeError, ValueError)


@pytest.mark.parametrize(
    "args",
    [("31", "price", 2), ("2", "price", 2), ("2a", "weight", 3), ("23", "volume", 3), ("23", "weight", 4),
     ("21", "price", -1)],
)
def test_bad_rules_are_refused(args: tuple) -> None:
    with pytest.raises(ValueError):
        EmbeddedRule(*args)


def test_default_rules_cover_21_to_29_and_leave_20_alone() -> None:
    kinds = {r.prefix: r.kind for r in DEFAULT_RULES}
    assert kinds == {"21": "price", "22": "price", **{str(p): "weight" for p in range(23, 30)}}


@given(st.text(alphabet="0123456789", min_size=7, max_size=12).filter(lambda s: len(s) in (7, 11, 12)))
def test_any_body_with_its_check_digit_is_valid_and_one_changed_digit_is_not(body: str) -> None:
    code = with_check_digit(body)
    assert is_valid_gtin(code)
    changed = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert not is_valid_gtin(changed)


@given(
    st.sampled_from([r.prefix for r in DEFAULT_RULES]),
    st.text(alphabet="0123456789", min_size=5, max_size=5),
    st.integers(0, 99999),
)
def test_embedded_codes_round_trip(prefix: str, item: str, value: int) -> None:
    scan = parse_scan(embedded_code(prefix, item, value))
    assert scan.lookup_code == embedded_code(prefix, item, 0)
    assert (scan.price_minor if scan.kind == "embedded_price" else scan.qty_milli) == value


@given(st.text(max_size=20))
def test_parse_scan_only_ever_raises_barcode_error(text: str) -> None:
    try:
        scan = parse_scan(text)
    except BarcodeError as exc:
        assert str(exc).endswith("scan it again or type the code.")
    else:
        assert is_valid_gtin(scan.lookup_code)
