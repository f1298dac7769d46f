"""Hostile input to every head-office master-data command: bad rows, huge fields, formula text, wrong
types, unknown names. Each gets one clear sentence and exit 2, and the central store (master tables and
hq_audit) is exactly as it was."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from app.domain.pins import verify_pin
from db.central.schema import connect, upgrade
from tests.central.conftest import unique_store
from tests.central.master_support import barcode, central_state, hq, seed_tax_rates, write_csv
from tests.central.tills import make_synced_till


@pytest.fixture(scope="module")
def setup(pg_url, tmp_path_factory):
    upgrade(pg_url)
    seed_tax_rates(pg_url)
    store = unique_store()
    make_synced_till(pg_url, tmp_path_factory.mktemp("till") / "a", store, days=0)
    good = write_csv(tmp_path_factory.mktemp("cat") / "good.csv",
                     [["HQ-0100", "Seigle", "2.80", "C", "each", "1.00", barcode(100), "5"]])
    assert hq("catalogue", "import", "--db", pg_url, str(good))[0] == 0
    assert hq("users", "add", "--db", pg_url, "--id", "u-hostile", "--name", "Ana", "--role", "cashier",
              "--pin", "2468")[0] == 0
    assert hq("customers", "add", "--db", pg_url, "--id", "c-hostile", "--name", "Client")[0] == 0
    return pg_url, store


def refused(url: str, *argv: str, says: str) -> None:
    before = central_state(url)
    code, out, err = hq(*argv)
    assert code == 2, (out, err)
    assert says in err and "Traceback" not in err, err
    assert err.startswith("usage:") or err.count("\n") == 1, err  # argparse's own errors show the usage
    assert central_state(url) == before, "a refused change must write nothing"


BAD_ROWS = [
    (["HQ-0101", "=HYPERLINK(\"http://x\")", "1.00", "C", "each", "0.10", "", ""], "formula"),
    (["HQ-0102", "Pain", "abc", "C", "each", "0.10", "", ""], "is not a number"),
    (["HQ-0103", "Pain", "1.999", "C", "each", "0.10", "", ""], "too many decimals"),
    (["HQ-0104", "Pain", "-1.00", "C", "each", "0.10", "", ""], "cannot be negative"),
    (["HQ-0105", "Pain", "1.00", "Z9", "each", "0.10", "", ""], "is not set up"),
    (["HQ-0106", "x" * 5000, "1.00", "C", "each", "0.10", "", ""], "at most 120"),
    (["HQ-0107", "Pain", "1.00", "C", "each", "0.10", "1234567890123", ""], "check digit"),
    (["HQ-0108", "Pain", "1.00", "C", "each", "0.10", "", "1.5"], "whole number"),
    (["HQ-0109", "Pain", "1e3", "C", "each", "0.10", "", ""], "not a number"),
    (["HQ-0110", "Pain\x1b[2J", "1.00", "C", "each", "0.10", "", ""], "control character"),
    (["HQ-0111", "Pain", "1.00", "C", "each", "0.10", barcode(100), ""], "belongs to SKU"),
]


@pytest.mark.pg
@pytest.mark.parametrize(("row", "says"), BAD_ROWS, ids=[s for _r, s in BAD_ROWS])
def test_a_catalogue_with_one_bad_row_writes_nothing(setup, tmp_path, row, says) -> None:
    url, _store = setup
    path = write_csv(tmp_path / "cat.csv", [["HQ-0120", "Bon", "1.00", "C", "each", "0.10", barcode(120), ""], row])
    refused(url, "catalogue", "import", "--db", url, str(path), says=says)


@pytest.mark.pg
def test_hostile_catalogue_files(setup, tmp_path) -> None:
    url, store = setup
    book = Workbook()
    sheet = book.active
    sheet.append(["sku", "name", "price", "tax_code"])
    sheet.append(["HQ-0130", "Bon", 1.0, "C"])
    sheet.append(["HQ-0131", "=1+1", 1.5, "C"])
    book.save(tmp_path / "cat.xlsx")
    refused(url, "catalogue", "import", "--db", url, str(tmp_path / "cat.xlsx"), says="formula")
    (tmp_path / "bin.csv").write_bytes(b"sku,name,price,tax_code\n\xff\xfe\x00bad,1,2,C\n")
    refused(url, "catalogue", "import", "--db", url, str(tmp_path / "bin.csv"), says="UTF-8")
    (tmp_path / "noheader.csv").write_text("a,b\n1,2\n")
    refused(url, "catalogue", "import", "--db", url, str(tmp_path / "noheader.csv"), says="missing")
    refused(url, "catalogue", "import", "--db", url, str(tmp_path / "none.csv"), says="cannot be found")
    refused(url, "catalogue", "import", "--db", url, str(tmp_path / "cat.txt"), says="not a .csv")
    (tmp_path / "big.csv").write_text("sku,name,price,tax_code\nHQ-1,\"" + "y" * 3_000_000 + "\",1.00,C\n")
    refused(url, "catalogue", "import", "--db", url, str(tmp_path / "big.csv"), says="refused")
    good = write_csv(tmp_path / "g.csv", [["HQ-0140", "Bon", "1.00", "C", "each", "0.10", "", ""]])
    refused(url, "catalogue", "import", "--db", url, str(good), "--store", "NOPE1", says="knows no store")
    refused(url, "catalogue", "import", "--db", "not-a-url", str(good), says="PostgreSQL URL")
    refused(url, "catalogue", "import", "--db", url, str(good), "--by", "x\x1b[2J", says="--by must be")
    refused(url, "catalogue", "import", "--db", url, str(good), "--by", "x" * 81, says="--by must be")


@pytest.mark.pg
@pytest.mark.parametrize(("args", "says"), [
    (["--sku", "HQ-0100", "--price", "-1"], "cannot be negative"),
    (["--sku", "HQ-0100", "--price", "2.499"], "too many decimals"),
    (["--sku", "HQ-0100", "--price", "=1+1"], "formula"),
    (["--sku", "HQ-0100", "--price", "9" * 40], "not a number"),
    (["--sku", "NOPE", "--price", "1.00"], "lists no product"),
    (["--sku", "HQ-0100", "--price", "1.00", "--store", "ZZZZ9"], "knows no store"),
    (["--sku", "HQ-0100", "--price", "1.00", "--from", "tomorrow"], "not an ISO date-time"),
    (["--sku", "HQ-0100", "--price", "1.00", "--from", "2026-12-24T06:00:00"], "no UTC offset"),
])
def test_hostile_price_changes(setup, args, says) -> None:
    url, _store = setup
    refused(url, "price", "set", "--db", url, *args, says=says)


@pytest.mark.pg
@pytest.mark.parametrize(("args", "says"), [
    (["add", "--id", "u-new", "--name", "B", "--role", "cashier", "--pin", "12"], "4 to 12 digits"),
    (["add", "--id", "u-new", "--name", "B", "--role", "cashier", "--pin", "abcd"], "4 to 12 digits"),
    (["add", "--id", "u-new", "--name", "B", "--role", "cashier"], "needs a PIN"),
    (["add", "--id", "u-new", "--name", "=cmd|' /C calc'!A0", "--role", "cashier", "--pin", "1234"], "formula"),
    (["add", "--id", "u-new", "--name", "B" * 500, "--role", "cashier", "--pin", "1234"], "at most 120"),
    (["add", "--id", "u new'; DROP TABLE md_users;--", "--name", "B", "--role", "cashier", "--pin", "1234"],
     "must be 1 to 36"),
    (["add", "--id", "u-hostile", "--name", "B", "--role", "cashier", "--pin", "1234"], "exists already"),
    (["add", "--id", "u-new", "--name", "B", "--role", "root", "--pin", "1234"], "invalid choice"),
    (["add", "--id", "u-new", "--name", "B", "--role", "cashier", "--pin", "1234", "--store", "NOPE2"],
     "knows no store"),
    (["set", "--id", "u-hostile"], "Name at least one"),
    (["set", "--id", "u-nobody", "--name", "C"], "has no user"),
    (["disable", "--id", "u-nobody"], "has no user"),
])
def test_hostile_user_changes(setup, args, says) -> None:
    url, _store = setup
    refused(url, "users", args[0], "--db", url, *args[1:], says=says)


@pytest.mark.pg
@pytest.mark.parametrize(("args", "says"), [
    (["add", "--name", "X", "--credit-limit", "-5"], "cannot be negative"),
    (["add", "--name", "X", "--credit-limit", "1e9"], "not a number"),
    (["add", "--name", "X", "--terms", "99999"], "0 to 3660"),
    (["add", "--name", "@SUM(A1)"], "formula"),
    (["add", "--name", "X", "--contact", "a\nb"], "control character"),
    (["add", "--id", "c-hostile", "--name", "X"], "exists already"),
    (["add", "--name", "X", "--terms", "ten"], "invalid int"),
    (["set", "--id", "c-hostile"], "Name at least one"),
    (["set", "--id", "c-nobody", "--name", "Y"], "has no customer"),
    (["block", "--id", "c-nobody"], "has no customer"),
])
def test_hostile_customer_changes(setup, args, says) -> None:
    url, _store = setup
    refused(url, "customers", args[0], "--db", url, *args[1:], says=says)


@pytest.mark.pg
@pytest.mark.parametrize(("args", "says"), [
    (["--code", "A B", "--name", "x", "--rate", "20"], "1 to 8 letters"),
    (["--code", "Z", "--name", "x", "--rate", "120"], "at most 100 percent"),
    (["--code", "Z", "--name", "x", "--rate", "-5"], "cannot be negative"),
    (["--code", "Z", "--name", "x", "--rate", "5.555"], "too many decimals"),
    (["--code", "Z", "--name", "=x", "--rate", "5"], "formula"),
])
def test_hostile_tax_rates(setup, args, says) -> None:
    url, _store = setup
    refused(url, "tax", "set", "--db", url, *args, says=says)


@pytest.mark.pg
@pytest.mark.parametrize(("text", "says"), [
    ("sku,counted\nHQ-0100,10\nNOPE,3\n", "No product"),
    ("sku,counted\nHQ-0100,-1\n", "cannot be negative"),
    ("sku,counted\nHQ-0100,1.5\n", "whole number"),
    ("sku,counted\nHQ-0100,ten\n", "not a number"),
    ("sku,counted\nHQ-0100,1\nHQ-0100,2\n", "already counted"),
    ("sku,counted\nHQ-0100,\n", "missing"),
    ("sku,counted\n=cmd,1\n", "formula"),
    ("sku,qty\nHQ-0100,1\n", "sku and counted"),
    ("sku,counted\n", "no counted products"),
    ("sku,counted\nHQ-0100,99999999999999\n", "too large"),
])
def test_hostile_stock_counts(setup, tmp_path, text, says) -> None:
    url, store = setup
    path = tmp_path / "count.csv"
    path.write_text(text, encoding="utf-8")
    refused(url, "stock", "count", "--db", url, "--store", store, str(path), says=says)


@pytest.mark.pg
def test_a_pin_from_stdin(setup, monkeypatch) -> None:
    url, _store = setup
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    refused(url, "users", "add", "--db", url, "--id", "u-stdin", "--name", "S", "--role", "cashier", "--pin-stdin",
            says="4 to 12 digits")
    monkeypatch.setattr("sys.stdin", io.StringIO("1234\n"))
    refused(url, "users", "add", "--db", url, "--id", "u-stdin", "--name", "S", "--role", "cashier", "--pin-stdin",
            "--pin", "1234", says="not both")
    monkeypatch.setattr("sys.stdin", io.StringIO("97531\n"))
    assert hq("users", "add", "--db", url, "--id", "u-stdin", "--name", "S", "--role", "cashier", "--pin-stdin")[0] == 0
    with connect(url) as conn:
        stored = conn.execute("SELECT pin_hash FROM md_users WHERE id = 'u-stdin'").fetchone()[0]
    assert verify_pin("97531", stored)
