"""Row-level security with real till roles: each till adds only its own rows, reads only its
watermark and its store's master data, and can never update or delete."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.audit import checkpoint
from app.hq import enrol as enrolment
from db.central import pull_repo, push_repo
from db.central.schema import CENTRAL_SCRIPTS, connect, upgrade
from tests.central.chains import Chain
from tests.central.conftest import unique_store

pytestmark = pytest.mark.pg


def till_key() -> bytes:
    """A till's own checkpoint public key, as `central enroll --public-key` takes it."""
    return checkpoint.public_bytes(Ed25519PrivateKey.generate())


@pytest.fixture(scope="module")
def central(pg_url):
    newest = sorted(p.stem for p in CENTRAL_SCRIPTS.joinpath("versions").glob("0*.py"))[-1]
    assert upgrade(pg_url) == newest
    assert upgrade(pg_url) == newest  # idempotent
    store_a, store_b = unique_store(), unique_store()
    tills = {
        "a1": enrolment.enrol(pg_url, store=store_a, till_id="T01", public_key=till_key()),
        "a2": enrolment.enrol(pg_url, store=store_a, till_id="T02", public_key=till_key()),
        "b1": enrolment.enrol(pg_url, store=store_b, till_id="T01", public_key=till_key()),
    }
    with connect(pg_url) as conn:
        pull_repo.upsert_master(conn, "md_tax_rates", [{"code": "B", "name": "Reduced", "rate_bp": 1000}])
        pull_repo.upsert_master(conn, "md_products", [
            {"id": "p-a", "store_id": store_a, "sku": "A-ONLY", "name": "A only", "price": 100, "tax_code": "B"},
            {"id": "p-b", "store_id": store_b, "sku": "B-ONLY", "name": "B only", "price": 100, "tax_code": "B"},
            {"id": "p-all", "store_id": None, "sku": "ALL", "name": "Everywhere", "price": 100, "tax_code": "B"},
        ])
        pull_repo.upsert_master(conn, "md_stock", [{"store_id": store_b, "product_id": "p-b", "on_hand_milli": 5}])
        conn.commit()
    return pg_url, tills


def till_conn(settings) -> psycopg.Connection:
    return psycopg.connect(**settings.kwargs(), connect_timeout=5)


def test_enrolling_twice_is_refused(central) -> None:
    url, tills = central
    with pytest.raises(Exception, match="already enrolled"):
        enrolment.enrol(url, store=tills["a1"].store_id, till_id="T01", public_key=till_key())


def test_till_pushes_its_own_rows_and_reads_its_watermark(central) -> None:
    _, tills = central
    chain = Chain(tills["a1"].till)
    chain.day("2026-03-02", 3)
    with till_conn(tills["a1"]) as conn:
        result = push_repo.push_batch(conn, till=chain.till, batch_id=uuid.uuid4(), rows=chain.rows,
                                      till_time=datetime.now(UTC))
        assert result.inserted == len(chain.rows) and result.watermark == len(chain.rows)
        assert push_repo.watermark(conn, chain.till) == len(chain.rows)
        # another till's watermark is invisible, not an error
        assert push_repo.watermark(conn, tills["a2"].till) == 0


@pytest.mark.parametrize("statement", [
    "UPDATE raw_entries SET body = 'x'",
    "DELETE FROM raw_entries",
    "UPDATE sync_batches SET last_seq = 0",
    "DELETE FROM sync_batches",
    "TRUNCATE raw_entries",
    "SELECT count(*) FROM raw_entries",
    "SELECT count(*) FROM accepted_entries",
    "UPDATE checkpoints SET witness = '{}'",
    "DELETE FROM checkpoints",
    "UPDATE md_stock_counted SET counted_seq = 0",
    "SELECT count(*) FROM problems",
    "INSERT INTO md_products (id, sku, name, price, tax_code) VALUES ('x', 'X', 'x', 1, 'B')",
    "UPDATE md_products SET price = 1",
    "INSERT INTO sync_batches (till, batch_id, first_seq, last_seq, n_rows, till_time, server_time) "
    "VALUES ((SELECT till FROM tills LIMIT 1), gen_random_uuid(), 1, 1, 1, now(), now())",
])
def test_till_role_is_refused(central, statement: str) -> None:
    _, tills = central
    with till_conn(tills["a1"]) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)


def test_till_cannot_write_with_another_tills_id(central) -> None:
    _, tills = central
    other = Chain(tills["b1"].till)
    other.add("user.login", {"user_id": "anna"})
    with till_conn(tills["a1"]) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        push_repo.push_batch(conn, till=other.till, batch_id=uuid.uuid4(), rows=other.rows,
                             till_time=datetime.now(UTC))


def test_till_reads_only_its_store_master_data(central) -> None:
    _, tills = central
    with till_conn(tills["a1"]) as conn:
        changes = pull_repo.master_changes(conn, {})
        assert {p["sku"] for p in changes["products"]} == {"A-ONLY", "ALL"}
        assert changes["stock"] == []
        assert [r[0] for r in conn.execute("SELECT till FROM tills")] == [tills["a1"].till]
    with till_conn(tills["b1"]) as conn:
        changes = pull_repo.master_changes(conn, {})
        assert {p["sku"] for p in changes["products"]} == {"B-ONLY", "ALL"}
        assert [s["product_id"] for s in changes["stock"]] == ["p-b"]
        # incremental: nothing new since the highest version seen
        marks = {k: max(r["version"] for r in v) for k, v in changes.items() if v}
        assert not any(pull_repo.master_changes(conn, marks).values())

