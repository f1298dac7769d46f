"""Bodies a till role can push for its own seqs (the hash is its own to compute): none crashes
`hq import`, each is quarantined with a reason, and another till's entries import in the same run."""

from __future__ import annotations

import json

import psycopg
import pytest

from app.audit.format_v1 import entry_hash
from app.hq.verify import verify_all
from db.central.schema import connect, upgrade
from tests.central.conftest import unique_store
from tests.central.test_hq_import import enrol_chain, push, run_import

pytestmark = pytest.mark.pg


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    return pg_url


def _envelope(till: str, seq: int, prev: str, **over: object) -> dict:
    entry = {"v": 1, "till": till, "seq": seq, "ts": "2026-03-02T09:00:00.000000Z", "type": "user.login",
             "actor": "anna", "data": {"user_id": "anna"}, "prev": prev}
    entry.update(over)
    return entry


def _text(entry: dict) -> str:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"))


def _hostile(till: str, prev: str) -> dict[str, bytes]:
    plain = _text(_envelope(till, 2, prev))
    return {
        "deep nesting": plain.replace('"data":{', '"data":{"x":' + "[" * 200_000 + "]" * 200_000 + ",", 1).encode(),
        "NaN": plain.replace('"data":{', '"data":{"x":NaN,', 1).encode(),
        "Infinity": plain.replace('"data":{', '"data":{"x":-Infinity,', 1).encode(),
        "duplicate keys": plain.replace('"seq":2', '"seq":2,"seq":2', 1).encode(),
        "invalid UTF-8": plain.replace('"anna"', '"\x00"', 1).encode().replace(b"\x00", b"\xff\xfe"),
        "seq disagrees": _text(_envelope(till, 7, prev)).encode(),
    }


REASONS = {"deep nesting": "body nests too deeply", "NaN": "NaN in entry: not a JSON number",
           "Infinity": "-Infinity in entry: not a JSON number", "invalid UTF-8": "body is not JSON",
           "seq disagrees": "entry names another version, till or sequence number"}


@pytest.mark.parametrize("kind", sorted(REASONS))
def test_hostile_body_is_quarantined_and_the_other_till_imports(url, kind) -> None:
    store = unique_store()
    bad, bad_settings = enrol_chain(url, store, "T01")
    good, good_settings = enrol_chain(url, store, "T02")
    bad.add("user.login", {"user_id": "anna"})
    body = _hostile(bad.till, bad.head)[kind]
    push(bad_settings, [*bad.rows, (2, entry_hash(body), body)])
    good.day("2026-03-02", 2)
    push(good_settings, good.rows)
    results = run_import(url)
    assert results[good.till].accepted == len(good.rows)
    assert results[bad.till].accepted == 1 and results[bad.till].quarantined == 1
    with psycopg.connect(url) as conn:
        reasons = [r for (r,) in conn.execute("SELECT reason FROM quarantine WHERE till = %s", (bad.till,))]
    assert reasons == [REASONS[kind]]


def test_duplicate_keys_are_not_canonical_and_hq_verify_says_so(url) -> None:
    """The import does not look for duplicate keys (it would mean re-serialising every entry); the
    hash pins the bytes, and `hq verify`'s canonical-form check names the entry."""
    store = unique_store()
    bad, bad_settings = enrol_chain(url, store, "T01")
    good, good_settings = enrol_chain(url, store, "T02")
    bad.add("user.login", {"user_id": "anna"})
    body = _hostile(bad.till, bad.head)["duplicate keys"]
    push(bad_settings, [*bad.rows, (2, entry_hash(body), body)])
    good.day("2026-03-02", 2)
    push(good_settings, good.rows)
    results = run_import(url)
    assert results[good.till].accepted == len(good.rows)
    with connect(url) as conn:
        report = verify_all(conn)
    assert "stored entry 2 is not in canonical form" in report["tills"][bad.till]["issues"]
    assert report["tills"][good.till]["ok"]


def test_a_body_over_the_bound_is_refused_at_push_and_at_import(url) -> None:
    store = unique_store()
    bad, bad_settings = enrol_chain(url, store, "T01")
    good, good_settings = enrol_chain(url, store, "T02")
    big = _text(_envelope(bad.till, 1, "0" * 64, data={"x": "a" * 50_000_000})).encode()
    result = push(bad_settings, [(1, entry_hash(big), big)])
    assert result.inserted == 0 and result.quarantined == 1
    with psycopg.connect(url) as conn:  # as if pushed before the bound: the import holds it too
        conn.execute("INSERT INTO raw_entries (till, seq, hash, body, batch_id) "
                     "VALUES (%s, 1, %s, %s, gen_random_uuid())", (bad.till, entry_hash(big), big))
        reasons = [r for (r,) in conn.execute("SELECT reason FROM quarantine WHERE till = %s", (bad.till,))]
    assert reasons == ["body too large"]
    good.day("2026-03-02", 2)
    push(good_settings, good.rows)
    results = run_import(url)
    assert results[good.till].accepted == len(good.rows)
    assert results[bad.till].accepted == 0 and results[bad.till].quarantined == 1
