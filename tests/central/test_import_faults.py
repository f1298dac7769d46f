"""`hq import` killed at random points (its server connection terminated while chunks are being
verified and written on two threads): nothing half-imported is ever visible, and the next run
accepts and consolidates every entry exactly once."""

from __future__ import annotations

import random
import threading
import time

import psycopg
import pytest

from app.hq.importer import import_all
from app.hq.verify import verify_all
from db.central.schema import connect, upgrade
from tests.central.conftest import ADMIN_URL, unique_store
from tests.central.test_hq_import import WITNESS, enrol_chain, push

pytestmark = pytest.mark.pg
DAYS = [f"2026-03-{d:02d}" for d in range(2, 8)]
SALES_PER_DAY = 250


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    return pg_url


def _kill_after(pid: int, delay: float) -> threading.Thread:
    def kill() -> None:
        time.sleep(delay)
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

    thread = threading.Thread(target=kill)
    thread.start()
    return thread


def _state(url: str, till: str) -> tuple[int, int, int, int]:
    """(accepted_seq, accepted rows, sale documents, sale lines): must always agree."""
    with psycopg.connect(url) as conn:
        return conn.execute(
            """SELECT (SELECT accepted_seq FROM chain_state WHERE till = %(t)s),
                      (SELECT count(*) FROM accepted_entries WHERE till = %(t)s),
                      (SELECT count(*) FROM sales_docs WHERE till = %(t)s),
                      (SELECT count(*) FROM doc_lines WHERE till = %(t)s)""", {"t": till}).fetchone()


def _selling_chain(url: str, store: str, till_id: str):  # type: ignore[no-untyped-def]
    chain, settings = enrol_chain(url, store, till_id)
    for day in DAYS:
        chain.day(day, SALES_PER_DAY)
    push(settings, chain.rows)
    return chain


def test_killed_imports_leave_nothing_half_done_and_the_rerun_is_exact(url) -> None:
    store = unique_store()
    twin = _selling_chain(url, store, "T09")
    start = time.perf_counter()
    with connect(url) as conn:
        import_all(conn, WITNESS, tills=[twin.till], chunk=150)
    one_till_s = time.perf_counter() - start  # this machine's pace, so the kills land inside a run
    chains = [_selling_chain(url, store, "T01"), _selling_chain(url, store, "T02")]
    sales = sum(1 for _, _, body in chains[0].rows if b'"type":"sale.completed"' in body)
    complete = (len(chains[0].rows), len(chains[0].rows), sales, sales)
    rng = random.Random(20261121)
    kills = 0
    for _ in range(8):
        conn = connect(url)
        killer = _kill_after(conn.info.backend_pid, rng.uniform(0.05, 0.7) * one_till_s)
        try:
            with conn:
                import_all(conn, WITNESS, tills=[c.till for c in chains], chunk=150)
        except psycopg.Error:  # libpq reports a terminated backend in more than one way
            assert conn.closed, "an import failed for another reason than the kill"
            kills += 1
        finally:
            killer.join()
        states = [_state(url, c.till) for c in chains]
        assert all(state in ((0, 0, 0, 0), complete) for state in states), states  # one transaction per till
        if all(state == complete for state in states):
            break
    assert kills >= 1, "no import was interrupted"
    with connect(url) as conn:
        for result in import_all(conn, WITNESS, tills=[c.till for c in chains], chunk=150):
            assert not result.problems and result.quarantined == 0
        report = verify_all(conn)
    assert all(report["tills"][c.till]["ok"] for c in chains)
    assert [_state(url, c.till) for c in chains] == [complete, complete]
    assert threading.active_count() == 1  # no writer thread left behind
