"""The importer's fast entry reader gives exactly the verdicts and reasons of the reference reader."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.audit.format_v1 import make_entry
from app.audit.format_v1 import read_entry as _parse
from app.audit.format_v1 import read_entry_fast as _parse_fast

TILL = "S001-T01"


def _entry(data: dict, seq: int = 3) -> bytes:
    return make_entry(till=TILL, seq=seq, ts="2026-03-02T08:00:00.000000Z", type_="sale.completed", actor="anna",
                      data=data, prev="0" * 64)[1]


def _raw(text: str) -> bytes:
    return text.encode("utf-8")


GOOD = _entry({"business_date": "2026-03-02", "sale_id": "x", "lines": [{"qty": "1.000"}], "n": 7, "ok": True})
CASES = [
    GOOD,
    _entry({"note": "café – 5:1.5e3", "big": 2**70}),
    GOOD.replace(b'"n":7', b'"n":7.0'),
    GOOD.replace(b'"n":7', b'"n":7e2'),
    GOOD.replace(b'"n":7', b'"n": \n\t7.25'),
    GOOD.replace(b'"n":7', b'"n":[1,-0.0]'),
    GOOD.replace(b'"n":7', b'"n":[ 1E5]'),
    GOOD.replace(b'"n":7', b'"n":-12E-1'),
    GOOD.replace(b'"n":7', b'"n":NaN'),
    GOOD.replace(b'"n":7', b'"n":-Infinity'),
    GOOD.replace(b'"n":7', b'"n":123456789012345678901234567890'),
    GOOD.replace(b'"sale_id":"x"', b'"sale_id":"\\ud800"'),
    GOOD.replace(b'"sale_id":"x"', b'"sale_id":"\\u0000"'),
    GOOD.replace(b'"sale_id":"x"', b'"sale_id":"\xff"'),
    GOOD.replace(b'"v":1', b'"v":1.0'),
    GOOD.replace(b'"v":1', b'"v":true'),
    GOOD.replace(b'"v":1', b'"v":"1"'),
    GOOD.replace(b'"seq":3', b'"seq":4'),
    GOOD.replace(b'"v":1', b'"v":1,"v":2'),
    GOOD.replace(b'"till":"S001-T01"', b'"till":"S001-T02"'),
    GOOD.replace(b'"type":"sale.completed"', b'"type":5'),
    GOOD.replace(b',"v":1}', b"}"),
    GOOD.replace(b',"v":1}', b',"v":1,"x":0}'),
    GOOD + b" ",
    b"\xef\xbb\xbf" + GOOD,
    GOOD.decode().encode("utf-16"),
    b"[1, 2]",
    b"1.5",
    b" \n-2e1",
    b"{",
    b"",
    _raw('{"v": 1}'),
]


@pytest.mark.parametrize("body", CASES)
def test_fast_reader_agrees_with_reference(body: bytes) -> None:
    digest = hashlib.sha256(body).hexdigest()
    assert _parse_fast(3, digest, body, TILL) == _parse(3, digest, body, TILL)


def test_fast_reader_checks_the_hash_first() -> None:
    assert _parse_fast(3, "0" * 64, GOOD, TILL) == (None, "hash does not match body")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(value=_JSON, spaced=st.booleans())
def test_fast_reader_agrees_on_any_json_value(value: object, spaced: bool) -> None:
    """Floats anywhere, with or without whitespace, always reach the reference reader's verdict."""
    text = json.dumps(value, separators=(", ", ": ") if spaced else (",", ":"), ensure_ascii=False)
    body = GOOD.replace(b'"n":7', b'"n":' + text.encode("utf-8"))
    digest = hashlib.sha256(body).hexdigest()
    assert _parse_fast(3, digest, body, TILL) == _parse(3, digest, body, TILL)
