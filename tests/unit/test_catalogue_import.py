"""Catalogue import from CSV and XLSX: typed rows for good lines, a sentence for every bad one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from app.catalogue.importer import ImportResult, ProductRow, RowError, parse_catalogue, write_template_csv
from kernel.barcodes import embedded_code, is_valid_gtin, with_check_digit
from kernel.money import parse_money

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
HEADER = "sku,name,price,tax_code,category,unit,cost,barcodes,allow_negative_stock,stock,active"
EAN = with_check_digit("376012345001")
EAN2 = with_check_digit("376012345002")
TAXES = {"A", "B", "C"}


def write(tmp_path: Path, text: str | bytes, name: str = "cat.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def load(tmp_path: Path, body: str, header: str = HEADER, **kw: object) -> ImportResult:
    return parse_catalogue(write(tmp_path, header + "\n" + body), **kw)  # type: ignore[arg-type]


def only_error(result: ImportResult) -> RowError:
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_a_good_row_becomes_typed_values(tmp_path: Path) -> None:
    line = f"BAK-1,Crème fraîche 20cl,1.39,c,Dairy,each,0.80,{EAN} | 036000291452,yes,12,no\n"
    result = load(tmp_path, line, known_tax_codes=TAXES)
    assert result.ok and result.warnings == []
    assert result.rows == [ProductRow(
        row_number=2, sku="BAK-1", name="Crème fraîche 20cl", price=139, tax_code="C", category="Dairy",
        unit="each", cost=80, barcodes=(EAN, "0036000291452"), allow_negative_stock=True, stock_milli=12000,
        active=False,
    )]


def test_optional_columns_default(tmp_path: Path) -> None:
    result = load(tmp_path, "X1,Müsli,3.29,A\n", header="SKU,Name,Price,Tax Code")
    assert result.ok
    row = result.rows[0]
    assert (row.unit, row.cost, row.barcodes, row.category) == ("each", None, (), None)  # cost unknown
    assert (row.allow_negative_stock, row.stock_milli, row.active) == (False, None, True)


def test_an_empty_cost_is_unknown_and_zero_is_free(tmp_path: Path) -> None:
    result = load(tmp_path, "X1,Müsli,3.29,A,0\nX2,Tea,2.10,A,\nX3,Jam,4.00,A,1.25\n",
                  header="sku,name,price,tax_code,cost")
    assert result.ok
    assert [(r.sku, r.cost) for r in result.rows] == [("X1", 0), ("X2", None), ("X3", 125)]


def test_semicolon_csv_with_bom_and_decimal_commas(tmp_path: Path) -> None:
    text = "\ufeffsku;name;price;tax_code;unit;stock\nF1;Jalapeño;9,90;C;kg;2,500\n"
    result = parse_catalogue(write(tmp_path, text))
    assert result.ok, result.errors
    assert (result.rows[0].price, result.rows[0].unit, result.rows[0].stock_milli) == (990, "kg", 2500)


def test_sql_looking_text_is_kept_as_data(tmp_path: Path) -> None:
    line = "\"S1\",\"'); DROP TABLE products;--\",1.00,A\n"
    result = load(tmp_path, line, header="sku,name,price,tax_code")
    assert result.ok
    assert result.rows[0].name == "'); DROP TABLE products;--"


def test_embedded_codes_are_stored_with_their_value_zeroed(tmp_path: Path) -> None:
    labelled = embedded_code("23", "00042", 1250)
    result = load(tmp_path, f"W1,Pommes,2.49,C,,kg,,{labelled},,,\n")
    assert result.rows[0].barcodes == (embedded_code("23", "00042", 0),)


def test_a_weight_barcode_on_a_piece_product_is_refused(tmp_path: Path) -> None:
    err = only_error(load(tmp_path, f"W1,Pommes,2.49,C,,each,,{embedded_code('23', '00042', 0)},,,\n"))
    assert err.column == "barcodes" and "sold by the piece" in err.message


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("S1,=HYPERLINK(\"http://x\"),1.00,A", "name", "formula"),
        ("S1,+cmd|' /C calc'!A0,1.00,A", "name", "formula"),
        ("S1,-2+3,1.00,A", "name", "formula"),
        ("S1,@SUM(A1),1.00,A", "name", "formula"),
        ("S1,Bread,1.00,A,=cmd", "category", "formula"),
        ("=S1,Bread,1.00,A", "sku", "formula"),
        ("S1,Bread,=1+1,A", "price", "formula"),
        ("S1,Bread,+1,A", "price", "formula"),
        ("S1,Bread,-1.00,A", "price", "negative"),
        ("S1,Bread,1.999,A", "price", "too many decimals"),
        ("S1,Bread,1e3,A", "price", "not a number"),
        ("S1,Bread,\"1,234.50\",A", "price", "not a number"),
        ("S1,Bread,€1.00,A", "price", "not a number"),
        ("S1,Bread,NaN,A", "price", "not a number"),
        ("S1,Bread,,A", "price", "missing"),
        ("S1,,1.00,A", "name", "missing"),
        (",Bread,1.00,A", "sku", "missing"),
        ("S1,Bread,1.00,", "tax_code", "missing"),
        ("S1,Bread,1.00,A,,,-0.10", "cost", "negative"),
        ("S1,Bread,1.00,A,,litre", "unit", "each or kg"),
        ("S1,Bread,1.00,A,,each,,,perhaps", "allow_negative_stock", "yes or no"),
        ("S1,Bread,1.00,A,,each,,,,1.5", "stock", "whole number"),
        ("S1,Bread,1.00,A,,kg,,,,1.2345", "stock", "more than 3 decimals"),
        ("S1,Bread,1.00,A,,each,,,,-3", "stock", "negative"),
        ("S1,Bread,1.00,A,,each,,,,,maybe", "active", "yes or no"),
        ("S1,Bread,1.00,A,,each,,4006381333932", "barcodes", "wrong check digit"),
        ("S1,Bread,1.00,A,,each,,40063813", "barcodes", "wrong check digit"),
        ("S1,Bread,1.00,A,,each,,12345", "barcodes", "5 digits"),
        ("S1,Bread,1.00,A,,each,,ABC", "barcodes", "digits only"),
        ("S1,Bread,1.00,A b", "tax_code", "letters or digits"),
    ],
)
def test_bad_cells_reject_the_row_with_a_reason(tmp_path: Path, line: str, column: str, words: str) -> None:
    result = load(tmp_path, line + "\n")
    assert result.rows == []
    err = only_error(result)
    assert (err.row_number, err.column) == (2, column)
    assert words in err.message
    assert all(ch.isprintable() for ch in err.message)


def test_more_values_than_columns_is_a_row_error(tmp_path: Path) -> None:
    result = load(tmp_path, "S1,Eggs, free range,1.00,A\nS2,Milk,1.00,A\n", header="sku,name,price,tax_code")
    err = only_error(result)
    assert err.row_number == 2 and "more values" in err.message
    assert [r.sku for r in result.rows] == ["S2"]


@pytest.mark.parametrize(
    "char", ["\x1b", "\x00", "\x07", "\t", "\n", "\x7f", "\x85", "\x9b", "\u202e", "\u2028"]
)
def test_control_characters_in_names_and_categories_are_refused(tmp_path: Path, char: str) -> None:
    result = load(tmp_path, f"S1,\"Bre{char}ad\",1.00,A,Bakery\nS2,Bread,1.00,A,\"Bak{char}ery\"\n")
    assert result.rows == []
    assert [(e.row_number, e.column) for e in result.errors] == [(2, "name"), (3, "category")]
    assert all("control character" in e.message for e in result.errors)


def test_names_up_to_120_characters(tmp_path: Path) -> None:
    result = load(tmp_path, f"S1,{'é' * 120},1.00,A\nS2,{'x' * 121},1.00,A\n")
    assert [r.sku for r in result.rows] == ["S1"]
    assert only_error(result).column == "name" and "121 characters" in result.errors[0].message


def test_second_use_of_a_sku_is_rejected(tmp_path: Path) -> None:
    result = load(tmp_path, "S1,Bread,1.00,A\nS2,Milk,1.00,A\ns1,Other bread,2.00,A\n")
    assert [r.sku for r in result.rows] == ["S1", "S2"]
    err = only_error(result)
    assert (err.row_number, err.column) == (4, "sku") and "row 2" in err.message


def test_a_barcode_used_twice_rejects_the_second_product(tmp_path: Path) -> None:
    body = f"S1,Bread,1.00,A,,,,{EAN}\nS2,Milk,1.00,A,,,,{EAN2}|{EAN}\n"
    result = load(tmp_path, body)
    assert [r.sku for r in result.rows] == ["S1"]
    err = only_error(result)
    assert err.column == "barcodes" and "already used by SKU S1 on row 2" in err.message


def test_upc_a_and_its_ean_13_are_the_same_barcode(tmp_path: Path) -> None:
    result = load(tmp_path, "S1,A,1.00,A,,,,036000291452\nS2,B,1.00,A,,,,0036000291452\n")
    assert [r.sku for r in result.rows] == ["S1"] and len(result.errors) == 1


def test_unknown_tax_codes_when_codes_are_given(tmp_path: Path) -> None:
    result = load(tmp_path, "S1,Bread,1.00,Z\nS2,Milk,1.00,b\n", known_tax_codes=TAXES)
    assert [(r.sku, r.tax_code) for r in result.rows] == [("S2", "B")]
    err = only_error(result)
    assert err.column == "tax_code" and "A, B, C" in err.message


def test_a_zero_decimal_currency(tmp_path: Path) -> None:
    result = load(tmp_path, "S1,Ramen,980,A\nS2,Tea,1.50,A\n", header="sku,name,price,tax_code", exponent=0)
    assert [r.price for r in result.rows] == [980]
    assert "no decimals" in only_error(result).message


def test_a_file_that_is_not_utf8_gives_one_error_naming_the_byte(tmp_path: Path) -> None:
    data = (HEADER + "\nS1,Cr\xe8me,1.00,A\n").encode("latin-1")
    result = parse_catalogue(write(tmp_path, data))
    assert result.rows == []
    err = only_error(result)
    assert err.row_number == 0
    bad = data.index(b"\xe8")
    assert f"position {bad}" in err.message and "line 2" in err.message


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf\r\n  \n", "empty"),
        (HEADER.encode() + b"\n", "no products"),
        (b"sku,name\nS1,Bread\n", "missing: price, tax_code"),
        (b"product,label,cost\n1,2,3\n", "missing: sku, name, price, tax_code"),
        (b"sku,name,price,tax_code,name\nS1,a,1,A,b\n", "appears twice"),
        (b"sku,name,price,tax_code\nS1,\"Bread,1.00,A\n" + b"x" * 200_000 + b"\n", "cannot be read as CSV"),
    ],
)
def test_file_level_problems_give_one_error_and_no_rows(tmp_path: Path, content: bytes, words: str) -> None:
    result = parse_catalogue(write(tmp_path, content))
    assert result.rows == []
    err = only_error(result)
    assert err.row_number == 0 and words in err.message, err


def test_wide_column_counts_are_bounded(tmp_path: Path) -> None:
    header = ",".join(["sku", "name", "price", "tax_code"] + [f"x{i}" for i in range(100_000)])
    result = parse_catalogue(write(tmp_path, header + "\nS1,Bread,1.00,A\n"))
    assert result.rows == [] and "more than 64 columns" in only_error(result).message


def test_unknown_columns_are_a_warning_not_an_error(tmp_path: Path) -> None:
    result = load(tmp_path, "S1,Bread,1.00,A,red\n", header="sku,name,price,tax_code,colour")
    assert result.ok and len(result.rows) == 1
    assert [w.column for w in result.warnings] == ["colour"]


def test_blank_lines_are_skipped_and_rows_keep_their_numbers(tmp_path: Path) -> None:
    result = load(tmp_path, "S1,Bread,1.00,A\n\n,,,\nS2,Milk,-1,A\n", header="sku,name,price,tax_code")
    assert [r.sku for r in result.rows] == ["S1"]
    assert only_error(result).row_number == 5


@pytest.mark.parametrize(
    ("name", "content"),
    [("cat.xls", b"\xd0\xcf\x11\xe0"), ("cat.xlsx", b"PK\x03\x04junk"), ("cat.xlsx", b"not a zip"),
     ("cat.txt", b"sku\n")],
)
def test_files_that_are_not_a_catalogue_format(tmp_path: Path, name: str, content: bytes) -> None:
    result = parse_catalogue(write(tmp_path, content, name))
    assert result.rows == [] and only_error(result).row_number == 0


def test_a_missing_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    assert only_error(parse_catalogue(tmp_path / "nowhere.csv")).row_number == 0


def _xlsx(tmp_path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / "cat.xlsx"
    book.save(path)
    return path


def test_xlsx_values_are_read_exactly(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [
        ["SKU", "Name", "Price", "Tax_Code", "Unit", "Stock", "Barcodes", "Active"],
        [1001, "Müsli", 2.99, "C", "kg", 1.25, int(EAN), True],
        ["U1", "Cola", 0.1, "A", None, 24, 36000291452, False],  # the UPC-A lost its leading zero
        ["U2", "Tonic", 1, "A", None, None, 96385074, None],  # an EAN-8 stays 8 digits
    ])
    result = parse_catalogue(path)
    assert result.ok, result.errors
    first, second, third = result.rows
    assert third.barcodes == ("96385074",)
    assert (first.sku, first.price, first.stock_milli, first.barcodes, first.active) == (
        "1001", 299, 1250, (EAN,), True)
    assert (second.price, second.barcodes, second.active) == (10, ("0036000291452",), False)


def test_xlsx_formulas_are_seen_not_evaluated(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [
        ["sku", "name", "price", "tax_code"],
        ["S1", "=HYPERLINK(\"http://evil\",\"Bread\")", 1, "A"],
        ["S2", "Milk", "=B2*2", "A"],
        ["S3", "Eggs", 2.5, "A"],
    ])
    result = parse_catalogue(path)
    assert [r.sku for r in result.rows] == ["S3"]
    assert [(e.row_number, e.column) for e in result.errors] == [(2, "name"), (3, "price")]
    assert all("formula" in e.message for e in result.errors)


def test_xlsx_bad_numbers(tmp_path: Path) -> None:
    from datetime import datetime

    path = _xlsx(tmp_path, [
        ["sku", "name", "price", "tax_code", "barcodes"],
        ["S1", "A", 1.005, "A"],
        ["S2", "B", datetime(2024, 1, 1), "A"],
        ["S3", "C", 1, "A", 4006381],
    ])
    result = parse_catalogue(path)
    assert result.rows == []
    assert [e.row_number for e in result.errors] == [2, 3, 4]
    assert "leading zeros" in result.errors[2].message


def test_template_imports_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "template.csv"
    write_template_csv(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfsku,name,price,tax_code")
    result = parse_catalogue(path, known_tax_codes=TAXES)
    assert result.ok and len(result.rows) >= 1 and not result.warnings


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=6), max_size=5))
def test_arbitrary_cells_never_raise(tmp_path: Path, table: list[list[str]]) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["sku", "name", "price", "tax_code", "barcodes", "stock"])
    writer.writerows(table)
    result = parse_catalogue(write(tmp_path, out.getvalue()))
    for row in result.rows:
        assert all(is_valid_gtin(code) for code in row.barcodes)
        assert row.price >= 0
    assert len({r.sku.casefold() for r in result.rows}) == len(result.rows)


def test_demo_catalogue_imports_with_no_errors() -> None:
    result = parse_catalogue(DEMO / "catalogue.csv", known_tax_codes=TAXES)
    assert result.errors == [] and result.warnings == []
    rows = result.rows
    assert len(rows) >= 320
    assert len({r.category for r in rows}) >= 7
    weighed = [r for r in rows if r.unit == "kg"]
    assert len(weighed) >= 20
    assert any(code[:2] in ("23", "24") for r in weighed for code in r.barcodes)
    assert {r.tax_code for r in rows} == TAXES
    assert all(r.barcodes or r.unit == "kg" for r in rows)
    assert all(0 < r.cost < r.price for r in rows)
    assert any(ch in "éèüñçô" for r in rows for ch in r.name)


def test_demo_setup_matches_the_catalogue() -> None:
    setup = json.loads((DEMO / "setup.json").read_text(encoding="utf-8"))
    rows = parse_catalogue(DEMO / "catalogue.csv").rows
    assert (setup["currency"], setup["exponent"]) == ("EUR", 2)
    assert {t["code"]: t["rate_bp"] for t in setup["tax_rates"]} == {"A": 2000, "B": 1000, "C": 550}
    assert {c["name"] for c in setup["categories"]} == {r.category for r in rows}
    roles = [u["role"] for u in setup["users"]]
    assert roles.count("cashier") >= 2 and "supervisor" in roles and "admin" in roles
    assert all(len(u["pin"]) == 4 and u["pin"].isdigit() for u in setup["users"])
    customers = setup["customers"]
    assert len(customers) == 10 and sum(c["blocked"] for c in customers) == 1
    assert {c["type"] for c in customers} == {"retail", "wholesale"}
    assert all(parse_money(c["credit_limit"]) >= 0 and c["terms_days"] >= 0 for c in customers)
    skus = {r.sku for r in rows if r.active}
    assert len(setup["quick_keys"]) == 12 and set(setup["quick_keys"]) <= skus
    ids = [x["id"] for x in setup["users"] + customers + setup["categories"]]
    assert len(ids) == len(set(ids))
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert all(f"| {u['id']} | {u['name']} | {u['role']} | {u['pin']} |" in readme for u in setup["users"])
