"""Two central databases on one server (roles are cluster-wide): a till enrolled in one cannot log in
to the other, the same till id enrolled in both gets two roles with separate passwords, and a role
given CONNECT to the other database by mistake still reads and writes nothing there."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from app.audit import checkpoint
from app.cli.main import main
from app.hq import enrol as enrolment
from app.sync.connection import CentralSettings
from db.central import pull_repo, push_repo
from db.central.schema import connect, upgrade
from tests.central.chains import Chain
from tests.central.conftest import ADMIN_URL, fresh_database, unique_store

pytestmark = pytest.mark.pg


def _key() -> bytes:
    return checkpoint.public_bytes(Ed25519PrivateKey.generate())


@pytest.fixture(scope="module")
def second_url():
    yield from fresh_database()


@pytest.fixture(scope="module")
def pair(pg_url, second_url):
    """Databases A and B, each with master data, and one till id enrolled in both."""
    store = unique_store()
    tills = {}
    for name, url in (("a", pg_url), ("b", second_url)):
        upgrade(url)
        tills[name] = enrolment.enrol(url, store=store, till_id="T01", public_key=_key())
        with connect(url) as conn:
            pull_repo.upsert_master(conn, "md_tax_rates", [{"code": "B", "name": f"Reduced {name}", "rate_bp": 700}])
            pull_repo.upsert_master(conn, "md_products", [
                {"id": f"p-{name}", "store_id": None, "sku": f"SKU-{name}", "name": "Everywhere", "price": 100,
                 "tax_code": "B"}])
            pull_repo.upsert_master(conn, "md_customers", [{"id": f"c-{name}", "name": "Secret Customer Ltd"}])
            enrol_key = _key()
            conn.execute("INSERT INTO witness_keys (key_id, public_key) VALUES (%s, %s)",
                         (checkpoint.key_id(enrol_key), enrol_key))
            conn.commit()
    return {"a": pg_url, "b": second_url}, tills


def _as(settings: CentralSettings, dbname: str | None = None) -> psycopg.Connection:
    kwargs = settings.kwargs()
    if dbname:
        kwargs["dbname"] = dbname
    return psycopg.connect(**kwargs, connect_timeout=5)


def _dbname(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _push(conn: psycopg.Connection, till: str) -> push_repo.PushResult:
    chain = Chain(till)
    chain.day("2026-03-02", 2)
    return push_repo.push_batch(conn, till=till, batch_id=uuid.uuid4(), rows=chain.rows, till_time=datetime.now(UTC))


def test_the_same_till_id_gets_one_role_per_database(pair) -> None:
    urls, tills = pair
    a, b = tills["a"], tills["b"]
    assert a.till == b.till and a.conninfo["user"] != b.conninfo["user"]
    with psycopg.connect(ADMIN_URL, connect_timeout=5) as admin:
        for settings, own, other in ((a, urls["a"], urls["b"]), (b, urls["b"], urls["a"])):
            role = settings.conninfo["user"]
            assert admin.execute("SELECT has_database_privilege(%s, %s, 'CONNECT'), "
                                 "has_database_privilege(%s, %s, 'CONNECT')",
                                 (role, _dbname(own), role, _dbname(other))).fetchone() == (True, False)
            assert admin.execute("SELECT has_database_privilege('public', %s, 'CONNECT')",
                                 (_dbname(own),)).fetchone() == (False,)


@pytest.mark.parametrize(("who", "where"), [("a", "b"), ("b", "a")])
def test_a_till_role_cannot_log_in_to_the_other_database(pair, who: str, where: str) -> None:
    urls, tills = pair
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        _as(tills[who], _dbname(urls[where]))


def test_enrolling_in_b_leaves_the_till_working_in_a(pair) -> None:
    _, tills = pair
    with _as(tills["a"]) as conn:  # enrolled in B after A: A's role and password are untouched
        result = _push(conn, tills["a"].till)
        assert result.inserted > 0 and push_repo.watermark(conn, tills["a"].till) == result.watermark


def test_a_role_given_connect_by_mistake_reads_and_writes_nothing(pair) -> None:
    urls, tills = pair
    intruder = tills["a"].conninfo["user"]
    grant = sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
        sql.Identifier(_dbname(urls["b"])), sql.Identifier(intruder))
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(grant)
    try:
        with _as(tills["a"], _dbname(urls["b"])) as conn:
            for table in ("tills", "md_tax_rates", "md_products", "md_users", "md_customers", "md_stock",
                          "md_prices", "witness_keys", "checkpoints", "sync_batches", "push_locks"):
                assert conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone() \
                    == (0,), table
            assert not any(pull_repo.master_changes(conn, {}).values())
            conn.rollback()
            for till in (tills["a"].till, tills["b"].till):  # its own id, and B's till of that id
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    _push(conn, till)
                conn.rollback()
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("INSERT INTO quarantine (till, seq, hash, stage, reason) VALUES (%s, 1, '', 'push', 'x')",
                             (tills["b"].till,))
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            admin.execute(sql.SQL("REVOKE CONNECT, TEMPORARY ON DATABASE {} FROM {}").format(
                sql.Identifier(_dbname(urls["b"])), sql.Identifier(intruder)))
    with connect(urls["b"]) as conn:
        assert conn.execute("SELECT count(*) FROM raw_entries").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM quarantine").fetchone() == (0,)


def test_every_table_a_till_role_reaches_is_guarded(pair) -> None:
    """The rule, not a list: a table added later with a till grant and no `enrolled_here` policy fails."""
    urls, _ = pair
    with connect(urls["a"]) as conn:
        rows = conn.execute("""
            SELECT c.relname, c.relrowsecurity,
                   EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'enrolled_here'
                           AND NOT p.polpermissive)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'tills'
               AND (has_table_privilege('tillstone_till', c.oid, 'SELECT')
                    OR has_table_privilege('tillstone_till', c.oid, 'INSERT')
                    OR has_any_column_privilege('tillstone_till', c.oid, 'SELECT, INSERT, UPDATE'))""").fetchall()
    assert len(rows) >= 10
    assert [name for name, rls, guarded in rows if not (rls and guarded)] == []


def test_a_copy_of_the_database_cannot_take_over_a_role(pair, tmp_path, capsys) -> None:
    """A copy (CREATE DATABASE ... TEMPLATE) shares the tag; enrolling there a till id enrolled in the
    original must not alter the original's role: exit 2, one sentence, nothing written."""
    urls, _ = pair
    store = unique_store()
    original = enrolment.enrol(urls["a"], store=store, till_id="T09", public_key=_key())
    copy_name = f"tillstone_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(sql.SQL("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = {}").format(
            sql.Literal(_dbname(urls["a"]))))
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(copy_name), sql.Identifier(_dbname(urls["a"]))))
    copy_url = ADMIN_URL.rsplit("/", 1)[0] + "/" + copy_name
    try:
        upgrade(copy_url)  # `central init` on the copy takes CONNECT from PUBLIC again
        with connect(copy_url) as conn:
            conn.execute("DELETE FROM chain_state WHERE till = %s", (original.till,))
            conn.execute("DELETE FROM push_locks WHERE till = %s", (original.till,))
            conn.execute("DELETE FROM tills WHERE till = %s", (original.till,))  # as if it never had it
            conn.commit()
            assert conn.execute("SELECT has_database_privilege('public', current_database(), 'CONNECT')"
                                ).fetchone() == (False,)
        out = tmp_path / "copy.json"
        capsys.readouterr()
        assert main(["central", "enroll", "--db", copy_url, "--store", store, "--till", "T09",
                     "--public-key", _key().hex(), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"the role {original.conninfo['user']} exists already" in err and "Traceback" not in err
        assert err.strip().count("\n") == 0
        assert not out.exists()
        with connect(copy_url) as conn:
            assert conn.execute("SELECT count(*) FROM tills WHERE till = %s", (original.till,)).fetchone() == (0,)
        with _as(original) as conn:  # the original's password still works
            assert conn.execute("SELECT till FROM tills").fetchall() == [(original.till,)]
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy_name)))
