"""The inventory export on a real till: deliveries, sales and a refund on constructed days, a product
of unknown cost, per-product reorder levels and the store's default. Levels, values and statuses are
the till's own; --as-of equals the level computed by hand from what happened up to that date; the
movements sheet names reason and receipt; files read back; hostile filters exit 2 with no file;
no match is headers and a zero summary."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from app.cli.main import main
from app.exports import filters as export_filters
from app.exports.inventory import FILTERS, KIND
from app.usecases import cart_lifecycle, cart_lines, checkout, returns, settings, shifts, stock
from app.usecases import exports as till_exports
from tests.support.till import BARCODES, START, Till, make_till


def sell(till: Till, code: str, units: int):  # type: ignore[no-untyped-def]
    ctx = till.ctx
    cart = cart_lifecycle.start_cart(ctx, "anna")
    for _ in range(units):
        cart_lines.add_item(ctx, cart, "anna", BARCODES[code])
    result = checkout.add_payment(ctx, cart, "anna", "cash", 100_000)
    assert result.status == "COMPLETED"
    return result.sale


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Till:
    """The template's 50 milk, bread and cheese at 03-02 09:00 UTC (set-up import). 03-02 10:00: 10
    milk delivered, 3 sold. 03-03 10:00: 5 cheese delivered, 2 sold, 1 of them refunded. Costs: milk
    0.80, cheese 9.00, bread unknown, apple 1.10; milk reorders at 60; the store default is 52."""
    till = make_till(tmp_path_factory.mktemp("inventory") / "till")
    con = sqlite3.connect(till.data_dir / "till.sqlite")
    with con:
        con.execute("UPDATE products SET cost = NULL WHERE id = 'p-bread'")
        con.executemany("UPDATE products SET cost = ? WHERE id = ?",
                        [(80, "p-milk"), (900, "p-cheese"), (110, "p-apple"), (0, "p-free")])
        con.execute("UPDATE products SET reorder_level_milli = 60000 WHERE id = 'p-milk'")
        con.execute("UPDATE products SET name = '=HYPERLINK(\"http://x\")' WHERE id = 'p-apple'")
    con.close()
    till.ctx = settings.update(till.ctx, "admin", {"reorder_level_default": "52"})
    till.clock.set(START + timedelta(hours=1))
    shifts.open_shift(till.ctx, "anna", 0)
    stock.receive(till.ctx, "anna", "MILK1", 10_000)
    sell(till, "milk", 3)
    with till.ctx.uow(read_only=True) as uow:
        expected = uow.shifts.expected_cash(shifts.current_shift(till.ctx).id)
    shifts.close_shift(till.ctx, "anna", expected)
    till.clock.set(START + timedelta(days=1, hours=1))
    shifts.open_shift(till.ctx, "anna", 0)
    stock.receive(till.ctx, "anna", "CHEESE", 5_000)
    sale = sell(till, "cheese", 2)
    returns.refund(till.ctx, sale.receipt_no, "sofia", [(sale.lines[0].id, 1000)])
    return till


def book_of(till: Till, **raw):  # type: ignore[no-untyped-def]
    checked = export_filters.parse(FILTERS, raw, till.ctx.settings.exponent)
    book = KIND.till(till.ctx, checked)
    return {sheet.name: (list(sheet.columns), [list(r) for r in sheet.rows]) for sheet in book.sheets}


def items(till: Till, **raw) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    cols, rows = book_of(till, **raw)["Stock Items"]
    return {r[1]: {c.title: v for c, v in zip(cols, r, strict=True)} for r in rows}


def summary(till: Till, **raw) -> dict:  # type: ignore[no-untyped-def]
    return {name: cell.value for name, cell in book_of(till, **raw)["Summary"][1]}


def test_items_are_the_tills_levels_valued_at_cost_and_price(shop) -> None:
    got = items(shop)
    with shop.ctx.uow(read_only=True) as uow:
        for sku, row in got.items():
            assert row["On hand"] == uow.stock.on_hand(uow.catalogue.by_sku(sku).id)
    milk, cheese, bread = got["MILK1"], got["CHEESE"], got["BREAD"]
    assert milk["On hand"] == 57_000 and cheese["On hand"] == 54_000 and bread["On hand"] == 50_000
    assert (milk["Value at cost"], milk["Value at price"], milk["Unit margin"]) == (57 * 80, 57 * 119, 39)
    assert milk["Margin %"] == 3277  # 39 / 119 = 32.77 %
    assert (milk["Reorder level"], milk["Status"]) == (60_000, "low")
    assert (bread["Reorder level"], bread["Status"]) == (52_000, "low")  # the store's default
    assert cheese["Status"] == "in stock" and got["APPLE"]["Status"] == "out" and got["FREE"]["Status"] == "out"
    assert (bread["Unit cost"], bread["Value at cost"], bread["Margin %"], bread["Potential profit"]) == \
        (None, None, None, None)
    assert got["FREE"]["Unit cost"] == 0 and got["FREE"]["Value at cost"] == 0  # free is 0, not unknown
    figures = summary(shop)
    assert figures["Items of unknown cost"] == 1
    assert figures["Value at price of items of unknown cost"] == 50 * 349
    assert figures["Value at cost (items of known cost)"] == 57 * 80 + 54 * 900
    assert figures["Value at price"] == 57 * 119 + 54 * 1290 + 50 * 349
    assert (figures["Status in stock"], figures["Status low"], figures["Status out"]) == (1, 2, 2)


def test_as_of_is_the_level_computed_by_hand(shop) -> None:
    # end of 03-01 (04:00 UTC on 03-02, rollover 4): before the set-up import at 09:00
    assert {sku: r["On hand"] for sku, r in items(shop, as_of="2026-03-01").items()} == \
        {"MILK1": 0, "BREAD": 0, "CHEESE": 0, "APPLE": 0, "FREE": 0}
    on_0302 = items(shop, as_of="2026-03-02")
    assert (on_0302["MILK1"]["On hand"], on_0302["CHEESE"]["On hand"]) == (50_000 + 10_000 - 3_000, 50_000)
    on_0303 = items(shop, as_of="2026-03-03")
    assert on_0303["CHEESE"]["On hand"] == 50_000 + 5_000 - 2_000 + 1_000
    assert on_0302["MILK1"]["Value at cost"] == 57 * 80
    assert summary(shop, as_of="2026-03-02")["Stock as of"].isoformat() == "2026-03-02"


def test_movements_name_reason_and_reference(shop) -> None:
    cols, rows = book_of(shop, movements=True)["Stock Movements"]
    rows = [{c.title: v for c, v in zip(cols, r, strict=True)} for r in rows]
    cheese = [(r["Reason"], r["Quantity"]) for r in rows if r["SKU"] == "CHEESE"]
    assert cheese == [("import", 50_000), ("delivery", 5_000), ("sale", -2_000), ("refund", 1_000)]
    sale = next(r for r in rows if r["SKU"] == "CHEESE" and r["Reason"] == "sale")
    refund = next(r for r in rows if r["Reason"] == "refund")
    assert sale["Reference"].startswith("S001-T01-20260303-") and refund["Reference"] != sale["Reference"]
    assert sale["Time (UTC)"] == datetime(2026, 3, 3, 10, 0) and sale["Till"] == "S001-T01"
    delivery = next(r for r in rows if r["Reason"] == "delivery" and r["SKU"] == "CHEESE")
    assert delivery["Audit seq"] > 0 and delivery["Reference"] is None
    imported = next(r for r in rows if r["Reason"] == "import")
    assert imported["Audit seq"] is None and imported["Till"] is None  # no entry recorded it
    assert sum(r["Quantity"] for r in rows if r["SKU"] == "CHEESE") == 54_000
    before = book_of(shop, movements=True, as_of="2026-03-02")["Stock Movements"][1]
    assert all(r[0] < datetime(2026, 3, 3, 4, 0) for r in before) and len(before) == 5
    assert "Stock Movements" not in book_of(shop)


def test_filters_narrow_the_items(shop) -> None:
    def skus(**raw) -> list[str]:  # type: ignore[no-untyped-def]
        return sorted(items(shop, **raw))

    assert skus(status="low") == ["BREAD", "MILK1"]
    assert skus(status="out") == ["APPLE", "FREE"]
    assert skus(status="in-stock") == ["CHEESE"]
    assert skus(category="DAIRY") == ["APPLE", "BREAD", "CHEESE", "FREE", "MILK1"]
    assert skus(category="Bakery") == []
    assert skus(min_qty="54") == ["CHEESE", "MILK1"]
    assert skus(min_qty="54.001") == ["MILK1"]
    assert skus(exclude_zero_value=True) == ["BREAD", "CHEESE", "MILK1"]
    assert skus(store="s001") == skus()


def test_files_read_back_hold_the_books_numbers(shop, tmp_path) -> None:
    xlsx = tmp_path / "inventory.xlsx"
    till_exports.export(shop.ctx, "inventory", "xlsx", xlsx, {"movements": True})
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    assert wb.sheetnames == ["Summary", "Stock Items", "Stock Movements"]
    rows = list(wb["Stock Items"].iter_rows(values_only=True))
    header, body = rows[0], {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert "Value at cost" in header
    assert body["MILK1"]["On hand"] == 57 and body["MILK1"]["Value at cost"] == pytest.approx(45.60)
    assert body["BREAD"]["Value at cost"] is None and body["FREE"]["Value at cost"] == 0
    assert body["APPLE"]["Product"] == '=HYPERLINK("http://x")'
    zipped = tmp_path / "inventory.zip"
    till_exports.export(shop.ctx, "inventory", "csv", zipped, {})
    with zipfile.ZipFile(zipped) as zf:
        lines = list(csv.DictReader(io.TextIOWrapper(zf.open("Stock Items.csv"), encoding="utf-8-sig")))
        figures = dict(csv.reader(io.TextIOWrapper(zf.open("Summary.csv"), encoding="utf-8-sig")))
    by_sku = {r["SKU"]: r for r in lines}
    assert by_sku["CHEESE"]["On hand"] == "54.000" and by_sku["CHEESE"]["Value at price"] == "696.60"
    assert by_sku["BREAD"]["Value at cost"] == "" and by_sku["FREE"]["Value at cost"] == "0.00"
    assert by_sku["APPLE"]["Product"].startswith("'=")
    assert figures["Items of unknown cost"] == "1"


def test_no_match_is_headers_and_a_zero_summary(shop, tmp_path) -> None:
    out = tmp_path / "none.xlsx"
    written = till_exports.export(shop.ctx, "inventory", "xlsx", out, {"category": "Nothing", "movements": True})
    assert written.rows["Stock Items"] == 0 and written.rows["Stock Movements"] == 0
    wb = openpyxl.load_workbook(out, read_only=True)
    figures = dict(list(wb["Summary"].iter_rows(values_only=True))[1:])
    assert figures["Items (product and store)"] == 0 and figures["Value at price"] == 0
    assert len(list(wb["Stock Items"].iter_rows(values_only=True))) == 1


def _main_exit(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.parametrize("bad", [
    ["--store", "S999"], ["--status", "empty"], ["--min-qty", "1.0001"], ["--min-qty", "many"],
    ["--as-of", "03/02/2026"], ["--category", "x" * 300], ["--category", "a\tb"],
])
def test_hostile_filters_exit_2_and_leave_no_file(shop, tmp_path, capsys, bad) -> None:
    shop.ctx.close()
    out = tmp_path / "i.xlsx"
    argv = ["--data-dir", str(shop.data_dir), "export", "inventory", "--format", "xlsx", "--out", str(out), *bad]
    assert _main_exit(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()
    assert list(Path(tmp_path).iterdir()) == []


def test_the_reorder_default_setting_refuses_bad_values(shop) -> None:
    from kernel.errors import InvalidInput

    for bad in ("-1", "lots", "1.0001"):
        with pytest.raises(InvalidInput):
            settings.update(shop.ctx, "admin", {"reorder_level_default": bad})
    assert shop.ctx.settings.reorder_level_default == "52.000"


def test_the_pdf_says_what_the_book_says(shop, tmp_path) -> None:
    import subprocess

    out = tmp_path / "inventory.pdf"
    till_exports.export(shop.ctx, "inventory", "pdf", out, {"status": "low"})
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Inventory export" in text and shop.clock.now().strftime("%Y-%m-%d %H:%M") in text
    figures = summary(shop, status="low")
    value = figures["Value at price"]
    assert f"{value // 100:,}.{value % 100:02d}" in text  # 57 milk and 50 bread at their prices
    assert "MILK1" in text and "BREAD" in text and "CHEESE" not in text
