"""A till role writes its own `sync_batches` rows, so it can claim any watermark and any till time,
but never the server's time, and nothing head office reads from those claims moves its view."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from db.central import report_repo
from db.central.schema import connect, upgrade
from tests.central.conftest import unique_store
from tests.central.test_hq_import import enrol_chain, push, run_import

pytestmark = pytest.mark.pg


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    return pg_url


def test_forged_watermarks_and_times_never_move_head_offices_view(url) -> None:
    store = unique_store()
    forger, forger_settings = enrol_chain(url, store, "T01")
    honest, honest_settings = enrol_chain(url, store, "T02")
    forger.day("2026-03-02", 2)
    honest.day("2026-03-02", 2)
    push(forger_settings, forger.rows)
    push(honest_settings, honest.rows)
    a_year_ago = datetime.now(UTC) - timedelta(days=365)
    with psycopg.connect(**forger_settings.kwargs(), connect_timeout=5) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the server's time is the server's
            conn.execute("INSERT INTO sync_batches (till, batch_id, first_seq, last_seq, n_rows, till_time, "
                         "server_time) VALUES (%s, %s, 1, 99999, 1, now(), %s)",
                         (forger.till, uuid.uuid4(), a_year_ago))
        conn.rollback()
        conn.execute("INSERT INTO sync_batches (till, batch_id, first_seq, last_seq, n_rows, till_time) "
                     "VALUES (%s, %s, 1, 99999, 1, %s)", (forger.till, uuid.uuid4(), a_year_ago))
        conn.commit()
    results = run_import(url)
    assert results[forger.till].accepted == len(forger.rows)
    assert results[honest.till].accepted == len(honest.rows) and not results[honest.till].problems
    with connect(url) as conn:
        # the close of the day counts what arrived, not the claimed watermark
        assert not any("pushed but not verified" in b for b in report_repo.blockers(conn, store, date(2026, 3, 2)))
        accepted = dict(conn.execute("SELECT till, accepted_seq FROM chain_state WHERE till IN (%s, %s)",
                                     (forger.till, honest.till)).fetchall())
        skew = conn.execute("SELECT till, detail FROM problems WHERE kind = 'clock_skew' AND till IN (%s, %s)",
                            (forger.till, honest.till)).fetchall()
    assert accepted == {forger.till: len(forger.rows), honest.till: len(honest.rows)}
    # the forged till time is measured against the server's own: flagged for the forger alone
    assert [t for t, _ in skew] == [forger.till] and "-31536" in skew[0][1]
