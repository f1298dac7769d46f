"""The till schema: built from empty, each newest revision down and up again, the whole tree
down to nothing and back, and a database from a newer Tillstone refused with a clear message."""

from __future__ import annotations

import json
import sqlite3

import pytest
from alembic.script import ScriptDirectory

import db.models  # noqa: F401 - registers every table
from app.bootstrap import DB_NAME, open_till
from app.cli.main import main
from app.usecases import audit, cart_lifecycle, cart_lines, checkout, shifts
from db.engine import make_engine
from db.migrate import SchemaTooNewError, current_revisions, downgrade, till_config, upgrade_to_head
from db.models.base import Base
from kernel.clock import ManualClock
from tests.support.till import BARCODES, START, database_engine, make_till


def schema(path):
    con = sqlite3.connect(path)
    try:
        return sorted(con.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version' AND name NOT LIKE 'alembic_version%'").fetchall(), key=str)
    finally:
        con.close()


def heads(engine):
    return set(ScriptDirectory.from_config(till_config(engine)).get_heads())


def core_heads(engine):
    """The newest revisions that grow from 0001_core."""
    script = ScriptDirectory.from_config(till_config(engine))
    return sorted(h for h in script.get_heads()
                  if "0001_core" in {r.revision for r in script.iterate_revisions(h, "base")})


@pytest.fixture
def fresh(tmp_path):
    path = tmp_path / "fresh.sqlite"
    engine = make_engine(path)
    upgrade_to_head(engine)
    yield engine, path
    engine.dispose()


def test_upgrade_from_empty_builds_every_table_and_guard(fresh):
    engine, path = fresh
    assert current_revisions(engine) == heads(engine)
    names = {name for kind, name, _t, _s in schema(path) if kind == "table"}
    assert {table.name for table in Base.metadata.sorted_tables} <= names
    triggers = {name for kind, name, _t, _s in schema(path) if kind == "trigger"}
    for table in ("audit_log", "sales", "sale_payments", "refunds", "cash_movements", "shift_closes"):
        assert {f"{table}_no_update", f"{table}_no_delete"} <= triggers
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_upgrading_twice_changes_nothing(fresh):
    engine, path = fresh
    before = schema(path)
    upgrade_to_head(engine)
    assert schema(path) == before


def test_each_newest_revision_goes_down_and_up_again(fresh):
    engine, path = fresh
    built = schema(path)
    tops = core_heads(engine)
    assert tops, "0001_core should have at least one revision"
    for head in tops:
        downgrade(engine, f"{head}@-1")
        assert head not in current_revisions(engine)
        upgrade_to_head(engine)
        assert current_revisions(engine) == heads(engine)
        assert schema(path) == built, f"{head} does not come back the same"


def test_the_whole_tree_goes_down_to_nothing_and_back(fresh):
    engine, path = fresh
    built = schema(path)
    downgrade(engine, "base")
    assert current_revisions(engine) == set()
    assert [row for row in schema(path) if row[0] in ("table", "trigger")] == []
    upgrade_to_head(engine)
    assert schema(path) == built


def test_a_newest_revision_goes_down_and_up_under_a_till_with_sales(tmp_path):
    till = make_till(tmp_path / "till")
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    _sell_cheese(ctx)
    _down_one_revision_each(ctx)
    reopened = open_till(till.data_dir, clock=ManualClock(START))  # upgrades on open
    with database_engine(reopened) as engine:
        assert current_revisions(engine) == heads(engine)
    report = audit.verify(reopened)
    assert report.ok and report.records_checked == 2  # the shift and its sale
    reopened.close()


def _down_one_revision_each(ctx):
    """Take back the newest revision of every area grown from 0001_core, as an older Tillstone left it."""
    with database_engine(ctx) as engine:
        for head in core_heads(engine):
            downgrade(engine, f"{head}@-1")


def _forget_costs(ctx):
    ctx.close()
    con = sqlite3.connect(ctx.data_dir / DB_NAME)
    con.execute("UPDATE products SET cost = NULL")
    con.commit()
    con.close()


def _sell_cheese(ctx):
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    return checkout.add_payment(ctx, c, "anna", "cash", 2000).sale.receipt_no


def test_the_receipt_counter_carries_on_across_an_upgrade(tmp_path):
    """A till upgraded mid-day numbers its next receipt right after the last one: no gap, no number twice."""
    till = make_till(tmp_path / "till")
    shifts.open_shift(till.ctx, "anna", 0)
    before = [_sell_cheese(till.ctx), _sell_cheese(till.ctx)]
    assert before == ["S001-T01-20260302-0001", "S001-T01-20260302-0002"]
    _down_one_revision_each(till.ctx)
    reopened = open_till(till.data_dir, clock=till.clock)  # upgrades on open
    assert _sell_cheese(reopened) == "S001-T01-20260302-0003"
    with reopened.uow(read_only=True) as uow:
        assert uow.sales.receipts_of_day("2026-03-02") == [*before, "S001-T01-20260302-0003"]
    reopened.close()


def test_a_database_from_a_newer_tillstone_is_refused(tmp_path):
    till = make_till(tmp_path / "till")
    till.ctx.close()
    path = till.data_dir / DB_NAME
    con = sqlite3.connect(path)
    con.execute("INSERT INTO alembic_version (version_num) VALUES ('0099_from_the_future')")
    con.commit()
    con.close()
    before = schema(path)
    with pytest.raises(SchemaTooNewError, match=r"newer version of Tillstone \(schema 0099_from_the_future\)"):
        open_till(till.data_dir, clock=ManualClock(START))
    assert schema(path) == before
    con = sqlite3.connect(path)
    versions = {row[0] for row in con.execute("SELECT version_num FROM alembic_version")}
    con.close()
    assert "0099_from_the_future" in versions


def test_a_till_with_outbox_rows_upgrades_and_its_chain_still_verifies(tmp_path, capsys):
    """Tills from before 0007_drop_outbox hold one outbox row per audit entry; the upgrade drops
    them without touching the chain, and the till goes on selling."""
    till = make_till(tmp_path / "till")
    ctx = till.ctx
    _forget_costs(ctx)  # a sale with a known unit cost has no place below 0010_unit_cost
    shifts.open_shift(ctx, "anna", 0)
    _sell_cheese(ctx)
    with database_engine(ctx) as engine:
        downgrade(engine, "0007_drop_outbox")  # first what builds on it (0009_master_versions)
        downgrade(engine, "0007_drop_outbox@-1")
    path = till.data_dir / DB_NAME
    con = sqlite3.connect(path)
    entries = con.execute("SELECT seq, type, ts, hash FROM audit_log ORDER BY seq").fetchall()
    outbox = con.execute("SELECT audit_seq, topic, created_at FROM outbox ORDER BY audit_seq").fetchall()
    con.close()
    assert len(entries) == 3  # the shift, the scan, the sale
    assert outbox == [(seq, type_.split(".")[0], ts) for seq, type_, ts, _h in entries]

    reopened = open_till(till.data_dir, clock=ManualClock(START))  # upgrades on open
    with database_engine(reopened) as engine:
        assert current_revisions(engine) == heads(engine)
    c = cart_lifecycle.start_cart(reopened, "anna")
    cart_lines.add_item(reopened, c, "anna", BARCODES["milk"])
    checkout.add_payment(reopened, c, "anna", "cash", 1000)
    reopened.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'outbox'").fetchone()[0] == 0
    assert con.execute("SELECT seq, type, ts, hash FROM audit_log WHERE seq <= ? ORDER BY seq",
                       (len(entries),)).fetchall() == entries
    con.close()
    assert main(["--data-dir", str(till.data_dir), "audit", "verify", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["records_checked"] == 3  # the shift and its two sales
