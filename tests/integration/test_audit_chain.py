"""`audit verify` on a real history, then on copies of the file tampered with behind the
application's back (triggers dropped): it must name the first bad entry. And the append-only
triggers themselves refuse UPDATE and DELETE on the log and on finalised records."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.bootstrap import DB_NAME, open_till
from app.usecases import audit, cart_customer, cart_lifecycle, cart_lines, checkout, returns, shifts
from kernel.clock import ManualClock
from tests.support.tamper import tamper, verify
from tests.support.till import BARCODES, START, make_till

IMMUTABLE = ("audit_log", "sales", "sale_lines", "sale_payments", "sale_voids", "refunds", "refund_lines",
             "refund_payments", "cash_movements", "shift_closes", "drawer_openings", "customer_ledger",
             "stock_movements")


def _sell(ctx, codes, pay, customer=None):
    c = cart_lifecycle.start_cart(ctx, "anna")
    for code in codes:
        cart_lines.add_item(ctx, c, "anna", BARCODES[code])
    if customer:
        cart_customer.attach_customer(ctx, c, "anna", customer)
    for method, amount in pay:
        result = checkout.add_payment(ctx, c, "anna", method, amount)
    return result.sale


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """One till with a little of everything, closed and checkpointed: the file tests copy."""
    till = make_till(tmp_path_factory.mktemp("history") / "till")
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 10000)
    a = _sell(ctx, ["cheese", "milk"], [("cash", 2000)])
    b = _sell(ctx, ["bread"], [("card", 100), ("cash", 500)])
    c = _sell(ctx, ["milk"], [("account", 119)], customer="c-1")
    void = returns.void_sale(ctx, c.receipt_no, "anna", "wrong account", approval=till.approval())
    refund = returns.refund(ctx, a.receipt_no, "anna", [(a.lines[1].id, 1000)], approval=till.approval())
    shifts.cash_in(ctx, "anna", 500, "change")
    shifts.no_sale(ctx, "anna", "customer wanted change", approval=till.approval())
    with ctx.uow(read_only=True) as uow:
        expected = uow.shifts.expected_cash(uow.shifts.open_shift().id)
    shifts.close_shift(ctx, "anna", expected)
    report = audit.verify(ctx)
    assert report.ok, report.as_dict()
    with ctx.uow(read_only=True) as uow:
        seqs = {
            "sale_a": a.audit_seq, "sale_b": b.audit_seq, "void": void.audit_seq, "refund": refund.audit_seq,
            "sale_b_id": b.id, "sale_a_id": a.id, "refund_id": refund.id,
            "cash_in": uow.conn.execute(text("SELECT audit_seq FROM cash_movements")).scalar_one(),
            "close": uow.conn.execute(text("SELECT audit_seq FROM shift_closes")).scalar_one(),
            "head": report.entries,
        }
    ctx.close()
    return till.data_dir, seqs


@pytest.fixture
def copy(history, tmp_path):
    src, seqs = history
    dst = tmp_path / "till"
    dst.mkdir()
    for path in src.iterdir():
        shutil.copy2(path, dst / path.name)
    return dst, seqs


def test_an_untouched_copy_verifies(copy):
    data_dir, seqs = copy
    report = verify(data_dir)
    assert report.ok and report.first_bad_seq is None
    assert report.entries == seqs["head"]
    assert report.records_checked == 3 + 1 + 1 + 1 + 1 + 1 + 1  # sales, void, refund, cash in, drawer, shift, close


def test_a_deleted_audit_row(copy):
    data_dir, seqs = copy
    target = seqs["sale_b"] - 1  # a scan entry in the middle of the log
    tamper(data_dir, f"DELETE FROM audit_log WHERE seq = {target}")
    report = verify(data_dir)
    assert not report.ok
    assert report.first_bad_seq == target
    assert any(p.kind == "gap" for p in report.problems)


def test_a_deleted_record_entry(copy):
    data_dir, seqs = copy
    target = seqs["sale_b"]
    tamper(data_dir, f"DELETE FROM audit_log WHERE seq = {target}")
    assert verify(data_dir).first_bad_seq == target


def test_a_sale_total_changed(copy):
    data_dir, seqs = copy
    tamper(data_dir, "UPDATE sales SET gross = gross - 100 WHERE id = ?", params=(seqs["sale_b_id"],))
    report = verify(data_dir)
    assert report.first_bad_seq == seqs["sale_b"]
    assert "gross" in report.problems[0].message


def test_a_payment_amount_changed(copy):
    data_dir, seqs = copy
    tamper(data_dir, "UPDATE sale_payments SET amount = 1 WHERE sale_id = ? AND method = 'card'",
           params=(seqs["sale_b_id"],))
    assert verify(data_dir).first_bad_seq == seqs["sale_b"]


def test_a_sale_line_changed(copy):
    data_dir, seqs = copy
    tamper(data_dir, "UPDATE sale_lines SET qty_milli = 500 WHERE sale_id = ? AND position = 1",
           params=(seqs["sale_a_id"],))
    assert verify(data_dir).first_bad_seq == seqs["sale_a"]


def test_a_whole_sale_deleted(copy):
    data_dir, seqs = copy
    sale_id = seqs["sale_b_id"]
    tamper(data_dir, "DELETE FROM sale_payments WHERE sale_id = ?", "DELETE FROM sale_lines WHERE sale_id = ?",
           "DELETE FROM sales WHERE id = ?", params=(sale_id,))
    report = verify(data_dir)
    assert report.first_bad_seq == seqs["sale_b"]
    assert "missing" in report.problems[0].message


def test_a_refund_payment_and_a_cash_movement_changed(copy):
    data_dir, seqs = copy
    tamper(data_dir, "UPDATE refund_payments SET amount = amount + 1", "UPDATE cash_movements SET amount = 1")
    report = verify(data_dir)
    assert report.first_bad_seq == min(seqs["refund"], seqs["cash_in"])
    assert {p.seq for p in report.problems} >= {seqs["refund"], seqs["cash_in"]}


def test_a_shift_close_count_changed(copy):
    data_dir, seqs = copy
    tamper(data_dir, "UPDATE shift_closes SET counted_cash = counted_cash + 5000, difference = difference + 5000")
    assert verify(data_dir).first_bad_seq == seqs["close"]


def test_an_audit_body_edited(copy):
    data_dir, seqs = copy
    target = seqs["void"]
    tamper(data_dir, "UPDATE audit_log SET body = CAST(REPLACE(CAST(body AS TEXT), 'wrong account', 'fine') AS BLOB) "
                     f"WHERE seq = {target}")
    report = verify(data_dir)
    assert report.first_bad_seq == target
    assert any(p.kind == "hash" and p.seq == target for p in report.problems)


def test_an_audit_body_edited_with_its_hash_recomputed(copy):
    """Re-hashing the edited entry does not help: the next entry no longer links to it, and the
    log's actor column still says who the entry named before the edit."""
    data_dir, seqs = copy
    target = seqs["sale_a"] - 1
    con = sqlite3.connect(data_dir / DB_NAME)
    body = con.execute(f"SELECT body FROM audit_log WHERE seq = {target}").fetchone()[0]
    con.close()
    edited = bytes(body).replace(b'"anna"', b'"ben"', 1)
    assert edited != bytes(body)
    tamper(data_dir, f"UPDATE audit_log SET body = ?, hash = '{hashlib.sha256(edited).hexdigest()}' "
                     f"WHERE seq = {target}", params=(edited,))
    report = verify(data_dir)
    assert not report.ok and report.first_bad_seq == target
    assert {(p.seq, p.kind) for p in report.problems} >= {(target, "column"), (target + 1, "link")}


def test_entries_swapped(copy):
    data_dir, _ = copy
    tamper(data_dir, "UPDATE audit_log SET seq = -1 WHERE seq = 3", "UPDATE audit_log SET seq = 3 WHERE seq = 4",
           "UPDATE audit_log SET seq = 4 WHERE seq = -1")
    assert verify(data_dir).first_bad_seq == 3


@pytest.mark.parametrize("table", IMMUTABLE)
def test_triggers_refuse_update_and_delete_on_finalised_tables(copy, table):
    data_dir, _ = copy
    ctx = open_till(data_dir, clock=ManualClock(START))
    try:
        with ctx.uow() as uow:
            rows = uow.conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
        assert rows > 0, f"the history should have rows in {table}"
        for statement in (f"DELETE FROM {table}", f"UPDATE {table} SET rowid = rowid"):
            with ctx.uow() as uow, pytest.raises(IntegrityError, match="append-only"):
                uow.conn.exec_driver_sql(statement)
        with ctx.uow() as uow:
            assert uow.conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() == rows
    finally:
        ctx.close()
