"""The sales export on a real till: two business days of sales through the real use cases (line
and subtotal discounts, change, split and on-account payments, a void, a partial refund, a
product of unknown cost, a free one, one named like a formula), exported with `tillstone export
sales` to xlsx and csv and read back. Totals equal `report z`/`report x` for the same business
date to the cent; unknown costs stay empty and are counted; the export's audit entry verifies and
holds the file's SHA-256; bad filters exit 2 and leave nothing; an empty range is headers and a
zero summary. The cost snapshot itself: sale and refund lines keep the cost of the moment of sale
and `audit verify` holds the rows to it."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.bootstrap import DB_NAME
from app.cli.main import main
from app.usecases import audit, cart_customer, cart_discounts, cart_lifecycle, cart_lines, checkout, returns, shifts
from kernel.money import parse_money
from tests.support.till import BARCODES, Till, make_till

DAY1, DAY2 = "2026-03-02", "2026-03-03"
FORMULA_NAME = '=HYPERLINK("http://example.com","free")'
COSTS = {"p-milk": 61, "p-bread": None, "p-cheese": 804, "p-free": 0}  # bread: nobody knows


def _sell(till: Till, user: str, codes: list[str], pays: list[tuple[str, int]], *, customer: str | None = None,
          line_discount: str | None = None, subtotal: int = 0) -> Any:
    ctx = till.ctx
    cart = cart_lifecycle.start_cart(ctx, user)
    for code in codes:
        cart_lines.add_item(ctx, cart, user, BARCODES[code], approval=till.approval() if code == "free" else None)
    if line_discount:
        cart_discounts.set_line_discount(ctx, cart, _first_line(till, cart), user, percent=line_discount,
                                         approval=till.approval())
    if subtotal:
        cart_discounts.set_subtotal_discount(ctx, cart, user, amount=subtotal, approval=till.approval())
    if customer:
        cart_customer.attach_customer(ctx, cart, user, customer)
    result = None
    for method, amount in pays:
        if amount == 0:
            amount = checkout.amount_due(ctx, cart).due
        result = checkout.add_payment(ctx, cart, user, method, amount, approval=till.approval())
    assert result is not None and result.status == "COMPLETED"
    return result.sale


def _first_line(till: Till, cart_id: str) -> str:
    with till.ctx.uow(read_only=True) as uow:
        state = uow.carts.get(cart_id)
        assert state is not None
        return state.lines[0].id


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Till:
    root = tmp_path_factory.mktemp("sales_export")
    till = make_till(root / "till")
    till.ctx.close()
    con = sqlite3.connect(till.data_dir / DB_NAME)
    for pid, cost in COSTS.items():
        con.execute("UPDATE products SET cost = ? WHERE id = ?", (cost, pid))
    con.execute("UPDATE products SET name = ? WHERE id = 'p-free'", (FORMULA_NAME,))
    con.commit()
    con.close()
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 10_000)
    first = _sell(till, "anna", ["milk", "milk", "cheese"], [("cash", 5_000)])
    _sell(till, "anna", ["bread", "milk"], [("card", 0)])
    _sell(till, "anna", ["cheese", "free"], [("card", 500), ("cash", 0)], line_discount="10", subtotal=100)
    _sell(till, "anna", ["milk", "bread"], [("account", 0)], customer="c-1")
    voided = _sell(till, "anna", ["milk", "milk", "milk"], [("cash", 400)])
    returns.void_sale(ctx, voided.receipt_no, "anna", "wrong items", approval=till.approval())
    cheese = next(line for line in first.lines if line.sku == "CHEESE")
    returns.refund(ctx, first.receipt_no, "anna", [(cheese.id, 1000)], approval=till.approval())
    till.clock.advance(hours=8)
    shifts.close_shift(ctx, "anna", _expected_cash(till))
    assert main(["--data-dir", str(till.data_dir), "report", "z", "--business-date", DAY1, "--json"]) == 0
    till.clock.advance(hours=16)
    shifts.open_shift(ctx, "ben", 10_000)
    _sell(till, "ben", ["bread", "cheese"], [("cash", 2_000)])
    till.ctx.close()
    return till


def _expected_cash(till: Till) -> int:
    with till.ctx.uow(read_only=True) as uow:
        return uow.reports.figures(business_date=DAY1)["opening_floats"] + _cash_taken(uow)


def _cash_taken(uow) -> int:  # type: ignore[no-untyped-def]
    fig = uow.reports.figures(business_date=DAY1)
    return fig["payments"].get("cash", {"amount": 0})["amount"]  # net of change and cash refunded


def _report(till: Till, kind: str, day: str, capsys) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["--data-dir", str(till.data_dir), "report", kind, "--business-date", day, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _export(till: Till, fmt: str, out: Path, *extra: str) -> int:
    return main(["--data-dir", str(till.data_dir), "export", "sales", "--format", fmt, "--out", str(out), *extra])


def _minor(value: Any) -> int | None:
    """A money cell read back: a number from xlsx, text from csv; None for an empty cell."""
    if value is None or value == "":
        return None
    return parse_money(str(value), 2) if isinstance(value, str) else int(Decimal(str(value)) * 100)


def read_xlsx(path: Path) -> dict[str, list[dict[str, Any]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for ws in book.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        width = len(rows[0])  # read-only mode leaves trailing empty cells out of a row
        out[ws.title] = [dict(zip(rows[0], (*row, *[None] * (width - len(row))), strict=True)) for row in rows[1:]]
    return out


def read_csv_zip(path: Path) -> dict[str, list[dict[str, Any]]]:
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            text = z.read(name).decode("utf-8-sig")
            out[name.removesuffix(".csv")] = [{k: (v if v != "" else None) for k, v in row.items()}
                                              for row in csv.DictReader(io.StringIO(text))]
    return out


def totals(summary: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["Item"]: row for row in summary if row["Section"] == "Totals"}


def _as_int(value: Any) -> int | None:
    return None if value is None else int(value)


def check_against_report(sheets: dict[str, list[dict[str, Any]]], report: dict[str, Any]) -> None:
    t = totals(sheets["Summary"])
    for item, key in (("Sales before discounts", "sales_gross"), ("Line discounts", "discount_for_lineitems"),
                      ("Subtotal discounts", "discount_for_subtotal"), ("Refunds", "returns")):
        assert _minor(t[item]["Amount"]) == parse_money(report[key]["amount"], 2), item
        assert _as_int(t[item]["Count"]) == report[key]["count"], item
    revenue = t["Revenue (tax included, net of refunds)"]["Amount"]
    assert _minor(revenue) == parse_money(report["sales_net"]["amount"], 2)
    assert _minor(t["Tax"]["Amount"]) == sum(parse_money(x["tax_amount"], 2) for x in report["taxes"])
    if "voids" in report:  # the till's report has them; head office's daily report does not
        assert _minor(t["Voided sales"]["Amount"]) == parse_money(report["voids"]["amount"], 2)
        assert _as_int(t["Voided sales"]["Count"]) == report["voids"]["count"]
    paid = {r["Item"]: (_minor(r["Amount"]), _as_int(r["Count"])) for r in sheets["Summary"]
            if r["Section"] == "By payment method"}
    assert paid == {p["payment_name"]: (parse_money(p["amount"], 2), p["count"]) for p in report["payments"]}
    # the Sales sheet adds up to the same figures: kept sales and refunds (negative), voids apart
    kept = [r for r in sheets["Sales"] if r["Status"] != "voided"]
    assert sum(_minor(r["Gross"]) for r in kept) == parse_money(report["sales_net"]["amount"], 2)
    for p in report["payments"]:
        assert sum(_minor(r[f"Paid {p['payment_name']}"]) for r in kept) == parse_money(p["amount"], 2)
    assert sum(_minor(r["Discounts"]) or 0 for r in kept) == (
        parse_money(report["discount_for_lineitems"]["amount"], 2)
        + parse_money(report["discount_for_subtotal"]["amount"], 2))


def check_costs(sheets: dict[str, list[dict[str, Any]]]) -> None:
    t = totals(sheets["Summary"])
    lines = [r for r in sheets["Line Items"] if r["Status"] != "voided"]
    unknown = [r for r in lines if r["Unit cost"] is None]
    assert unknown and all(r["SKU"] == "BREAD" for r in unknown)
    assert all(r["Cost"] is None and r["Profit"] is None and r["Margin %"] is None for r in unknown)
    assert _as_int(t["Lines with unknown cost (revenue excluding tax)"]["Count"]) == len(unknown)
    assert _minor(t["Lines with unknown cost (revenue excluding tax)"]["Amount"]) == sum(
        _minor(r["Net"]) for r in unknown)
    known = [r for r in lines if r["Unit cost"] is not None]
    cogs = sum(_minor(r["Cost"]) for r in known)
    profit = sum(_minor(r["Profit"]) for r in known)
    assert _minor(t["Cost of goods sold (lines of known cost)"]["Amount"]) == cogs
    assert _minor(t["Profit"]["Amount"]) == profit == sum(_minor(r["Net"]) for r in known) - cogs
    free = [r for r in known if r["SKU"] == "FREE"]
    assert free and all(_minor(r["Unit cost"]) == 0 and _minor(r["Cost"]) == 0 for r in free)  # 0 is 0
    assert all(r["Name"] == FORMULA_NAME or r["Name"] == "'" + FORMULA_NAME for r in free)
    for r in known:  # a line's cost is its unit cost times its quantity
        qty = Decimal(str(r["Qty"]))
        assert _minor(r["Cost"]) == int((_minor(r["Unit cost"]) * qty).to_integral_value()), r
    with_unknown = [r for r in sheets["Sales"] if _as_int(r["Lines, cost unknown"])]
    assert with_unknown and all(r["Cost"] is None and r["Profit"] is None for r in with_unknown)


def test_xlsx_totals_equal_the_z_report_and_the_entry_holds_the_hash(shop, tmp_path, capsys) -> None:
    z = _report(shop, "z", DAY1, capsys)
    out = tmp_path / "day1.xlsx"
    assert _export(shop, "xlsx", out, "--from", DAY1, "--to", DAY1) == 0
    sheets = read_xlsx(out)
    assert list(sheets) == ["Summary", "Sales", "Line Items"]
    check_against_report(sheets, z)
    check_costs(sheets)
    statuses = sorted(r["Status"] for r in sheets["Sales"])
    assert statuses == ["completed"] * 4 + ["refund", "voided"]
    refund = next(r for r in sheets["Sales"] if r["Status"] == "refund")
    assert _minor(refund["Gross"]) < 0 and refund["Refund of"].endswith("-0001")
    refund_line = next(r for r in sheets["Line Items"] if r["Status"] == "refund")
    assert _minor(refund_line["Unit cost"]) == COSTS["p-cheese"] and _minor(refund_line["Cost"]) == -COSTS["p-cheese"]
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    with shop.ctx.uow(read_only=True) as uow:
        entry = json.loads(list(uow.audit.iter_raw())[-1][1])
    assert entry["type"] == "export.created" and entry["data"]["kind"] == "sales"
    assert entry["data"]["sha256"] == digest and entry["data"]["filters"] == {"from": DAY1, "to": DAY1}
    assert entry["data"]["rows"] == sum(len(rows) for rows in sheets.values())
    assert audit.verify(shop.ctx).ok


def test_csv_totals_equal_the_x_report_of_the_second_day(shop, tmp_path, capsys) -> None:
    x = _report(shop, "x", DAY2, capsys)
    out = tmp_path / "day2.zip"
    assert _export(shop, "csv", out, "--from", DAY2, "--to", DAY2) == 0
    sheets = read_csv_zip(out)
    assert set(sheets) == {"Summary", "Sales", "Line Items"}
    check_against_report(sheets, x)
    assert [r["Cashier"] for r in sheets["Sales"]] == ["Ben"]


def test_both_days_are_the_sum_of_each_and_filters_narrow(shop, tmp_path, capsys) -> None:
    out = tmp_path / "all.zip"
    assert _export(shop, "csv", out) == 0
    everything = read_csv_zip(out)
    check_costs(everything)
    days = {r["Item"]: _minor(r["Amount"]) for r in everything["Summary"] if r["Section"] == "By day"}
    z, x = _report(shop, "z", DAY1, capsys), _report(shop, "x", DAY2, capsys)
    assert days == {DAY1: parse_money(z["sales_net"]["amount"], 2), DAY2: parse_money(x["sales_net"]["amount"], 2)}
    for extra, receipts in ((("--cashier", "BEN"), 1), (("--cashier", "anna"), 6), (("--customer", "Café Lumière"), 1),
                            (("--payment", "account"), 1), (("--payment", "card"), 2), (("--till", "T02"), 0),
                            (("--till", "S001-T01"), 7), (("--shift", _shift_of(shop, DAY2)), 1),
                            (("--shift", _shift_of(shop, DAY1), "--payment", "cash"), 4), (("--shift", "nope"), 0)):
        part = tmp_path / f"{extra[0][2:]}-{extra[1]}.zip"
        assert _export(shop, "csv", part, *extra) == 0
        assert len(read_csv_zip(part)["Sales"]) == receipts, extra


def test_an_empty_range_has_headers_and_a_zero_summary(shop, tmp_path) -> None:
    out = tmp_path / "empty.xlsx"
    assert _export(shop, "xlsx", out, "--from", "2025-01-01", "--to", "2025-01-31") == 0
    sheets = read_xlsx(out)
    assert sheets["Sales"] == [] and sheets["Line Items"] == []
    book = openpyxl.load_workbook(out, read_only=True)
    assert next(book["Sales"].iter_rows(values_only=True))[0] == "Receipt no"
    t = totals(sheets["Summary"])
    for item in ("Sales before discounts", "Refunds", "Revenue (tax included, net of refunds)", "Tax",
                 "Cost of goods sold (lines of known cost)", "Profit"):
        assert t[item]["Amount"] == 0, item
    assert t["Margin"]["Margin %"] is None  # no revenue, no margin


@pytest.mark.parametrize("extra, words", [
    (("--from", "2026-02-30"), "--from"),
    (("--from", DAY2, "--to", DAY1), "is after"),
    (("--payment", "bitcoin"), "invalid choice"),
    (("--cashier", "x" * 500), "at most 200"),
    (("--customer", "a\x1bb"), "printable"),
])
def test_bad_filters_exit_2_and_leave_no_file(shop, tmp_path, capsys, extra, words) -> None:
    out = tmp_path / "bad.xlsx"
    before = _entries(shop)
    assert _export(shop, "xlsx", out, *extra) == 2
    assert _entries(shop) == before  # no export.created either
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def _shift_of(till: Till, day: str) -> str:
    with sqlite3.connect(till.data_dir / DB_NAME) as con:
        return str(con.execute("SELECT id FROM shifts WHERE business_date = ?", (day,)).fetchone()[0])


def _entries(till: Till) -> int:
    with till.ctx.uow(read_only=True) as uow:
        return len(list(uow.audit.iter_raw()))


def test_sale_and_refund_lines_keep_the_cost_of_the_moment_of_sale(tmp_path) -> None:
    till = make_till(tmp_path / "till")
    ctx = till.ctx
    with ctx.uow() as uow:
        uow.catalogue.upsert_products([{"id": "p-milk", "sku": "MILK1", "name": "Milk 1L", "category_id": "dairy",
                                        "unit": "each", "price": 119, "cost": 70, "tax_code": "B",
                                        "allow_negative_stock": False, "active": True, "updated_at": ctx.now_iso()}])
        uow.commit()
    shifts.open_shift(ctx, "anna", 0)
    sale = _sell(till, "anna", ["milk", "bread"], [("cash", 1_000)])
    assert [line.unit_cost for line in sale.lines] == [70, 0]
    with ctx.uow() as uow:  # the cost changes after the sale: the sale keeps the old one
        uow.catalogue.upsert_products([{"id": "p-milk", "sku": "MILK1", "name": "Milk 1L", "category_id": "dairy",
                                        "unit": "each", "price": 119, "cost": None, "tax_code": "B",
                                        "allow_negative_stock": False, "active": True, "updated_at": ctx.now_iso()}])
        uow.commit()
    refund = returns.refund(ctx, sale.receipt_no, "anna", [(sale.lines[0].id, 1000)], approval=till.approval())
    assert refund.lines[0].unit_cost == 70
    with ctx.uow(read_only=True) as uow:
        bodies = [json.loads(body) for _seq, body, _p, _h in uow.audit.iter_raw()]
    entries = {b["type"]: b["data"] for b in bodies}
    assert [line["unit_cost"] for line in entries["sale.completed"]["lines"]] == ["0.70", "0.00"]
    assert entries["refund.completed"]["lines"][0]["unit_cost"] == "0.70"
    assert audit.verify(ctx).ok
    ctx.close()
    con = sqlite3.connect(till.data_dir / DB_NAME)  # a changed snapshot is named by audit verify
    con.execute("DROP TRIGGER sale_lines_no_update")
    con.execute("UPDATE sale_lines SET unit_cost = 1 WHERE sale_id = ?", (sale.id,))
    con.commit()
    con.close()
    report = audit.verify(ctx)
    assert not report.ok and any("unit_cost" in p.message for p in report.problems)
