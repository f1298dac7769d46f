"""Revision 0010_unit_cost on a till that has sold: a cost of 0 written before it becomes unknown
(NULL), a real cost stays, sale and refund lines get an empty `unit_cost`, and the table's
guards (append-only triggers, the name search, foreign keys) survive the column change. The
chain of the old sale still verifies, and the next sale records its cost."""

from __future__ import annotations

import sqlite3

from app.bootstrap import DB_NAME, open_till
from app.usecases import audit, cart_lifecycle, cart_lines, checkout, shifts
from db.migrate import downgrade
from kernel.clock import ManualClock
from tests.support.till import BARCODES, START, database_engine, make_till


def _sell(ctx, code: str):  # type: ignore[no-untyped-def]
    cart = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, cart, "anna", BARCODES[code])
    return checkout.add_payment(ctx, cart, "anna", "cash", 5_000).sale


def _columns(con: sqlite3.Connection, table: str) -> dict[str, int]:
    return {row[1]: row[3] for row in con.execute(f"PRAGMA table_info({table})")}  # name -> notnull


def test_zero_costs_become_unknown_and_the_guards_survive(tmp_path) -> None:
    till = make_till(tmp_path / "till")
    ctx = till.ctx
    with database_engine(ctx) as engine:
        downgrade(engine, "0009_master_versions")  # as a till before 0010 left it
    path = till.data_dir / DB_NAME
    con = sqlite3.connect(path)
    assert "unit_cost" not in _columns(con, "sale_lines") and _columns(con, "products")["cost"] == 1
    con.execute("UPDATE products SET cost = 61 WHERE id = 'p-milk'")  # bread stays at the old default 0
    con.commit()
    con.close()
    old = open_till(till.data_dir, clock=ManualClock(START))  # upgrades on open
    con = sqlite3.connect(path)
    costs = dict(con.execute("SELECT id, cost FROM products WHERE id IN ('p-milk', 'p-bread')"))
    assert costs == {"p-milk": 61, "p-bread": None}
    assert _columns(con, "products")["cost"] == 0
    assert "unit_cost" in _columns(con, "sale_lines") and "unit_cost" in _columns(con, "refund_lines")
    triggers = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"sale_lines_no_update", "refund_lines_no_delete", "products_fts_ai", "products_fts_au"} <= triggers
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()
    shifts.open_shift(old, "anna", 0)
    sale = _sell(old, "milk")
    assert sale.lines[0].unit_cost == 61
    assert [line.unit_cost for line in _sell(old, "bread").lines] == [None]
    with old.uow(read_only=True) as uow:
        assert [p.id for p in uow.catalogue.search("sourdough")] == ["p-bread"]  # the name search still works
    assert audit.verify(old).ok
    old.close()
