"""Audit log format v1 canonical bytes: what any verifier in any language must reproduce."""

from __future__ import annotations

import hashlib
import json

import pytest

from app.audit.format_v1 import GENESIS_PREV, CanonicalError, canonical_bytes, entry_hash, make_entry


def _entry(**data):
    return {"v": 1, "till": "S001-T01", "seq": 1, "ts": "2026-03-02T09:00:00.000000Z", "type": "sale.completed",
            "actor": "anna", "data": data, "prev": GENESIS_PREV}


def test_keys_are_sorted_at_every_level():
    body = canonical_bytes(_entry(z={"b": 1, "a": {"y": "1", "x": "2"}}, a=[{"k2": "v", "k1": "v"}]))
    assert body.startswith(b'{"actor":"anna","data":{"a":[{"k1":"v","k2":"v"}],"z":{"a":{"x":"2","y":"1"},"b":1}}')
    keys = list(json.loads(body))
    assert keys == sorted(keys)


def test_no_insignificant_whitespace():
    body = canonical_bytes(_entry(text="a b", items=[1, 2, {"k": "v"}]))
    outside_strings = b"".join(body.split(b'"')[0::2])
    assert b" " not in outside_strings and b"\n" not in outside_strings
    assert b'"text":"a b"' in body
    assert b'"items":[1,2,{"k":"v"}]' in body


def test_non_ascii_is_utf8_not_escaped():
    body = canonical_bytes(_entry(name="Comté cheese", shop="Café Lumière", sym="€", cjk="東京"))
    assert "Comté cheese".encode() in body
    assert "€".encode() in body and "東京".encode() in body
    assert b"\\u" not in body
    assert body.decode("utf-8")  # valid UTF-8


def test_control_characters_and_quotes_are_json_escaped():
    body = canonical_bytes(_entry(text='say "hi"\n\t\x01'))
    assert b'"text":"say \\"hi\\"\\n\\t\\u0001"' in body
    assert json.loads(body)["data"]["text"] == 'say "hi"\n\t\x01'


@pytest.mark.parametrize("bad", [1.5, 0.0, float("nan"), float("inf"), [1, 2.5], {"deep": {"deeper": [{"x": 1e3}]}}])
def test_floats_are_refused_anywhere(bad):
    with pytest.raises(CanonicalError, match="float"):
        canonical_bytes(_entry(amount=bad))


def test_non_string_keys_are_refused():
    with pytest.raises(CanonicalError):
        canonical_bytes(_entry(nested={1: "x"}))


def test_hash_key_is_left_out_of_the_canonical_bytes():
    entry = _entry(x="1")
    assert canonical_bytes({**entry, "hash": "f" * 64}) == canonical_bytes(entry)


def test_entry_hash_is_lowercase_hex_sha256_of_the_bytes():
    body = canonical_bytes(_entry(x="1"))
    digest = entry_hash(body)
    assert digest == hashlib.sha256(body).hexdigest()
    assert len(digest) == 64 and digest == digest.lower()


def test_make_entry_matches_the_format_by_hand():
    entry, body, digest = make_entry(till="S001-T01", seq=1, ts="2026-03-02T09:00:00.000000Z", type_="user.login",
                                     actor="anna", data={"user_id": "anna"}, prev=GENESIS_PREV)
    by_hand = (
        '{"actor":"anna","data":{"user_id":"anna"},"prev":"' + "0" * 64 + '","seq":1,"till":"S001-T01",'
        '"ts":"2026-03-02T09:00:00.000000Z","type":"user.login","v":1}'
    ).encode()
    assert body == by_hand
    assert digest == hashlib.sha256(by_hand).hexdigest()
    assert entry["hash"] == digest
    assert set(entry) == {"v", "till", "seq", "ts", "type", "actor", "data", "prev", "hash"}


def test_null_actor_and_nested_lists_serialise_canonically():
    _entry_, body, _ = make_entry(till="S001-T01", seq=2, ts="2026-03-02T09:00:00.000001Z",
                                  type_="user.login_failed", actor=None, data={"l": [], "o": {}}, prev="a" * 64)
    assert body.startswith(b'{"actor":null,"data":{"l":[],"o":{}},"prev":"' + b"a" * 64 + b'","seq":2,')


def test_same_content_in_any_key_order_gives_the_same_bytes():
    a = _entry(b="2", a="1", c={"y": "1", "x": "2"})
    b = dict(reversed(list(_entry(c={"x": "2", "y": "1"}, a="1", b="2").items())))
    assert canonical_bytes(a) == canonical_bytes(b)


def test_floats_hidden_in_container_or_number_subclasses_are_refused():
    from collections import OrderedDict

    class Amount(float):
        pass

    for sneaky in (OrderedDict(a=1.5), [OrderedDict(a=[0.5])], Amount(2.0), {"x": Amount(1.0)}):
        with pytest.raises(CanonicalError, match="float"):
            canonical_bytes(_entry(amount=sneaky))
