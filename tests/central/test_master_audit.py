"""Head office's own log: every master-data change is an `hq_audit` entry of audit format v1 (till `HQ`),
hash-chained; the table refuses UPDATE, DELETE and TRUNCATE; `hq verify` walks it and reports a changed,
removed or re-hashed entry (exit 1). A till role can neither write master data nor read or write hq_audit."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import UTC, datetime

import psycopg
import pytest

from app.audit.format_v1 import GENESIS_PREV, canonical_bytes
from app.hq import hq_audit, people
from db.central.schema import connect, upgrade
from tests.central.conftest import unique_store
from tests.central.master_support import barcode, hq, seed_tax_rates, write_csv
from tests.central.tills import make_synced_till


@pytest.fixture
def url(pg_url):
    upgrade(pg_url)
    seed_tax_rates(pg_url)
    return pg_url


@pytest.fixture
def published(url, tmp_path):
    """Three head-office changes (catalogue, price, customer) on a fresh log; returns the till's settings."""
    with connect(url) as conn:  # each test starts from an untampered log of its own
        conn.execute("ALTER TABLE hq_audit DISABLE TRIGGER USER")
        conn.execute("DELETE FROM hq_audit")
        conn.execute("ALTER TABLE hq_audit ENABLE TRIGGER USER")
        conn.commit()
    store = unique_store()
    _till, settings = make_synced_till(url, tmp_path / "a", store, days=0)
    n = int(store[1:], 16) % 10**6
    csv = write_csv(tmp_path / "cat.csv", [[f"HQ-{n}", "Pain", "1.00", "C", "each", "0.10", barcode(n), ""]])
    assert hq("catalogue", "import", "--db", url, str(csv), "--by", "marie")[0] == 0
    assert hq("price", "set", "--db", url, "--sku", f"HQ-{n}", "--price", "1.10", "--store", store)[0] == 0
    assert hq("customers", "add", "--db", url, "--name", "Client", "--credit-limit", "50.00")[0] == 0
    return settings, store


def verify(url: str) -> tuple[int, dict]:
    code, out, _err = hq("verify", "--db", url, "--json")
    return code, json.loads(out)["hq_audit"]


def tamper(url: str, sql: str, params: tuple = ()) -> None:
    """What only a superuser switching the table's triggers off could do."""
    with connect(url) as conn:
        conn.execute("ALTER TABLE hq_audit DISABLE TRIGGER USER")
        conn.execute(sql, params)
        conn.execute("ALTER TABLE hq_audit ENABLE TRIGGER USER")
        conn.commit()


@pytest.mark.pg
def test_every_change_is_a_chained_v1_entry_and_verify_passes(url, published) -> None:
    code, report = verify(url)
    assert code == 0 and report == {"entries": 3, "ok": True, "issues": []}
    with connect(url) as conn:
        rows = conn.execute("SELECT seq, type, actor, body, prev, hash FROM hq_audit ORDER BY seq").fetchall()
    prev = GENESIS_PREV
    for seq, type_, actor, body, stored_prev, digest in rows:  # checked with nothing but json and hashlib
        entry = json.loads(bytes(body))
        assert hashlib.sha256(bytes(body)).hexdigest() == digest and canonical_bytes(entry) == bytes(body)
        assert (entry["v"], entry["till"], entry["seq"], entry["prev"], stored_prev) == (1, "HQ", seq, prev, prev)
        assert (entry["type"], entry["actor"]) == (type_, actor)
        prev = digest
    assert [r[1] for r in rows] == ["catalogue.imported", "price.set", "customer.added"]
    assert rows[0][2] == "marie"


@pytest.mark.pg
@pytest.mark.parametrize("sql", ["UPDATE hq_audit SET actor = 'x'", "DELETE FROM hq_audit", "TRUNCATE hq_audit"])
def test_the_log_refuses_changes(url, published, sql) -> None:
    with connect(url) as conn, pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        conn.execute(sql)


@pytest.mark.pg
def test_a_changed_body_is_found(url, published) -> None:
    tamper(url, "UPDATE hq_audit SET body = convert_to(replace(convert_from(body, 'UTF8'), '1.10', '0.10'), 'UTF8') "
                "WHERE seq = 2")
    code, report = verify(url)
    assert code == 1 and "hq_audit entry 2: hash does not match body" in report["issues"]


@pytest.mark.pg
def test_a_rewritten_and_rehashed_entry_breaks_the_next_link(url, published) -> None:
    with connect(url) as conn:
        body = bytes(conn.execute("SELECT body FROM hq_audit WHERE seq = 2").fetchone()[0])
    entry = json.loads(body)
    entry["data"]["price"] = "0.10"
    new = canonical_bytes(entry)
    tamper(url, "UPDATE hq_audit SET body = %s, hash = %s WHERE seq = 2", (new, hashlib.sha256(new).hexdigest()))
    code, report = verify(url)
    assert code == 1 and "hq_audit entry 3 does not link to entry 2" in report["issues"]


@pytest.mark.pg
def test_a_removed_entry_and_a_changed_column_are_found(url, published) -> None:
    tamper(url, "DELETE FROM hq_audit WHERE seq = 2")
    tamper(url, "UPDATE hq_audit SET actor = 'someone-else' WHERE seq = 1")
    tamper(url, "UPDATE hq_audit SET ts = ts - interval '1 day' WHERE seq = 3")
    code, report = verify(url)
    assert code == 1
    assert "hq_audit skips from 1 to 3" in report["issues"]
    assert "hq_audit entry 1: its ts, type or actor column differs from its body" in report["issues"]
    assert "hq_audit entry 3: its ts, type or actor column differs from its body" in report["issues"]


@pytest.mark.pg
@pytest.mark.parametrize("sql", [
    "INSERT INTO md_products (id, sku, name, price, tax_code) VALUES ('p-x', 'X-1', 'X', 1, 'C')",
    "UPDATE md_products SET price = 1",
    "INSERT INTO md_prices (product_id, price, effective_from) SELECT id, 1, now() FROM md_products LIMIT 1",
    "UPDATE md_prices SET price = 1",
    "DELETE FROM md_prices",
    "UPDATE md_users SET pin_hash = 'x'",
    "INSERT INTO md_users (id, name, role, pin_hash) VALUES ('u-x', 'X', 'admin', 'x')",
    "UPDATE md_customers SET credit_limit = 10000000",
    "UPDATE md_stock SET on_hand_milli = 0",
    "SELECT * FROM hq_audit",
    "INSERT INTO hq_audit (seq, ts, type, body, prev, hash) VALUES (99, now(), 'x', 'x', 'x', repeat('0', 64))",
    "SELECT * FROM hq_locks WHERE name = 'hq_audit' FOR UPDATE",
])
def test_a_till_role_cannot_write_master_data_or_touch_hq_audit(url, published, sql) -> None:
    settings, _store = published
    with psycopg.connect(**settings.conninfo) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(sql)


@pytest.mark.pg
def test_a_till_reads_only_its_own_stores_prices(url, published, tmp_path) -> None:
    settings, store = published
    other = unique_store()
    _b, other_settings = make_synced_till(url, tmp_path / "b", other, days=0)
    with psycopg.connect(**settings.conninfo) as conn:
        mine = conn.execute("SELECT store_id FROM md_prices").fetchall()
    with psycopg.connect(**other_settings.conninfo) as conn:
        theirs = conn.execute("SELECT store_id FROM md_prices").fetchall()
    assert (store,) in mine and (store,) not in theirs


@pytest.mark.pg
def test_two_head_office_writers_at_once_keep_one_chain(url, published) -> None:
    """The console and the CLI may write together: the second waits for the first's audit lock and
    chains after its entry, instead of both taking the same head."""
    done: list[int] = []
    with connect(url) as first, connect(url) as second:
        second_pid = second.info.backend_pid
        with first.transaction():
            hq_audit.append(first, now=datetime.now(UTC), type_="customer.added", actor="one", data={"n": 1})
            worker_thread = threading.Thread(target=lambda: done.append(people.add_customer(
                second, customer_id=None, fields=people.CustomerFields(name="Two"), now=datetime.now(UTC),
                actor="two")[1]))
            worker_thread.start()
            with connect(url) as watch:  # wait until the second writer is really waiting on the lock
                for _ in range(600):
                    row = watch.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                                        (second_pid,)).fetchone()
                    if row and row[0] == "Lock":
                        break
                    watch.execute("SELECT pg_sleep(0.05)")
                else:
                    pytest.fail("the second writer never waited for the audit lock")
        worker_thread.join(timeout=60)
    assert done == [5]
    code, report = verify(url)
    assert code == 0 and report["entries"] == 5
