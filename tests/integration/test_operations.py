"""Seed 002's operational commands as cron runs them: commission for the previous month with
tax and status, e-mailed or dry-run; close-expired telling the supervisors; reconciliation
reminders to each cashier with their own totals and to the admins."""

from __future__ import annotations

import io
import json
import random
import sqlite3
from contextlib import redirect_stderr, redirect_stdout
from decimal import Decimal
from pathlib import Path

import pytest

from app.cli.main import main
from app.reports import registry
from app.reports.commission import previous_month
from app.reports.daily import z_report
from app.usecases import cart_lifecycle, cart_lines, checkout, returns, shifts
from tests.support.days import run_shift
from tests.support.smtp import Inbox, configure_smtp
from tests.support.till import BARCODES, Till


def cli(data_dir: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--data-dir", str(data_dir), *argv])
    return code, out.getvalue(), err.getvalue()


def _sql(till: Till, query: str) -> list[tuple]:
    db = sqlite3.connect(till.data_dir / "till.sqlite")
    try:
        return db.execute(query).fetchall()
    finally:
        db.close()


def test_previous_month_wraps_the_year() -> None:
    from datetime import date

    assert previous_month(date(2026, 1, 15)) == (12, 2025)
    assert previous_month(date(2026, 3, 1)) == (2, 2026)


def test_commission_defaults_to_last_month_with_tax_and_status(till: Till) -> None:
    day = till.ctx.business_date()  # 2026-03-02
    run_shift(till, random.Random(3), "anna", 6)
    shifts.open_shift(till.ctx, "ben", 5_000)
    cart_id = cart_lifecycle.start_cart(till.ctx, "ben")
    cart_lines.add_item(till.ctx, cart_id, "ben", BARCODES["cheese"])
    voided = checkout.add_payment(till.ctx, cart_id, "ben", "card", 1290).sale
    returns.void_sale(till.ctx, voided.receipt_no, "ben", "wrong", approval=till.approval())
    with till.ctx.uow(read_only=True) as uow:
        expected = uow.shifts.expected_cash(uow.shifts.open_shift().id)
    shifts.close_shift(till.ctx, "ben", expected)

    open_day = registry.make_report("commission", till.ctx, month=3, year=2026)
    anna = {r["user_id"]: r for r in open_day["cashiers"]}["anna"]
    assert anna["status"]["final"] == "0.00" and anna["status"]["pending"] != "0.00"
    [(tax_sum, refund_tax)] = _sql(till, "SELECT (SELECT SUM(tax) FROM sales WHERE user_id='anna' AND id NOT IN "
                                         "(SELECT sale_id FROM sale_voids)), (SELECT COALESCE(SUM(tax), 0) FROM "
                                         "refunds WHERE user_id='anna')")
    assert Decimal(anna["tax_collected"]) == Decimal(tax_sum - refund_tax) / 100
    ben = {r["user_id"]: r for r in open_day["cashiers"]}["ben"]
    assert ben["voided_count"] == 1 and ben["status"]["cancelled"] == "0.13"  # 1 % of the voided 12.90 sale
    assert ben["sales_net"] == "0.00" and ben["commission"] == "0.00"

    z_report(till.ctx, day, user_id="sofia")
    closed = registry.make_report("commission", till.ctx, month=3, year=2026)
    anna = {r["user_id"]: r for r in closed["cashiers"]}["anna"]
    assert anna["status"]["pending"] == "0.00" and anna["status"]["final"] == anna["commission"] != "0.00"
    assert closed["total_transactions"] == sum(r["transactions"] for r in closed["cashiers"])

    till.clock.advance(days=31)  # now April: the default month is March
    default = registry.make_report("commission", till.ctx)
    assert (default["from"], default["to"]) == ("2026-03-01", "2026-03-31")
    assert default["total_commission"] == closed["total_commission"]
    code, out, _ = cli(till.data_dir, "report", "commission", "--json")  # the real clock: some earlier month
    assert code == 0 and json.loads(out)["from"].endswith("-01")


def test_commission_mail_and_dry_run(till: Till, server: Inbox, smtp_port: int) -> None:
    configure_smtp(till, smtp_port)
    run_shift(till, random.Random(5), "anna", 4)
    code, out, _ = cli(till.data_dir, "report", "commission", "--month", "3", "--year", "2026",
                       "--email", "pay@shop.example", "--dry-run")
    assert code == 0 and "Dry run: nothing was sent." in out and server.messages == []
    assert _sql(till, "SELECT COUNT(*) FROM mail_queue") == [(0,)]
    code, out, _ = cli(till.data_dir, "report", "commission", "--month", "3", "--year", "2026",
                       "--email", "pay@shop.example")
    assert code == 0, out
    [(rcpts, body)] = server.messages
    assert rcpts == ["pay@shop.example"] and "tax collected" in body and "Anna" in body
    code, _, _ = cli(till.data_dir, "report", "commission", "--month", "3", "--year", "2026", "--send")
    assert code == 0 and sorted(server.messages[1][0]) == ["boss@shop.example", "ops@shop.example"]


@pytest.mark.parametrize("argv", [
    ("report", "commission", "--month", "3"),
    ("report", "commission", "--year", "2026"),
    ("report", "commission", "--month", "3", "--year", "20266"),
    ("report", "commission", "--month", "3", "--year", "2026", "--email", "not an address"),
])
def test_commission_bad_arguments_exit_2_and_queue_nothing(till: Till, argv: tuple[str, ...]) -> None:
    code, _, err = cli(till.data_dir, *argv)
    assert code == 2 and err
    assert _sql(till, "SELECT COUNT(*) FROM mail_queue") == [(0,)]


def test_close_expired_tells_the_supervisors(till: Till, server: Inbox, smtp_port: int) -> None:
    configure_smtp(till, smtp_port, supervisor_emails="sofia@shop.example")
    shift = shifts.open_shift(till.ctx, "anna", 5_000)
    code, _, _ = cli(till.data_dir, "shift", "close-expired", "--dry-run")
    assert code == 0 and server.messages == []
    till.clock.advance(hours=13)
    code, out, _ = cli(till.data_dir, "shift", "close-expired", "--hours", "12")
    assert code == 0 and f"closed: shift {shift.id}" in out and "Supervisors were told" in out
    [(rcpts, body)] = server.messages
    assert rcpts == ["sofia@shop.example"] and shift.id in body and "Anna (anna)" in body
    assert "expected cash 50.00" in body
    code, _, _ = cli(till.data_dir, "shift", "close-expired")
    assert code == 0 and len(server.messages) == 1  # nothing closed: nothing sent


def test_close_expired_with_mail_down_still_closes_and_keeps_the_notice(till: Till, smtp_port: int) -> None:
    configure_smtp(till, smtp_port)  # nothing listens
    shifts.open_shift(till.ctx, "anna", 5_000)
    till.clock.advance(hours=13)
    code, _, err = cli(till.data_dir, "shift", "close-expired")
    assert code == 1 and "kept in the queue" in err
    assert _sql(till, "SELECT status FROM shifts") == [("CLOSED",)]
    assert _sql(till, "SELECT COUNT(*) FROM mail_queue WHERE sent_at IS NULL") == [(1,)]


def test_reminders_go_to_each_cashier_and_the_admins(till: Till, server: Inbox, smtp_port: int) -> None:
    configure_smtp(till, smtp_port, **{"user_email.anna": "anna@shop.example"})
    for user, counted in (("anna", 9_000), ("ben", 4_000)):
        shifts.open_shift(till.ctx, user, 10_000 if user == "anna" else 5_000)
        shifts.close_shift(till.ctx, user, counted)
    code, _, err = cli(till.data_dir, "shift", "reconciliation-remind", "--days", "0", "--email-cashiers",
                       "--email-admins")
    assert code == 0 and "no e-mail address for ben" in err
    by_rcpt = {tuple(sorted(r)): body for r, body in server.messages}
    anna = by_rcpt[("anna@shop.example",)]
    assert "Anna, these closed shifts" in anna and "Total: 1 discrepancies on 1 shift(s): CASH_SHORT 10.00" in anna
    assert "ben" not in anna.lower().replace("been", "")
    admins = by_rcpt[("boss@shop.example", "ops@shop.example")]
    assert "Overall: 2 discrepancies on 2 shift(s)" in admins and "Ben (ben)" in admins
    assert len(server.messages) == 2
