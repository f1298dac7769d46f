"""The customers export on a real till: customers on account with charges, a void, a cash payment,
one blocked, one over the limit, one with overdue charges, one with more than 50 entries. The Book's
figures are the till's own credit figures; aging buckets count days past each charge's due date on
constructed dates; filters narrow; the xlsx and csv files read back hold the same numbers; hostile
filters exit 2 leaving no file; no match is headers and a zero summary."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from app.cli.main import main
from app.exports import filters as export_filters
from app.exports.customers import FILTERS, KIND
from app.usecases import cart_customer, cart_lifecycle, cart_lines, checkout, customers, returns, shifts, stock
from app.usecases import exports as till_exports
from kernel.records import CustomerInfo
from tests.support.till import BARCODES, START, Till, make_till

BUCKET_COLUMNS = ["0-30 days past due", "31-60 days past due", "61-90 days past due", "90+ days past due"]


def on_account(till: Till, customer: str, code: str, units: int = 1, approval=None):  # type: ignore[no-untyped-def]
    ctx = till.ctx
    cart = cart_lifecycle.start_cart(ctx, "anna")
    for _ in range(units):
        cart_lines.add_item(ctx, cart, "anna", BARCODES[code])
    cart_customer.attach_customer(ctx, cart, "anna", customer)
    due = checkout.amount_due(ctx, cart).due
    result = checkout.add_payment(ctx, cart, "anna", "account", due, approval=approval)
    assert result.status == "COMPLETED"
    return result.sale


def go_to_day(till: Till, offset: int) -> None:
    ctx = till.ctx
    current = shifts.current_shift(ctx)
    if current is not None:
        with ctx.uow(read_only=True) as uow:
            expected = uow.shifts.expected_cash(current.id)
        shifts.close_shift(ctx, current.user_id, expected)
    till.clock.set(START + timedelta(days=offset))
    shifts.open_shift(ctx, "anna", 0)


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Till:
    """c-1 (wholesale, 100.00, 30 days): charges 12.90 on 03-02 and 3.49 on 03-22, a 12.90 charge
    voided the same day, 5.00 paid in cash on 04-01. c-2 is blocked and never bought. c-3 (retail,
    10.00, 7 days) owes 25.80 from 04-06, over its limit with a supervisor's approval. c-4 (retail,
    1000.00) bought milk 55 times on account."""
    till = make_till(tmp_path_factory.mktemp("customers") / "till")
    now = till.ctx.now_iso()
    with till.ctx.uow() as uow:
        uow.people.upsert_customer(CustomerInfo("c-3", "=HYPERLINK(\"x\")", "retail", 1000, 7, False, 0), now)
        uow.people.upsert_customer(CustomerInfo("c-4", "Épicerie 東京", "retail", 100_000, 30, False, 0), now)
        uow.commit()
    go_to_day(till, 0)
    on_account(till, "c-1", "cheese")
    go_to_day(till, 20)
    on_account(till, "c-1", "bread")
    wrong = on_account(till, "c-1", "cheese")
    returns.void_sale(till.ctx, wrong.receipt_no, "anna", "wrong customer", approval=till.approval())
    go_to_day(till, 30)
    customers.take_account_payment(till.ctx, "c-1", "anna", 500, "cash")
    go_to_day(till, 35)
    on_account(till, "c-3", "cheese", units=2, approval=till.approval("known customer"))
    stock.receive(till.ctx, "anna", "MILK1", 10_000)
    for _ in range(55):
        on_account(till, "c-4", "milk")
    return till


def book_of(till: Till, **raw):  # type: ignore[no-untyped-def]
    checked = export_filters.parse(FILTERS, raw, till.ctx.settings.exponent)
    book = KIND.till(till.ctx, checked)
    return {sheet.name: (list(sheet.columns), [list(r) for r in sheet.rows]) for sheet in book.sheets}


def by_title(columns, row) -> dict:  # type: ignore[no-untyped-def]
    return {c.title: v for c, v in zip(columns, row, strict=True)}


def summary(sheets) -> dict:  # type: ignore[no-untyped-def]
    return {name: cell.value for name, cell in sheets["Summary"][1]}


def test_details_hold_the_tills_own_credit_figures(shop) -> None:
    sheets = book_of(shop, aging_date="2026-04-06")
    cols, rows = sheets["Customer Details"]
    details = {r[0]: by_title(cols, r) for r in rows}
    assert list(details) == ["c-3", "c-2", "c-1", "c-4"]  # by name: "=HYPERLINK", "Blocked", "Café", "Épicerie"
    for cid, row in details.items():
        status = customers.credit_status(shop.ctx, cid)
        assert row["Balance"] == status.balance
        assert row["Credit limit"] - row["Balance"] == status.available
    c1 = details["c-1"]
    assert c1["Balance"] == 1290 + 349 + 1290 - 1290 - 500
    assert (c1["Sales"], c1["Sales total"], c1["Average sale"]) == (2, 1290 + 349, 820)  # 8.195 half up
    assert (c1["Account entries"], c1["Last activity"], c1["Type"]) == (5, date(2026, 4, 1), "wholesale")
    assert c1["Credit status"] == "overdue"  # 7.90 left of the 03-02 charge, due 04-01
    assert c1["Overdue"] == 790
    assert (details["c-2"]["Credit status"], details["c-2"]["Sales"], details["c-2"]["Average sale"]) == \
        ("blocked", 0, None)
    assert details["c-3"]["Credit status"] == "over-limit" and details["c-3"]["Balance"] == 2580
    assert details["c-4"]["Balance"] == 55 * 119


def test_aging_counts_days_past_each_due_date(shop) -> None:
    def aging(day: str) -> dict:
        cols, rows = book_of(shop, aging_date=day)["Credit Aging"]
        return {r[0]: by_title(cols, r) for r in rows}

    # c-1: 7.90 of the 03-02 charge due 04-01 (the payment settled the oldest first), 3.49 due 04-21.
    # c-3: 25.80 due 04-13.
    on_0406 = aging("2026-04-06")
    assert [on_0406["c-1"][b] for b in ["Current", *BUCKET_COLUMNS]] == [349, 790, 0, 0, 0]
    assert on_0406["c-3"]["Current"] == 2580 and on_0406["c-3"]["Overdue"] == 0
    on_0715 = aging("2026-07-15")  # 105 and 85 days past due; c-3 93 days
    assert [on_0715["c-1"][b] for b in ["Current", *BUCKET_COLUMNS]] == [0, 0, 0, 349, 790]
    assert on_0715["c-3"]["90+ days past due"] == 2580
    on_0501 = aging("2026-05-01")  # 30 days past 04-01 is still 0-30; 04-21 is 10 days past
    assert [on_0501["c-1"][b] for b in ["Current", *BUCKET_COLUMNS]] == [0, 349 + 790, 0, 0, 0]
    for day in (on_0406, on_0715, on_0501):
        for row in day.values():
            parts = row["Current"] + sum(row[b] for b in BUCKET_COLUMNS) + row["Not aged"]
            assert parts == row["Balance"] and row["Overdue"] == sum(row[b] for b in BUCKET_COLUMNS)
    # the till's own credit check calls the same amount overdue on its business date
    shop.clock.set(START + timedelta(days=60))
    assert customers.credit_status(shop.ctx, "c-1").overdue == aging("2026-05-01")["c-1"]["Overdue"]
    assert book_of(shop)["Summary"][1][0][1].value == date(2026, 5, 1)  # the business date by default


def test_transactions_are_the_newest_50_per_customer(shop) -> None:
    cols, rows = book_of(shop)["Credit Transactions"]
    rows = [by_title(cols, r) for r in rows]
    c4 = [r for r in rows if r["Customer ID"] == "c-4"]
    with shop.ctx.uow(read_only=True) as uow:
        seqs = sorted(s for (s,) in uow.conn.exec_driver_sql(
            "SELECT audit_seq FROM customer_ledger WHERE customer_id = 'c-4'"))
    assert len(seqs) == 55 and [r["Audit seq"] for r in c4] == seqs[-50:]
    c1 = [(r["Entry"], r["Amount"]) for r in rows if r["Customer ID"] == "c-1"]
    assert c1 == [("charge", 1290), ("charge", 349), ("charge", 1290), ("credit (void or refund)", -1290),
                  ("payment", -500)]
    void = [r for r in rows if r["Entry"].startswith("credit")][0]
    assert void["Reference"].startswith("S001-T01-20260322-") and void["Due date"] is None
    first = next(r for r in rows if r["Customer ID"] == "c-1")
    assert (first["Business date"], first["Due date"]) == (date(2026, 3, 2), date(2026, 4, 1))


def test_filters_narrow_the_customers(shop) -> None:
    def ids(**raw) -> list[str]:  # type: ignore[no-untyped-def]
        return [r[0] for r in book_of(shop, aging_date="2026-07-15", **raw)["Customer Details"][1]]

    assert ids(credit_status="blocked") == ["c-2"]
    assert ids(credit_status="over-limit") == ["c-3"]
    assert ids(credit_status="overdue") == ["c-3", "c-1", "c-4"]
    assert ids(credit_status="ok") == []
    assert ids(min_balance="25.80") == ["c-3", "c-4"]
    assert ids(min_balance="25.81") == ["c-4"]
    assert ids(type="wholesale") == ["c-1"]
    assert ids(active=True) == ["c-3", "c-1", "c-4"]
    assert ids(type="retail", credit_status="over-limit") == ["c-3"]
    cols, rows = book_of(shop, aging_date="2026-07-15", credit_status="blocked")["Credit Transactions"]
    assert rows == []


def test_files_read_back_hold_the_books_numbers(shop, tmp_path) -> None:
    shop.clock.set(START + timedelta(days=60))
    expected = book_of(shop, aging_date="2026-07-15")
    xlsx = tmp_path / "customers.xlsx"
    written = till_exports.export(shop.ctx, "customers", "xlsx", xlsx, {"aging_date": "2026-07-15"})
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    assert wb.sheetnames == ["Summary", "Customer Details", "Credit Aging", "Credit Transactions"]
    aging = list(wb["Credit Aging"].iter_rows(values_only=True))
    assert list(aging[0]) == [c.title for c in expected["Credit Aging"][0]]
    exp = 10 ** shop.ctx.settings.exponent
    for got, want in zip(aging[1:], expected["Credit Aging"][1], strict=True):
        assert got[:4] == tuple(want[:4])
        for cell, value in zip(got[4:], want[4:], strict=True):  # money read back as numbers, 0 as 0
            assert isinstance(cell, (int, float)) and round(cell * exp) == value
    assert list(wb["Customer Details"].iter_rows(values_only=True))[1][1] == '=HYPERLINK("x")'  # text
    assert written.rows["Credit Transactions"] == len(expected["Credit Transactions"][1])
    out = tmp_path / "customers.zip"
    till_exports.export(shop.ctx, "customers", "csv", out, {"aging_date": "2026-07-15"})
    with zipfile.ZipFile(out) as zf:
        details = list(csv.DictReader(io.TextIOWrapper(zf.open("Customer Details.csv"), encoding="utf-8-sig")))
    assert [d["Customer ID"] for d in details] == ["c-3", "c-2", "c-1", "c-4"]
    assert details[2]["Balance"] == "11.39" and details[2]["Average sale"] == "8.20"
    assert details[1]["Average sale"] == "" and details[1]["Balance"] == "0.00"
    assert details[0]["Name"] == "'=HYPERLINK(\"x\")" and details[3]["Name"] == "Épicerie 東京"


def test_no_match_is_headers_and_a_zero_summary(shop, tmp_path) -> None:
    out = tmp_path / "none.xlsx"
    written = till_exports.export(shop.ctx, "customers", "xlsx", out,
                                  {"type": "wholesale", "credit_status": "blocked"})
    assert {k: v for k, v in written.rows.items() if k != "Summary"} == \
        {"Customer Details": 0, "Credit Aging": 0, "Credit Transactions": 0}
    wb = openpyxl.load_workbook(out, read_only=True)
    figures = dict(list(wb["Summary"].iter_rows(values_only=True))[1:])
    assert figures["Customers"] == 0 and figures["Total balance"] == 0 and figures["90+ days past due"] == 0
    assert len(list(wb["Credit Aging"].iter_rows(values_only=True))) == 1  # the header


@pytest.mark.parametrize("bad", [
    ["--credit-status", "late"], ["--min-balance", "lots"], ["--min-balance", "1.234"],
    ["--aging-date", "2026-02-30"], ["--type", "vip"], ["--min-balance", "1\x00"],
])
def test_hostile_filters_exit_2_and_leave_no_file(shop, tmp_path, capsys, bad) -> None:
    shop.ctx.close()
    out = tmp_path / "c.xlsx"
    argv = ["--data-dir", str(shop.data_dir), "export", "customers", "--format", "xlsx", "--out", str(out), *bad]
    assert _main_exit(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()
    assert list(Path(tmp_path).iterdir()) == []


def _main_exit(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def test_the_export_is_an_audit_entry_holding_the_files_hash(shop, tmp_path) -> None:
    import hashlib
    import json

    from app.usecases import audit

    out = tmp_path / "c.csv"
    written = till_exports.export(shop.ctx, "customers", "csv", out, {"credit_status": "overdue"},
                                  sheet="Credit Aging", user_id="sofia")
    with shop.ctx.uow(read_only=True) as uow:
        seq, _ = uow.audit.head()
        entry = json.loads(uow.audit.body(seq))
    assert (entry["type"], entry["actor"]) == ("export.created", "sofia")
    assert entry["data"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest() == written.sha256
    assert entry["data"]["filters"] == {"credit_status": "overdue"} and entry["data"]["kind"] == "customers"
    assert entry["data"]["rows"] == written.rows["Credit Aging"]
    report = audit.verify(shop.ctx)
    assert report.ok, report.problems[:3]
