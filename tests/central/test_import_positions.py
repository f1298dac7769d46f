"""The import's history-growing work reads only what is new (central revision 0012): the fork scan
takes the rows that arrived since the last scan, the consistency check starts from the frontier kept
at the last checkpoint; a rewritten old entry is still caught, because it arrives as a new row."""

from __future__ import annotations

import pytest

from db.central.schema import connect, upgrade
from tests.central.chains import Chain
from tests.central.conftest import unique_store
from tests.central.test_hq_import import enrol_chain, push, run_import, verify

pytestmark = pytest.mark.pg


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    return pg_url


def _state(url: str, till: str) -> tuple:
    with connect(url) as conn:
        return conn.execute(
            "SELECT cs.scanned_arrival, (SELECT max(arrival) FROM raw_entries r WHERE r.till = cs.till), "
            "cs.checkpoint_size, cardinality(cs.checkpoint_frontier) FROM chain_state cs WHERE cs.till = %s",
            (till,)).fetchone()


def _imported(url: str) -> tuple[Chain, object]:
    chain, settings = enrol_chain(url, unique_store(), "T01")
    chain.day("2026-03-02", 4)
    push(settings, chain.rows)
    result = run_import(url, [chain.till])[chain.till]
    assert result.accepted == len(chain.rows) and not result.problems
    return chain, settings


def test_a_rewritten_old_entry_pushed_later_is_caught(url) -> None:
    chain, settings = _imported(url)
    scanned, newest, _, _ = _state(url, chain.till)
    assert scanned == newest and newest > 0  # the position is the horizon it scanned to
    rewritten = Chain(chain.till, key=chain.key, rows=chain.rows[:2])
    rewritten.sale("2026-03-02", 77)  # a different entry 3, validly hashed and linked
    push(settings, rewritten.rows[2:])
    result = run_import(url, [chain.till])[chain.till]
    assert result.forks == 1 and result.accepted == 0
    assert any("fork at 3" in issue for issue in verify(url)["tills"][chain.till]["issues"])
    scanned_after, newest_after, _, _ = _state(url, chain.till)
    assert scanned_after == newest_after > scanned


def test_rows_that_arrived_before_the_position_are_not_read_again(url) -> None:
    """The scan is incremental: a row numbered below the position (only the database owner could
    write one) is not looked at; a row that arrives normally is."""
    chain, _ = _imported(url)
    scanned = _state(url, chain.till)[0]
    other = Chain(chain.till, key=chain.key, rows=chain.rows[:1])
    other.sale("2026-03-02", 55)
    seq, digest, body = other.rows[1]
    with connect(url) as conn:
        conn.execute("INSERT INTO raw_entries (store_id, till, seq, hash, body, batch_id, arrival) "
                     "VALUES (split_part(%s, '-', 1), %s, %s, %s, %s, gen_random_uuid(), %s)",
                     (chain.till, chain.till, seq, digest, body, scanned))
        conn.commit()
    assert run_import(url, [chain.till])[chain.till].forks == 0
    with connect(url) as conn:
        conn.execute("UPDATE raw_entries SET arrival = nextval('raw_entries_arrival') WHERE till = %s AND hash = %s",
                     (chain.till, digest))
        conn.commit()
    assert run_import(url, [chain.till])[chain.till].forks == 1


def test_rows_pushed_before_arrivals_were_numbered_are_scanned_once(url) -> None:
    chain, _ = _imported(url)
    other = Chain(chain.till, key=chain.key, rows=chain.rows[:3])
    other.sale("2026-03-02", 66)
    seq, digest, body = other.rows[3]
    with connect(url) as conn:  # as revision 0012 finds a database: no numbers, no position
        conn.execute("INSERT INTO raw_entries (store_id, till, seq, hash, body, batch_id, arrival) "
                     "VALUES (split_part(%s, '-', 1), %s, %s, %s, %s, gen_random_uuid(), NULL)",
                     (chain.till, chain.till, seq, digest, body))
        conn.execute("UPDATE raw_entries SET arrival = NULL WHERE till = %s", (chain.till,))
        conn.execute("UPDATE chain_state SET scanned_arrival = NULL WHERE till = %s", (chain.till,))
        conn.commit()
    assert run_import(url, [chain.till])[chain.till].forks == 1
    assert run_import(url, [chain.till])[chain.till].forks == 0  # once: the position is set now
    assert _state(url, chain.till)[0] is not None


def test_a_new_checkpoint_is_checked_from_the_kept_frontier(url) -> None:
    chain, settings = _imported(url)
    _, _, size, kept = _state(url, chain.till)
    assert size > 0 and kept == bin(size).count("1")
    chain.day("2026-03-03", 3)
    push(settings, chain.rows)
    result = run_import(url, [chain.till])[chain.till]
    assert result.checkpoints == 1 and not result.problems
    _, _, size2, kept2 = _state(url, chain.till)
    assert size2 > size and kept2 == bin(size2).count("1")
    # the kept frontier is what the check stands on: spoiled, the next checkpoint does not extend it
    with connect(url) as conn:
        conn.execute("UPDATE chain_state SET checkpoint_frontier[1] = sha256('spoiled') WHERE till = %s",
                     (chain.till,))
        conn.commit()
    chain.day("2026-03-04", 2)
    push(settings, chain.rows)
    result = run_import(url, [chain.till])[chain.till]
    assert any(p.startswith("inconsistent_checkpoint") for p in result.problems), result.problems
