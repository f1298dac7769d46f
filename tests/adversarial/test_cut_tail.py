"""The newest entries cut off with plain SQL (triggers dropped), every record they wrote deleted
with them, and one local trace left behind: `audit verify` must name it (kind `tail`, at the first
missing entry). Cut with every trace removed, the till alone cannot tell: the receipt is then the
outside anchor (`audit verify --receipt`)."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from app.audit.anchor import parse_anchor
from app.bootstrap import DB_NAME, open_till
from app.cli.main import main
from app.usecases import cart_lifecycle, cart_lines, checkout, settings, shifts
from devices.escpos_decode import decode
from kernel.clock import ManualClock
from tests.support.tamper import cut_tail, tamper, verify
from tests.support.till import BARCODES, START, make_till

SALES = 12  # the history's four sales are entries 5..11; its void, refunds and the rest come after


def tail(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.message for p in report.problems if p.kind == "tail"]


def test_a_tail_cut_with_every_trace_removed_passes_locally(copy):
    """The accepted limit, kept honest: nothing on the till shows this cut."""
    data_dir, _seqs = copy
    cut_tail(data_dir, SALES)
    report = verify(data_dir)
    assert report.ok, report.as_dict()["problems"]
    assert report.entries == SALES


def test_the_days_receipt_counter_above_the_last_receipt(copy, capsys):
    data_dir, _seqs = copy
    cut_tail(data_dir, SALES, leave=("receipt_counters",))
    report = verify(data_dir)
    [message] = tail(report)
    assert "receipt counter of 2026-03-02 stands at 6" in message and "number 4" in message
    assert report.first_bad_seq == SALES + 1
    assert main(["--data-dir", str(data_dir), "audit", "verify"]) == 1
    assert f"first bad entry is #{SALES + 1}" in capsys.readouterr().out


def test_a_receipt_counter_behind_the_log(copy):
    data_dir, _seqs = copy
    tamper(data_dir, "UPDATE receipt_counters SET last_no = 2")
    assert any("below receipt number 6" in m for m in tail(verify(data_dir)))


def test_a_cart_that_became_a_sale_the_log_lost(copy):
    data_dir, seqs = copy
    cut_tail(data_dir, seqs["voided"] - 1, leave=("carts",))
    [message] = tail(verify(data_dir))
    assert "became sale" in message and "no sale.completed entry" in message


def _second_shift(data_dir):  # type: ignore[no-untyped-def]
    """The next day's shift opened and one sale made after the history's last entry."""
    ctx = open_till(data_dir, clock=ManualClock(START + timedelta(days=1)))
    shifts.open_shift(ctx, "anna", 5000)
    cart = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, cart, "anna", BARCODES["milk"])
    checkout.add_payment(ctx, cart, "anna", "cash", 500)
    ctx.close()


def test_a_shift_row_whose_opening_was_cut(copy):
    data_dir, seqs = copy
    _second_shift(data_dir)
    cut_tail(data_dir, seqs["head"], leave=("shifts",))
    report = verify(data_dir)
    assert any(m.startswith("shift row names shift") and "no shift.opened entry" in m for m in tail(report))
    assert report.first_bad_seq == seqs["head"] + 1


def test_a_cart_naming_a_shift_the_log_never_opened(copy):
    data_dir, seqs = copy
    _second_shift(data_dir)
    cut_tail(data_dir, seqs["head"], leave=("carts",))
    messages = tail(verify(data_dir))
    assert any(m.startswith("cart ") and "names shift" in m for m in messages), messages


def test_sync_marks_beyond_the_head(copy):
    data_dir, seqs = copy
    tamper(data_dir, "INSERT INTO sync_state (key, value) VALUES ('pushed_seq', '31'), ('recheck_seq', '20')")
    tamper(data_dir, "INSERT INTO stock_central (product_id, on_hand_milli, counted_seq, version, pulled_at) "
                     "VALUES ('p-milk', 1000, 30, 1, '2026-03-02T12:00:00.000000Z')")
    cut_tail(data_dir, SALES, leave=("sync_marks",))
    messages = tail(verify(data_dir))
    assert any("'pushed_seq' names audit entry #31" in m for m in messages), messages
    assert any("'recheck_seq' names audit entry #20" in m for m in messages)
    assert any("stock figure for product 'p-milk' names audit entry #30" in m for m in messages)


@pytest.fixture
def printing(tmp_path):  # type: ignore[no-untyped-def]
    """A till with a receipt printer set up (jobs wait in the spool: no device worker runs) and a
    shift with one cash sale whose receipt is in the spool."""
    till = make_till(tmp_path / "till")
    ctx = settings.update(till.ctx, "admin", {"device.printer": f"escpos+file://{tmp_path / 'lp0'}"})
    shifts.open_shift(ctx, "anna", 5000)
    head = _sell(ctx)
    ctx.close()
    return till.data_dir, head


def _sell(ctx):  # type: ignore[no-untyped-def]
    cart = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, cart, "anna", BARCODES["bread"])
    return checkout.add_payment(ctx, cart, "anna", "cash", 500).sale


def _receipts(data_dir) -> list[bytes]:  # type: ignore[no-untyped-def]
    with sqlite3.connect(data_dir / DB_NAME) as con:
        return [bytes(b) for (b,) in con.execute("SELECT body FROM print_jobs WHERE kind = 'receipt' ORDER BY id")]


def test_every_receipt_prints_its_entry_as_text_and_qr(printing, capsys):
    data_dir, sale = printing
    [body] = _receipts(data_dir)
    printed = decode(body)
    with sqlite3.connect(data_dir / DB_NAME) as con:
        digest = con.execute("SELECT hash FROM audit_log WHERE seq = ?", (sale.audit_seq,)).fetchone()[0]
    assert f"seq={sale.audit_seq} h={digest[:16]}" in printed.text.splitlines()
    [qr] = [c.args["data"] for c in printed.named("qr")]
    assert parse_anchor(qr) == (sale.receipt_no, sale.audit_seq, digest[:16])
    assert main(["--data-dir", str(data_dir), "audit", "verify", "--receipt", qr]) == 0
    assert capsys.readouterr().out.startswith(f"OK: receipt {sale.receipt_no} is audit entry #{sale.audit_seq}")


def test_a_print_job_of_a_receipt_the_log_lost(printing):
    data_dir, sale = printing
    cut_tail(data_dir, sale.audit_seq - 1, leave=("print_jobs",))
    messages = tail(verify(data_dir))
    assert any(f"the receipt {sale.receipt_no!r}, which no entry in the log issued" in m for m in messages), messages


def test_a_print_job_printing_an_entry_beyond_the_head(printing):
    """The job's receipt number renamed to one the log has: its printed seq still gives it away."""
    data_dir, sale = printing
    ctx = open_till(data_dir, clock=ManualClock(START + timedelta(minutes=30)))
    second = _sell(ctx)
    ctx.close()
    cut_tail(data_dir, second.audit_seq - 1, leave=("print_jobs",))
    tamper(data_dir, "UPDATE print_jobs SET ref = ? WHERE ref = ?", params=(sale.receipt_no, second.receipt_no))
    messages = tail(verify(data_dir))
    assert any(f"prints audit entry #{second.audit_seq}, but the log ends at #{second.audit_seq - 1}" in m
               for m in messages), messages


# -- a customer's receipt against the log -------------------------------------------------------

def _line(data_dir, seq: int) -> str:  # type: ignore[no-untyped-def]
    with sqlite3.connect(data_dir / DB_NAME) as con:
        body, digest = con.execute("SELECT body, hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
    return f"{json.loads(body)['data']['receipt_no']} seq={seq} h={digest[:16]}"


def _receipt(data_dir, line: str, capsys) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(["--data-dir", str(data_dir), "audit", "verify", "--receipt", line])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_receipt_matches_its_entry(copy, capsys):
    data_dir, seqs = copy
    code, out = _receipt(data_dir, _line(data_dir, seqs["card"]), capsys)
    assert code == 0 and "chain up to it is intact" in out


def test_a_receipt_whose_entry_was_cut_off(copy, capsys):
    data_dir, seqs = copy
    line = _line(data_dir, seqs["voided"])
    cut_tail(data_dir, seqs["voided"] - 1)
    assert verify(data_dir).ok  # the till alone cannot tell ...
    code, out = _receipt(data_dir, line, capsys)  # ... the customer's receipt can
    assert code == 1 and f"the log ends at #{seqs['voided'] - 1}" in out


def test_a_receipt_whose_entry_was_rewritten(copy, capsys):
    data_dir, seqs = copy
    number, _seq, digest = parse_anchor(_line(data_dir, seqs["card"]))
    wrong = ("0" if digest[0] != "0" else "1") + digest[1:]
    code, out = _receipt(data_dir, f"{number} seq={seqs['card']} h={wrong}", capsys)
    assert code == 1 and "the log was rewritten" in out


def test_a_receipt_naming_another_sales_entry(copy, capsys):
    data_dir, seqs = copy
    number, _seq, _digest = parse_anchor(_line(data_dir, seqs["cash"]))
    _n, seq, digest = parse_anchor(_line(data_dir, seqs["card"]))
    code, out = _receipt(data_dir, f"{number} seq={seq} h={digest}", capsys)
    assert code == 1 and f"not the sale of receipt {number}" in out


def test_a_receipt_of_another_till(copy, capsys):
    data_dir, seqs = copy
    line = _line(data_dir, seqs["card"]).replace("S001-T01", "S001-T02")
    code, out = _receipt(data_dir, line, capsys)
    assert code == 1 and "not from this till" in out


@pytest.mark.parametrize("line", ["", "garbage", "S001-T01-20260302-0001 seq=5", "S001-T01-20260302-0001 seq=x h=ab",
                                  "S001-T01-20260302-0001 seq=5 h=3fa9", "seq=5 h=3fa9c0d18e2b4a77",
                                  "S001-T01-20260302-0001 seq=5 h=3fa9c0d18e2b4a77 extra", "\x1b[2J seq=1 h=00000000"])
def test_an_unparsable_receipt_line_is_exit_2(copy, capsys, line):
    data_dir, _seqs = copy
    code, out = _receipt(data_dir, line, capsys)
    assert code == 2 and "as it is printed" in out and "Traceback" not in out


def test_unset_sync_marks_are_no_sign(copy):
    """A pull with nothing refused writes empty values; they name no entry."""
    data_dir, _seqs = copy
    tamper(data_dir, "INSERT INTO sync_state (key, value) VALUES ('witness_retry_from', ''), ('witness_error', ''), "
                     "('recheck_seq', ''), ('pushed_seq', '31')")
    assert verify(data_dir).ok
