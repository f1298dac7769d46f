"""Central revision 0008_unit_cost on a store that already holds data: published zero costs become
unknown (their version rises, so tills pull them again), a real cost stays, consolidated
documents get their entry's actor from the accepted body (a body jsonb cannot read leaves it
NULL instead of failing the upgrade), and doc_lines get an empty unit_cost."""

from __future__ import annotations

import uuid
from datetime import date

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from app.audit.format_v1 import make_entry
from db.central.schema import CENTRAL_SCRIPTS, ensure_partitions, month_start, sqlalchemy_url, upgrade

pytestmark = pytest.mark.pg
TILL = "S1-T01"


def _upgrade_to(url: str, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(CENTRAL_SCRIPTS))
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            conn.commit()
    finally:
        engine.dispose()


def _doc(conn: psycopg.Connection, seq: int, body: bytes, digest: str) -> None:
    conn.execute("INSERT INTO raw_entries (till, seq, hash, body, batch_id) VALUES (%s, %s, %s, %s, %s)",
                 (TILL, seq, digest, body, uuid.uuid4()))
    conn.execute("INSERT INTO accepted_entries (till, seq, hash, leaf_hash, type, ts, business_date) "
                 "VALUES (%s, %s, %s, %s, 'sale.completed', now(), '2026-03-02')", (TILL, seq, digest, b"x"))
    conn.execute("INSERT INTO sales_docs (till, store_id, business_date, doc_kind, doc_id, receipt_no, seq, ts, "
                 "net, tax, gross) VALUES (%s, 'S1', '2026-03-02', 'sale', %s, %s, %s, now(), 1, 0, 1)",
                 (TILL, f"s-{seq}", f"R{seq}", seq))


def test_zero_costs_become_unknown_and_documents_get_their_actor(pg_url) -> None:
    _upgrade_to(pg_url, "0007_web_users")
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO stores (store_id) VALUES ('S1')")
        conn.execute("INSERT INTO tills (till, store_id, role_name, public_key, key_id) "
                     "VALUES (%s, 'S1', 'till_s1_t01_test', %s, 'k')", (TILL, b"\x00" * 32))
        conn.execute("INSERT INTO md_tax_rates (code, name, rate_bp) VALUES ('A', 'Standard', 2000)")
        conn.execute("INSERT INTO md_products (id, sku, name, price, tax_code) VALUES ('p1', 'P1', 'Tea', 210, 'A')")
        conn.execute("INSERT INTO md_products (id, sku, name, price, cost, tax_code) "
                     "VALUES ('p2', 'P2', 'Jam', 400, 125, 'A')")
        before = dict(conn.execute("SELECT id, version FROM md_products").fetchall())
        ensure_partitions(conn, {month_start(date(2026, 3, 2))})
        _entry, body, digest = make_entry(till=TILL, seq=1, ts="2026-03-02T09:00:00.000000Z", type_="sale.completed",
                                  actor="u-anna", data={"sale_id": "s-1"}, prev="0" * 64)
        _doc(conn, 1, body, digest)
        _doc(conn, 2, b'{"actor":"\\u0000x"}', "b" * 64)  # jsonb refuses a NUL: that row stays NULL
    upgrade(pg_url)
    with psycopg.connect(pg_url) as conn:
        costs = dict(conn.execute("SELECT id, cost FROM md_products").fetchall())
        after = dict(conn.execute("SELECT id, version FROM md_products").fetchall())
        actors = dict(conn.execute("SELECT seq, actor FROM sales_docs").fetchall())
        cols = {r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns "
                                            "WHERE table_name = 'doc_lines'")}
    assert costs == {"p1": None, "p2": 125}
    assert after["p1"] > before["p1"] and after["p2"] == before["p2"]
    assert actors == {1: "u-anna", 2: None}
    assert "unit_cost" in cols
