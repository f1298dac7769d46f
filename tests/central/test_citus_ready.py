"""The central schema is ready to be sharded by store (Citus), proved against the real catalog and
the statements the push, the import, `hq verify`, the pull and the reports actually run; and the
revision that put store_id into the keys (0011) carries a populated database over."""

from __future__ import annotations

import importlib.util
import json
import uuid
from datetime import UTC, date, datetime
from types import ModuleType

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.audit import merkle
from app.hq import report
from app.hq.importer import import_all
from app.hq.verify import verify_all
from db.central import master_repo, pull_repo, push_repo, report_repo
from db.central.schema import CENTRAL_SCRIPTS, connect, upgrade
from tests.central import routing
from tests.central.chains import Chain
from tests.central.conftest import fresh_database, unique_store
from tests.central.test_hq_import import enrol_chain

pytestmark = pytest.mark.pg
WITNESS = Ed25519PrivateKey.generate()


def _revision(name: str) -> ModuleType:
    path = CENTRAL_SCRIPTS / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SHARDING = _revision("0011_store_keys")


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    return pg_url


def _catalog(conn: psycopg.Connection, query: str) -> list[tuple]:
    return conn.execute(query).fetchall()


def test_every_table_is_classified_once(url) -> None:
    """A table added later without saying whether it is sharded, copied to every node or kept on the
    coordinator fails here."""
    classes = (SHARDING.REFERENCE, SHARDING.DISTRIBUTED, SHARDING.LOCAL)
    named = [t for group in classes for t in group]
    assert len(named) == len(set(named))
    with connect(url) as conn:
        tables = {r[0] for r in _catalog(conn, """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition""")}
    assert tables == set(named)


def test_distributed_tables_carry_store_id_in_every_key(url) -> None:
    with connect(url) as conn:
        rows = _catalog(conn, """
            SELECT c.relname, i.indexrelid::regclass::text, i.indisprimary,
                   EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'store_id'
                           AND a.attnum = ANY (i.indkey::int2[]))
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND i.indisunique AND NOT c.relispartition""")
        not_null = dict(_catalog(conn, """
            SELECT c.relname, a.attnotnull FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND a.attname = 'store_id' AND NOT c.relispartition"""))
    distributed = set(SHARDING.DISTRIBUTED)
    assert {t for t in distributed if not_null.get(t)} == distributed  # the column, NOT NULL, everywhere
    with_pk = {table for table, _, primary, _ in rows if primary and table in distributed}
    assert with_pk == distributed
    assert [(t, index) for t, index, _, has in rows if t in distributed and not has] == []


def test_foreign_keys_between_distributed_tables_include_store_id(url) -> None:
    with connect(url) as conn:
        rows = _catalog(conn, """
            SELECT src.relname, dst.relname, con.conname,
                   EXISTS (SELECT 1 FROM unnest(con.conkey, con.confkey) AS k(s, d)
                           JOIN pg_attribute sa ON sa.attrelid = con.conrelid AND sa.attnum = k.s
                           JOIN pg_attribute da ON da.attrelid = con.confrelid AND da.attnum = k.d
                           WHERE sa.attname = 'store_id' AND da.attname = 'store_id')
            FROM pg_constraint con JOIN pg_class src ON src.oid = con.conrelid
            JOIN pg_class dst ON dst.oid = con.confrelid JOIN pg_namespace n ON n.oid = src.relnamespace
            WHERE con.contype = 'f' AND n.nspname = 'public' AND NOT src.relispartition AND con.conparentid = 0""")
    distributed, reference = set(SHARDING.DISTRIBUTED), set(SHARDING.REFERENCE)
    assert any(s in distributed and d in distributed for s, d, _, _ in rows)  # md_stock_counted -> md_stock
    assert [n for s, d, n, has in rows if s in distributed and d in distributed and not has] == []
    # a reference or coordinator table may not point at a sharded one; sharded ones point at references
    assert [n for s, d, n, _ in rows if s not in distributed and d in distributed] == []
    assert [n for s, d, n, _ in rows if s in distributed and d not in distributed | reference] == []


def test_the_citus_calls_cover_every_table_and_run_only_with_the_extension(url) -> None:
    text = SHARDING.CITUS
    assert "IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')" in text
    for table in SHARDING.REFERENCE:
        assert f"create_reference_table('{table}')" in text
    for table in SHARDING.DISTRIBUTED:
        assert f"create_distributed_table('{table}', 'store_id'" in text
    with connect(url) as conn:  # this server has no citus: the revision ran and distributed nothing
        assert conn.execute("SELECT count(*) FROM pg_extension WHERE extname = 'citus'").fetchone() == (0,)


def _push(settings, chain: Chain) -> None:
    with routing.recording(psycopg.connect(**settings.kwargs(), connect_timeout=5)) as conn:
        push_repo.push_batch(conn, till=settings.till, batch_id=uuid.uuid4(), rows=chain.rows,
                             till_time=datetime.now(UTC))
        pull_repo.master_changes(conn, {})
        pull_repo.witnesses(conn, 0)


def _statements(url: str) -> dict[str, list[str]]:
    """Run each path on two stores of two tills and keep what each sent to the server."""
    out: dict[str, list[str]] = {}
    stores = [unique_store(), unique_store()]
    tills = [(store, enrol_chain(url, store, t)) for store in stores for t in ("T01", "T02")]
    with connect(url) as conn:
        pull_repo.upsert_master(conn, "md_tax_rates", [{"code": "B", "name": "Reduced", "rate_bp": 0}])
        pull_repo.upsert_master(conn, "md_products", [{"id": "milk", "store_id": None, "sku": "MILK1",
                                                      "name": "Milk", "price": 350, "tax_code": "B"}])
        conn.commit()
    routing.RECORDED.clear()
    for _, (chain, settings) in tills:
        chain.day("2026-03-02", 4)
        _push(settings, chain)
    out["push and pull"] = list(routing.RECORDED)
    routing.RECORDED.clear()
    with routing.recording(connect(url)) as conn:
        import_all(conn, WITNESS)
        out["hq import"] = list(routing.RECORDED)
        routing.RECORDED.clear()
        verify_all(conn)
        out["hq verify"] = list(routing.RECORDED)
        routing.RECORDED.clear()
        for store in stores:
            with conn.transaction():
                pull_repo.set_stock_level(conn, store, "milk", 100_000, master_repo.store_marks(conn, store))
            report.daily(conn, store, date(2026, 3, 2))
            report.stock(conn, store)
            report_repo.stock_reconciliation(conn, store)
        out["reports and stock figures"] = list(routing.RECORDED)
    return out


def test_no_statement_needs_a_cross_shard_join_and_push_and_import_reach_one_shard(url) -> None:
    statements = _statements(url)
    distributed = SHARDING.DISTRIBUTED
    touching = {path: [s for s in found if routing._occurrences(s, distributed)] for path, found in statements.items()}
    assert all(len(found) >= 3 for found in touching.values()), {p: len(f) for p, f in touching.items()}
    joins = [s for found in statements.values() for s in found if not routing.routing(s, distributed)[0]]
    assert joins == []
    for path in ("push and pull", "hq import", "hq verify"):
        spread = [s for s in statements[path] if not routing.routing(s, distributed)[1]]
        assert spread == [], path


@pytest.mark.parametrize(("statement", "colocated", "router"), [
    ("SELECT 1 FROM raw_entries r JOIN accepted_entries a ON a.till = r.till WHERE r.store_id = %s", False, False),
    ("SELECT 1 FROM raw_entries r JOIN accepted_entries a ON a.store_id = r.store_id AND a.till = r.till "
     "WHERE r.store_id = %s", True, True),
    ("SELECT 1 FROM raw_entries r JOIN accepted_entries a ON a.store_id = r.store_id", True, False),
    ("SELECT 1 FROM raw_entries r JOIN accepted_entries a ON a.store_id = r.store_id WHERE r.store_id = %s "
     "AND a.store_id = %s", True, True),
    ("SELECT count(*) FROM problems", True, False),
    ("SELECT 1 FROM sales_docs s WHERE NOT EXISTS (SELECT 1 FROM sales_docs v WHERE v.till = s.till)", False, False),
    ("INSERT INTO raw_entries (till, seq) SELECT till, seq FROM push_raw", True, False),
    ("COPY accepted_entries (store_id, till, seq) FROM STDIN", True, True),
    ("SELECT 1 FROM tills t JOIN stores s USING (store_id)", True, True),
])
def test_the_routing_check_itself(statement: str, colocated: bool, router: bool) -> None:
    """The check must be able to fail: a join on till alone is cross-shard."""
    assert routing.routing(statement, SHARDING.DISTRIBUTED) == (colocated, router)


OLD_SHAPE = {  # what a till and the import wrote before revision 0011, without store_id
    "stores": "INSERT INTO stores (store_id) VALUES (%s) ON CONFLICT DO NOTHING",
    "tills": "INSERT INTO tills (till, store_id, role_name, public_key, key_id) VALUES (%s, %s, %s, %s, %s)",
    "chain_state": "INSERT INTO chain_state (till) VALUES (%s)",
    "push_locks": "INSERT INTO push_locks (till) VALUES (%s)",
    "raw_entries": "INSERT INTO raw_entries (till, seq, hash, body, batch_id) VALUES (%s, %s, %s, %s, %s)",
    "sync_batches": "INSERT INTO sync_batches (till, batch_id, first_seq, last_seq, n_rows, till_time) "
                    "VALUES (%s, %s, %s, %s, %s, now())",
    "quarantine": "INSERT INTO quarantine (till, seq, hash, stage, reason) VALUES (%s, 99, '', 'push', 'bad')",
    "problems": "INSERT INTO problems (till, kind, seq, detail) VALUES (%s, 'clock_skew', 1, 'old')",
}


def _old_import(conn: psycopg.Connection, chain: Chain) -> None:
    """What `hq import` wrote for a chain before revision 0011: accepted entries and the chain state."""
    builder = merkle.RootBuilder()
    for seq, digest, body in chain.rows:
        entry = json.loads(body)
        builder.append(body)
        conn.execute("INSERT INTO accepted_entries (till, seq, hash, leaf_hash, type, ts) "
                     "VALUES (%s, %s, %s, %s, %s, %s)",
                     (chain.till, seq, digest, merkle.leaf_hash(body), entry["type"], entry["ts"]))
    conn.execute("UPDATE chain_state SET accepted_seq = %s, accepted_hash = %s, frontier = %s WHERE till = %s",
                 (len(chain.rows), chain.head, builder.frontier(), chain.till))


@pytest.fixture
def old_database():
    yield from fresh_database()


def test_revision_0011_carries_a_populated_database_over(old_database) -> None:
    url = old_database
    assert upgrade(url, "0010_till_roles_per_database") == "0010_till_roles_per_database"
    chains = []
    with connect(url) as conn:
        for store in (unique_store(), unique_store()):
            chain = Chain(f"{store}-T01")
            chain.day("2026-03-02", 5)
            chains.append(chain)
            batch = uuid.uuid4()
            conn.execute(OLD_SHAPE["stores"], (store,))
            conn.execute(OLD_SHAPE["tills"], (chain.till, store, f"old_{uuid.uuid4().hex[:8]}", chain.public, "k"))
            for table in ("chain_state", "push_locks", "quarantine", "problems"):
                conn.execute(OLD_SHAPE[table], (chain.till,))
            for seq, digest, body in chain.rows:
                conn.execute(OLD_SHAPE["raw_entries"], (chain.till, seq, digest, body, batch))
            conn.execute(OLD_SHAPE["sync_batches"], (chain.till, batch, 1, len(chain.rows), len(chain.rows)))
        _old_import(conn, chains[0])  # the first store's till was imported before the revision too
        conn.commit()
    assert upgrade(url, "0011_store_keys") == "0011_store_keys"
    with connect(url) as conn:
        expected = {"raw_entries": sum(len(c.rows) for c in chains), "accepted_entries": len(chains[0].rows),
                    "checkpoints": 0}
        for table in SHARDING.KEYED_BY_TILL:
            wrong = conn.execute(f"SELECT count(*), count(*) FILTER (WHERE store_id <> split_part(till, '-', 1)) "
                                 f"FROM {table}").fetchone()
            assert wrong == (expected.get(table, 2), 0), table
    upgrade(url)  # and on to the newest revision, which the import below needs
    with connect(url) as conn:
        results = {r.till: r.accepted for r in import_all(conn, WITNESS)}  # on from where each till was
        assert results == {chains[0].till: 0, chains[1].till: len(chains[1].rows)}
        summary = verify_all(conn)
        for chain in chains:  # the chain verifies; only the two rows written before the revision remain
            found = summary["tills"][chain.till]
            assert found["accepted_seq"] == len(chain.rows)
            assert found["issues"] == ["clock_skew at 1: old", "quarantined at 99 (push): bad"]
    with connect(url) as conn, pytest.raises(psycopg.errors.UniqueViolation):  # still the key: no second copy
        conn.execute("INSERT INTO raw_entries (till, seq, hash, body, batch_id) SELECT till, seq, hash, body, "
                     "batch_id FROM raw_entries LIMIT 1")
