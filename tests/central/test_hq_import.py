"""`hq import` and `hq verify` on chains built from real canonical entries and pushed under
real till roles: intact chains pass, re-sends land once, forks, rewrites, cut tails, bad
checkpoints, malformed rows and skewed clocks are flagged without blocking the rest."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.audit import checkpoint
from app.hq import enrol as enrolment
from app.hq.importer import import_all
from app.hq.verify import verify_all
from db.central import push_repo
from db.central.schema import connect, upgrade
from tests.central.chains import Chain
from tests.central.conftest import unique_store

pytestmark = pytest.mark.pg
WITNESS = Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    return pg_url


def enrol_chain(url: str, store: str, till_id: str) -> tuple[Chain, object]:
    key = Ed25519PrivateKey.generate()
    settings = enrolment.enrol(url, store=store, till_id=till_id, public_key=checkpoint.public_bytes(key))
    return Chain(settings.till, key=key), settings


def push(settings, rows, *, till_time: datetime | None = None, batch: uuid.UUID | None = None):
    with psycopg.connect(**settings.kwargs(), connect_timeout=5) as conn:
        return push_repo.push_batch(conn, till=settings.till, batch_id=batch or uuid.uuid4(), rows=rows,
                                    till_time=till_time or datetime.now(UTC))


def run_import(url: str, tills: list[str] | None = None):
    with connect(url) as conn:
        return {r.till: r for r in import_all(conn, WITNESS, tills=tills)}


def verify(url: str) -> dict:
    with connect(url) as conn:
        return verify_all(conn)


def test_two_stores_sync_import_and_verify_intact(url) -> None:
    s1, s2 = unique_store(), unique_store()
    tills = [enrol_chain(url, s1, "T01"), enrol_chain(url, s1, "T02"), enrol_chain(url, s2, "T01")]
    for chain, _ in tills:
        for day in ("2026-03-02", "2026-03-03", "2026-04-01"):
            chain.day(day, 5)
    for chain, settings in tills:
        half = len(chain.rows) // 2
        push(settings, chain.rows[:half])
        push(settings, chain.rows[half:])
        push(settings, chain.rows[:half])  # a re-send after a lost reply lands nothing
    names = [c.till for c, _ in tills]
    results = run_import(url, names)
    for chain, _ in tills:
        r = results[chain.till]
        assert r.accepted == len(chain.rows) and r.problems == [] and r.checkpoints == 3
    again = run_import(url, names)
    assert all(r.accepted == 0 and not r.problems for r in again.values())
    report = verify(url)
    for name in names:
        assert report["tills"][name]["ok"], report["tills"][name]
    with connect(url) as conn:
        n = conn.execute("SELECT count(*) FROM sales_docs WHERE till = ANY(%s)", (names,)).fetchone()[0]
        assert n == 3 * 3 * 5
        parts = conn.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'sales_docs'::regclass").fetchone()
        assert parts[0] >= 2  # March and April


def test_fork_at_synced_sequence_is_kept_and_flagged(url) -> None:
    chain, settings = enrol_chain(url, unique_store(), "T01")
    chain.day("2026-03-02", 3)
    push(settings, chain.rows)
    run_import(url, [chain.till])
    # the till's database is restored from an old backup and sells again from seq 4
    restored = Chain(chain.till, key=chain.key, rows=chain.rows[:3])
    restored.sale("2026-03-02", 99)
    push(settings, restored.rows)
    result = run_import(url, [chain.till])[chain.till]
    assert result.forks == 1
    with connect(url) as conn:
        kept = conn.execute("SELECT count(*) FROM raw_entries WHERE till = %s AND seq = 4", (chain.till,)).fetchone()
    assert kept[0] == 2
    report = verify(url)["tills"][chain.till]
    assert not report["ok"] and any("fork at 4" in i for i in report["issues"])


def test_history_rewritten_after_checkpoint_is_flagged(url) -> None:
    chain, settings = enrol_chain(url, unique_store(), "T01")
    chain.day("2026-03-02", 3)
    push(settings, chain.rows)
    run_import(url, [chain.till])
    accepted = len(chain.rows)
    # the till's log is altered and re-chained from entry 2, then it sells and checkpoints again
    forged = Chain(chain.till, key=chain.key, rows=chain.rows[:1])
    forged.sale("2026-03-02", 1, gross="0.01")
    while len(forged.rows) < accepted:
        forged.sale("2026-03-02", len(forged.rows))
    forged.sale("2026-03-02", 500)
    forged.checkpoint()
    push(settings, forged.rows)
    result = run_import(url, [chain.till])[chain.till]
    assert result.accepted == 0
    assert any(p.startswith("chain_break") for p in result.problems)
    report = verify(url)["tills"][chain.till]
    assert not report["ok"]


def test_checkpoint_over_altered_bodies_is_flagged(url) -> None:
    chain, settings = enrol_chain(url, unique_store(), "T01")
    chain.day("2026-03-02", 2)
    push(settings, chain.rows)
    run_import(url, [chain.till])
    # the till signs a root that does not match what it sent (its local bodies were changed)
    bad_root = "ab" * 32
    data = checkpoint.sign_checkpoint(chain.key, chain.till, len(chain.rows), bad_root, chain.head)
    chain.add("audit.checkpoint", data, None)
    push(settings, chain.rows[-1:])
    result = run_import(url, [chain.till])[chain.till]
    assert any("bad_checkpoint" in p and "rewritten" in p for p in result.problems)
    # and a checkpoint signed by another key
    other = Ed25519PrivateKey.generate()
    chain.add("audit.checkpoint", checkpoint.sign_checkpoint(other, chain.till, len(chain.rows),
                                                             "cd" * 32, chain.head), None)
    push(settings, chain.rows[-1:])
    result = run_import(url, [chain.till])[chain.till]
    assert any("enrolled key" in p for p in result.problems)
    assert not verify(url)["tills"][chain.till]["ok"]


def test_malformed_rows_are_quarantined_without_blocking(url) -> None:
    store = unique_store()
    bad, bad_settings = enrol_chain(url, store, "T01")
    good, good_settings = enrol_chain(url, store, "T02")
    bad.day("2026-03-02", 2)
    good.day("2026-03-02", 2)
    rows = list(bad.rows)
    seq, digest, body = rows[2]
    rows[2] = (seq, digest, body.replace(b"3.50", b"9.50"))  # corrupted in transit or on disk
    rows.append((0, "nothex", b""))
    result = push(bad_settings, rows)
    assert result.quarantined == 2 and result.inserted == len(bad.rows) - 1
    push(good_settings, good.rows)
    results = run_import(url, [bad.till, good.till])
    assert results[good.till].accepted == len(good.rows) and not results[good.till].problems
    assert results[bad.till].accepted == 2  # stops before the damaged entry, waits for it
    report = verify(url)
    assert report["tills"][good.till]["ok"]
    issues = report["tills"][bad.till]["issues"]
    assert any("hash does not match body" in i for i in issues)
    # the till re-sends the intact entry: the chain completes
    push(bad_settings, bad.rows[2:3])
    assert run_import(url, [bad.till])[bad.till].accepted == len(bad.rows) - 2


def test_business_data_that_does_not_fit_is_quarantined_but_chained(url) -> None:
    chain, settings = enrol_chain(url, unique_store(), "T01")
    chain.add("shift.opened", {"business_date": "2026-03-02", "shift_id": "x", "opening_float": 100})
    chain.add("sale.completed", {"business_date": "2026-03-02", "sale_id": "s"})
    chain.sale("2026-03-02", 7)
    push(settings, chain.rows)
    result = run_import(url, [chain.till])[chain.till]
    assert result.accepted == 3 and result.quarantined == 2


def test_clock_skew_is_flagged_not_rejected(url) -> None:
    chain, settings = enrol_chain(url, unique_store(), "T01")
    chain.day("2026-03-02", 1)
    push(settings, chain.rows, till_time=datetime.now(UTC) - timedelta(hours=3))
    result = run_import(url, [chain.till])[chain.till]
    assert result.accepted == len(chain.rows)
    issues = verify(url)["tills"][chain.till]["issues"]
    assert any(i.startswith("clock_skew") for i in issues)


def test_tampering_with_the_central_copy_is_caught_by_verify(url) -> None:
    chain, settings = enrol_chain(url, unique_store(), "T01")
    chain.day("2026-03-02", 2)
    push(settings, chain.rows)
    run_import(url, [chain.till])
    assert verify(url)["tills"][chain.till]["ok"]
    with connect(url) as conn:
        conn.execute("UPDATE raw_entries SET body = convert_to(replace(convert_from(body, 'UTF8'), '3.50', '1.00'), "
                     "'UTF8') WHERE till = %s AND seq = 3", (chain.till,))
        conn.execute("UPDATE checkpoints SET witness = jsonb_set(witness, '{signature}', '\"AAAA\"') "
                     "WHERE till = %s", (chain.till,))
        conn.commit()
    issues = verify(url)["tills"][chain.till]["issues"]
    assert any("no longer matches its hash" in i for i in issues)
    assert any("witness" in i for i in issues)


def test_non_canonical_body_is_flagged_by_verify(url) -> None:
    chain, settings = enrol_chain(url, unique_store(), "T01")
    chain.add("user.login", {"user_id": "anna"})
    body = b'{"v":1, "till":"%s"}' % chain.till.encode()  # valid JSON, wrong shape and spacing
    push(settings, [*chain.rows, (2, hashlib.sha256(body).hexdigest(), body)])
    result = run_import(url, [chain.till])[chain.till]
    assert result.accepted == 1 and result.quarantined == 1
    # a well-formed entry serialised with spaces: hash matches, links, but is not canonical
    entry = {"v": 1, "till": chain.till, "seq": 2, "ts": "2026-03-02T08:00:02.000000Z", "type": "user.logout",
             "actor": None, "data": {"user_id": "anna"}, "prev": chain.head}
    spaced = json.dumps(entry, sort_keys=True).encode()
    push(settings, [(2, hashlib.sha256(spaced).hexdigest(), spaced)])
    assert run_import(url, [chain.till])[chain.till].accepted == 1
    issues = verify(url)["tills"][chain.till]["issues"]
    assert any("not in canonical form" in i for i in issues)
