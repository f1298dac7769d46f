"""Edits to finalised records with the append-only triggers dropped and plain SQL, as someone
holding the till's file could make them: `audit verify` must fail and name the entry of the
changed record. Then the rule behind the cases: every column of every finalised table is
checked, or declared derived (app/audit/coverage.py)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from app.audit import coverage
from app.audit.format_v1 import make_entry
from app.audit.projections import ADDED_KEYS
from app.bootstrap import DB_NAME
from app.cli.main import main
from app.usecases import cart_customer, cart_lifecycle, cart_lines, checkout, customers, returns, shifts, stock
from tests.adversarial.schema import ROW_FILTER, entry_of_row, finalised_tables
from tests.support.tamper import drop_guards
from tests.support.till import BARCODES, make_till


def attack(live, *statements: str, params: tuple = ()):  # type: ignore[no-untyped-def]
    live.restore()
    for statement in statements:
        live.run(statement, params)
    return live.verify()


def named(report, seq: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.message for p in report.problems if p.seq == seq]


def _first_id(live, sql: str, params: tuple = ()) -> Any:  # type: ignore[no-untyped-def]
    live.restore()
    return live.con.execute(sql, params).fetchone()[0]


# -- the edits that passed as "OK" before ------------------------------------------------------

@pytest.mark.parametrize(("what", "statement", "target"), [
    ("who sold (commissions)", "UPDATE sales SET user_id = 'ben' WHERE audit_seq = ?", "card"),
    ("when it was sold", "UPDATE sales SET completed_at = '2026-03-01T23:59:00.000000Z' WHERE audit_seq = ?", "card"),
    ("a line's tax rate", "UPDATE sale_lines SET tax_rate_bp = 0 WHERE sale_id = (SELECT id FROM sales "
                          "WHERE audit_seq = ?)", "cash"),
    ("a card payment's reference", "UPDATE sale_payments SET reference = 'AUTH-0000' WHERE sale_id = (SELECT id "
                                   "FROM sales WHERE audit_seq = ?)", "card"),
    ("when the sale was started", "UPDATE sales SET started_at = NULL WHERE audit_seq = ?", "cash"),
    ("a cash-in turned into a cash-out", "UPDATE cash_movements SET kind = 'out' WHERE audit_seq = ?", "cash_in"),
    ("a cash-out turned into a cash-in", "UPDATE cash_movements SET kind = 'in' WHERE audit_seq = ?", "cash_out"),
    ("who took the cash out", "UPDATE cash_movements SET user_id = 'ben' WHERE audit_seq = ?", "cash_out"),
    ("when the cash came in", "UPDATE cash_movements SET created_at = '2026-03-02T08:00:00.000000Z' "
                              "WHERE audit_seq = ?", "cash_in"),
    ("an account charge made smaller", "UPDATE customer_ledger SET amount = 1 WHERE audit_seq = ?", "on_account"),
    ("an account charge falling due later", "UPDATE customer_ledger SET due_date = '2027-01-01' "
                                            "WHERE audit_seq = ?", "on_account"),
    ("an account payment made bigger", "UPDATE customer_ledger SET amount = -20000 WHERE audit_seq = ?",
     "account_card"),
    ("a sold quantity taken ten times out of stock",
     "UPDATE stock_movements SET delta_milli = delta_milli * 10 WHERE id IN "
     "(SELECT movement_id FROM stock_movement_entries WHERE audit_seq = ?)", "cash"),
    ("a delivery booked on another product",
     "UPDATE stock_movements SET product_id = 'p-cheese' WHERE id IN "
     "(SELECT movement_id FROM stock_movement_entries WHERE audit_seq = ?)", "delivery"),
    ("a refund line pointed at another sale line",
     "UPDATE refund_lines SET sale_line_id = sale_line_id || 'x' WHERE refund_id = (SELECT id FROM refunds "
     "WHERE audit_seq = ?)", "refund"),
    ("the counted close changed by denomination",
     "UPDATE cash_counts SET quantity = quantity + 1 WHERE kind = 'close' AND denomination = 2000 "
     "AND shift_id = (SELECT shift_id FROM shift_closes WHERE audit_seq = ?)", "close"),
    ("a Z report's stored figures", "UPDATE z_reports SET report_json = replace(report_json, '\"count\": 1', "
                                    "'\"count\": 2') WHERE audit_seq = ?", "z"),
    ("the log's type column (what reports filter on)", "UPDATE audit_log SET type = 'cart.cancelled' WHERE seq = ?",
     "card"),
    ("the log's ts column", "UPDATE audit_log SET ts = '2026-03-02T01:00:00.000000Z' WHERE seq = ?", "card"),
    ("the log's actor column (failed-login counts)", "UPDATE audit_log SET actor = 'ben' WHERE seq = ?", "card"),
])
def test_an_edit_to_a_finalised_record_names_its_entry(live, history, what, statement, target):
    seq = history[1][target]
    report = attack(live, statement, params=(seq,))
    assert not report.ok, what
    assert report.first_bad_seq == seq, (what, report.as_dict()["problems"])


def test_a_flipped_cash_movement_says_what_its_entry_is(live, history):
    seq = history[1]["cash_in"]
    [message] = named(attack(live, "UPDATE cash_movements SET kind = 'out' WHERE audit_seq = ?", params=(seq,)), seq)
    assert "cash.out" in message and "'cash.in'" in message


def test_every_ledger_row_deleted(live, history):
    """A customer's debt vanishes: each entry that made a ledger row says its row is missing."""
    seqs = history[1]
    report = attack(live, "DELETE FROM customer_ledger")
    ledger_entries = {seqs[k] for k in ("on_account", "voided", "void", "account_refund", "account_cash",
                                        "account_card")}
    assert {p.seq for p in report.problems if p.kind == "ledger"} == ledger_entries
    assert report.first_bad_seq == seqs["on_account"]


def test_a_ledger_row_with_no_entry(live, history):
    seqs = history[1]
    report = attack(live, "INSERT INTO customer_ledger (id, customer_id, kind, amount, ref_id, business_date, "
                          "due_date, created_at, audit_seq) VALUES ('forged', 'c-1', 'payment', -5000, 'forged', "
                          "'2026-03-02', NULL, '2026-03-02T10:00:00.000000Z', ?)", params=(seqs["card"],))
    assert any("'forged'" in m for m in named(report, seqs["card"]))
    report = attack(live, "INSERT INTO customer_ledger (id, customer_id, kind, amount, ref_id, business_date, "
                          "due_date, created_at, audit_seq) VALUES ('forged', 'c-1', 'payment', -5000, 'forged', "
                          "'2026-03-02', NULL, '2026-03-02T10:00:00.000000Z', 99999)")
    assert any("'forged'" in p.message and "records no ledger row" in p.message for p in report.problems)


def test_a_stock_movement_deleted_with_its_link(live, history):
    seq = history[1]["delivery"]
    movement = _first_id(live, "SELECT movement_id FROM stock_movement_entries WHERE audit_seq = ?", (seq,))
    report = attack(live, "DELETE FROM stock_movement_entries WHERE movement_id = ?",
                    "DELETE FROM stock_movements WHERE id = ?", params=(movement,))
    assert report.first_bad_seq == seq and "missing" in named(report, seq)[0]


def test_a_stock_movement_whose_link_is_gone(live, history):
    seq = history[1]["delivery"]
    movement = _first_id(live, "SELECT movement_id FROM stock_movement_entries WHERE audit_seq = ?", (seq,))
    report = attack(live, "DELETE FROM stock_movement_entries WHERE movement_id = ?", params=(movement,))
    assert report.first_bad_seq == seq
    assert any(f"stock movement {movement} ('delivery') has no audit entry" in p.message for p in report.problems)


def test_a_stock_movement_no_entry_made(live):
    report = attack(live, "INSERT INTO stock_movements (product_id, delta_milli, reason, ref_id, created_at) "
                          "VALUES ('p-milk', 40000, 'delivery', NULL, '2026-03-02T12:00:00.000000Z')")
    assert not report.ok and any("has no audit entry" in p.message for p in report.problems)


def test_a_stock_link_to_an_entry_that_moves_no_stock(live, history):
    seqs = history[1]
    movement = _first_id(live, "SELECT movement_id FROM stock_movement_entries WHERE audit_seq = ?",
                         (seqs["delivery"],))
    report = attack(live, "UPDATE stock_movement_entries SET audit_seq = ? WHERE movement_id = ?",
                    params=(seqs["cash_in"], movement))
    assert report.first_bad_seq == seqs["cash_in"]
    assert seqs["delivery"] in {p.seq for p in report.problems}


def test_a_closed_shift_reopened(live, history):
    seqs = history[1]
    shift_seq = _first_id(live, "SELECT audit_seq FROM shifts")
    report = attack(live, "UPDATE shifts SET status = 'ACTIVE'")
    assert any("'status'" in m for m in named(report, shift_seq))
    assert report.first_bad_seq == shift_seq < seqs["close"]


def test_a_whole_sale_deleted_with_everything_it_wrote(live, history):
    seqs = history[1]
    sale_id = history[1]["on_account_id"]
    report = attack(live, "DELETE FROM sale_payments WHERE sale_id = ?", "DELETE FROM sale_lines WHERE sale_id = ?",
                    "DELETE FROM sales WHERE id = ?", "DELETE FROM customer_ledger WHERE ref_id = ?",
                    params=(sale_id,))
    assert report.first_bad_seq == seqs["on_account"]
    assert any("missing" in m for m in named(report, seqs["on_account"]))


def test_the_cli_exits_1_and_names_the_entry(copy, capsys):
    data_dir, seqs = copy
    con = sqlite3.connect(data_dir / DB_NAME)
    drop_guards(con)
    con.execute("UPDATE cash_movements SET kind = 'out' WHERE audit_seq = ?", (seqs["cash_in"],))
    con.commit()
    con.close()
    assert main(["--data-dir", str(data_dir), "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert f"first bad entry is #{seqs['cash_in']}" in out


# -- entries written before the added keys ----------------------------------------------------

def _without_added_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_added_keys(v) for k, v in value.items() if k not in ADDED_KEYS}
    if isinstance(value, list):
        return [_without_added_keys(v) for v in value]
    return value


def test_entries_without_the_added_keys_still_verify(tmp_path):
    """A till that wrote its entries before the keys of ADDED_KEYS existed: rewritten here as such a
    till would have written them (no checkpoint yet, so the chain is all there is to rewrite)."""
    till = make_till(tmp_path / "till")
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 5000)
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["milk"])
    cart_customer.attach_customer(ctx, c, "anna", "c-1")
    sale = checkout.add_payment(ctx, c, "anna", "account", 119).sale
    returns.refund(ctx, sale.receipt_no, "anna", [(sale.lines[0].id, 1000)], approval=till.approval())
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["bread"])
    other = checkout.add_payment(ctx, c, "anna", "card", 349, reference="R1").sale
    returns.void_sale(ctx, other.receipt_no, "anna", "mistake", approval=till.approval())
    shifts.cash_in(ctx, "anna", 100, "coins")
    shifts.no_sale(ctx, "anna", "change", approval=till.approval())
    customers.take_account_payment(ctx, "c-1", "anna", 50, "cash")
    stock.receive(ctx, "anna", "MILK1", 1000)
    ctx.close()
    con = sqlite3.connect(till.data_dir / DB_NAME)
    drop_guards(con)
    prev = "0" * 64
    for seq, body in con.execute("SELECT seq, body FROM audit_log ORDER BY seq").fetchall():
        entry = json.loads(body)
        _, new_body, digest = make_entry(till=entry["till"], seq=seq, ts=entry["ts"], type_=entry["type"],
                                         actor=entry["actor"], data=_without_added_keys(entry["data"]), prev=prev)
        con.execute("UPDATE audit_log SET body = ?, prev = ?, hash = ? WHERE seq = ?", (new_body, prev, digest, seq))
        prev = digest
    con.commit()
    old_style = con.execute("SELECT count(*) FROM audit_log WHERE CAST(body AS TEXT) LIKE '%product_id%'").fetchone()
    con.close()
    assert old_style == (0,)
    assert main(["--data-dir", str(till.data_dir), "audit", "verify"]) == 0


# -- the rule: every column of every finalised table --------------------------------------------

def _changed(value: Any, declared: str) -> Any:
    if isinstance(value, bytes):
        return value + b" "
    if isinstance(value, int):
        return value + 100_003
    if isinstance(value, str):
        return value + "~"
    return 7 if "INT" in declared.upper() else "tampered"


def test_every_column_of_every_finalised_table_is_checked_or_declared_derived(live, history):
    """Walks PRAGMA table_info: a column `audit verify` does not hold to its entry must be in
    app/audit/coverage.py DERIVED with its reason; anything else is changed in one row with an
    entry behind it, and `audit verify` must name that entry."""
    with sqlite3.connect(history[0] / DB_NAME) as con:
        tables = finalised_tables(con)
        schema = {t: [(c[1], c[2]) for c in con.execute(f'PRAGMA table_info("{t}")')] for t in tables}
    assert {"sales", "sale_lines", "customer_ledger", "stock_movements", "audit_log", "z_reports"} <= set(tables)
    for table, columns in coverage.DERIVED.items():
        assert table in schema, f"coverage.DERIVED names {table}, which is not a finalised table"
        for column, why in columns.items():
            assert column in dict(schema[table]) and len(why) > 20, f"{table}.{column}: stale or unexplained"
    unchecked = []
    for table in tables:
        for column, declared in schema[table]:
            if column in coverage.DERIVED.get(table, {}):
                continue
            live.restore()
            where = ROW_FILTER.get(table, "1")
            row = live.con.execute(f'SELECT rowid, "{column}" FROM "{table}" WHERE {where} '
                                   f'ORDER BY "{column}" IS NULL, rowid DESC LIMIT 1').fetchone()
            assert row is not None, f"the history has no row in {table}: the walk cannot test it"
            rowid, value = row
            seq = entry_of_row(live.con, table, rowid)
            live.run(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?', (_changed(value, declared), rowid))
            report = live.verify()
            if seq not in {p.seq for p in report.problems}:
                unchecked.append(f"{table}.{column} (row {rowid}, entry #{seq}): "
                                 + ("passes as OK" if report.ok else f"only {report.as_dict()['problems'][:2]}"))
    assert not unchecked, ("columns neither checked by audit verify nor declared in app/audit/coverage.py "
                           "DERIVED:\n  " + "\n  ".join(unchecked))
