"""One till cannot stop another: as a till role, take every lock a till could reach (the old
advisory keys, another till's push lock row, head office's import lock) and hold them while the
other till pushes and head office imports."""

from __future__ import annotations

import psycopg
import pytest

from db.central.schema import upgrade
from tests.central.conftest import unique_store
from tests.central.test_hq_import import enrol_chain, push, run_import

pytestmark = pytest.mark.pg


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    return pg_url


def _attacker(settings) -> psycopg.Connection:
    return psycopg.connect(**settings.kwargs(), connect_timeout=5)


def test_a_till_holding_every_lock_it_can_take_stops_no_one_else(url) -> None:
    store = unique_store()
    _, evil = enrol_chain(url, store, "T01")
    victim, victim_settings = enrol_chain(url, store, "T02")
    victim.day("2026-03-02", 3)
    with _attacker(evil) as attacker:  # one open transaction, held to the end of the test
        attacker.execute("SELECT pg_advisory_lock(hashtext(%s)), pg_advisory_lock(hashtext('tillstone-hq-import')),"
                         " pg_advisory_lock(hashtext('tillstone-enrol'))", (f"push:{victim.till}",))
        seen = attacker.execute("SELECT till FROM push_locks WHERE till = %s FOR UPDATE", (victim.till,)).fetchall()
        assert seen == []  # row-level security: the other till's lock row is not there to lock
        attacker.execute("SELECT till FROM push_locks FOR UPDATE")  # its own row: stops only itself
        for statement in ("SELECT 1 FROM hq_locks FOR UPDATE", "LOCK TABLE hq_locks IN ACCESS EXCLUSIVE MODE",
                          "LOCK TABLE chain_state IN EXCLUSIVE MODE", "SELECT 1 FROM tills FOR SHARE"):
            attacker.execute("SAVEPOINT s")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                attacker.execute(statement)
            attacker.execute("ROLLBACK TO SAVEPOINT s")

        result = push(victim_settings, victim.rows)
        assert result.inserted == len(victim.rows) and result.watermark == len(victim.rows)
        imported = run_import(url, [victim.till])
        assert imported[victim.till].accepted == len(victim.rows)
        _, later = enrol_chain(url, store, "T03")  # enrolment goes on too
        assert later.till.endswith("T03")
        assert attacker.execute("SELECT count(*) FROM push_locks").fetchone() == (1,)
