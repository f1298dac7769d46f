"""The sales export at head office: a demo till sells two simulated days (a category of products
with no known cost), pushes, and head office imports into a fresh central database. `tillstone hq
export sales` then reads the consolidated tables with server-side cursors: its totals equal `hq
report daily` for each day to the cent, its cost of goods sold and unknown-cost lines equal the
till's own export of the same day, an `export.created` entry lands in hq_audit with the file's
SHA-256, `hq verify` passes, and bad filters exit 2 leaving nothing."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import psycopg
import pytest

from app.bootstrap import DB_NAME, init_till
from app.cli.main import main
from app.simulate.runner import simulate
from app.usecases.checkpoints import ensure_till_key
from app.usecases.setup import load_demo
from tests.central.conftest import pg_url, unique_store  # noqa: F401 (the module's database)
from tests.exports.test_sales_export import _minor, check_against_report, read_xlsx, totals

pytestmark = pytest.mark.pg
UNKNOWN_CATEGORY = "Bakery"


def run_json(capsys, argv: list[str]) -> tuple[int, dict]:
    capsys.readouterr()
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else {})


@pytest.fixture(scope="module")
def central(pg_url, tmp_path_factory):  # noqa: F811
    assert main(["central", "init", "--db", pg_url]) == 0
    root = tmp_path_factory.mktemp("hq_sales")
    store = unique_store()
    data = root / "till"
    ctx = init_till(data, store=store, till="T01")
    load_demo(ctx)
    ctx.close()
    con = sqlite3.connect(data / DB_NAME)  # nobody knows what the bakery's products cost
    con.execute("UPDATE products SET cost = NULL WHERE category_id = (SELECT id FROM categories WHERE name = ?)",
                (UNKNOWN_CATEGORY,))
    assert con.execute("SELECT count(*) FROM products WHERE cost IS NULL").fetchone()[0] > 0
    con.commit()
    con.close()
    public = ensure_till_key(data)
    simulate(ctx, 2, 25, seed=11)
    conn_file = root / "conn.json"
    assert main(["central", "enroll", "--db", pg_url, "--store", store, "--till", "T01", "--public-key",
                 public.hex(), "--out", str(conn_file)]) == 0
    assert main(["--data-dir", str(data), "central", "connect", str(conn_file)]) == 0
    assert main(["--data-dir", str(data), "sync", "--once"]) == 0
    assert main(["hq", "import", "--db", pg_url, "--till", f"{store}-T01", "--key-dir", str(root / "hq")]) == 0
    with ctx.uow(read_only=True) as uow:
        days = [r[0] for r in uow.conn.exec_driver_sql("SELECT DISTINCT business_date FROM sales ORDER BY 1")]
    ctx.close()
    assert len(days) == 2
    return pg_url, store, data, days


def test_hq_totals_equal_hq_report_daily_and_the_tills_export(central, tmp_path, capsys) -> None:
    url, store, data, days = central
    for day in days:
        code, daily = run_json(capsys, ["hq", "report", "daily", "--db", url, "--business-date", day, "--store", store])
        assert code == 0
        report = daily["reports"][0]
        out = tmp_path / f"hq-{day}.xlsx"
        assert main(["hq", "export", "sales", "--db", url, "--store", store, "--format", "xlsx", "--out", str(out),
                     "--from", day, "--to", day]) == 0
        hq = read_xlsx(out)
        check_against_report(hq, report)
        till_out = tmp_path / f"till-{day}.xlsx"
        assert main(["--data-dir", str(data), "export", "sales", "--format", "xlsx", "--out", str(till_out),
                     "--from", day, "--to", day]) == 0
        till = read_xlsx(till_out)
        ht, tt = totals(hq["Summary"]), totals(till["Summary"])
        for item in ("Cost of goods sold (lines of known cost)", "Profit", "Revenue excluding tax",
                     "Lines with unknown cost (revenue excluding tax)", "Sales before discounts", "Refunds"):
            assert ht[item]["Count"] == tt[item]["Count"], item
            assert _minor(ht[item]["Amount"]) == _minor(tt[item]["Amount"]), item
        assert ht["Margin"]["Margin %"] == tt["Margin"]["Margin %"]
        assert _minor(ht["Cost of goods sold (lines of known cost)"]["Amount"]) > 0
        assert ht["Lines with unknown cost (revenue excluding tax)"]["Count"] > 0
        strip = [[{k: v for k, v in r.items() if not k.startswith("Time (")} for r in sheet]
                 for sheet in (hq["Sales"], till["Sales"])]
        assert len(strip[0]) == len(strip[1])
        assert [r["Receipt no"] for r in strip[0]] == [r["Receipt no"] for r in strip[1]]
        names = ("Cashier", "Customer")  # head office names them from its own master data (ids here)
        for a, b in zip(strip[0], strip[1], strict=True):
            assert {k: a[k] for k in a if k not in names} == {k: b[k] for k in b if k not in names}
        lines = lambda sheet: sorted((r["Receipt no"], r["SKU"], r["Qty"], r["Cost"]) for r in sheet)  # noqa: E731
        assert lines(hq["Line Items"]) == lines(till["Line Items"])


def test_the_export_is_in_hq_audit_with_its_hash_and_hq_verify_passes(central, tmp_path, capsys) -> None:
    url, store, _data, days = central
    out = tmp_path / "all.zip"
    code, written = run_json(capsys, ["hq", "export", "sales", "--db", url, "--store", store, "--format", "csv",
                                      "--out", str(out), "--by", "auditor"])
    assert code == 0
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert written["sha256"] == digest
    with psycopg.connect(url) as conn:
        body = conn.execute("SELECT body FROM hq_audit ORDER BY seq DESC LIMIT 1").fetchone()[0]
    entry = json.loads(bytes(body))
    assert entry["type"] == "export.created" and entry["actor"] == "auditor"
    assert entry["data"]["kind"] == "sales" and entry["data"]["sha256"] == digest
    assert entry["data"]["stores"] == [store]
    code, verified = run_json(capsys, ["hq", "verify", "--db", url])
    assert code == 0 and verified["hq_audit"]["ok"] and verified["tills"][f"{store}-T01"]["ok"]


def test_hq_filters_narrow_and_an_unknown_till_is_empty(central, tmp_path) -> None:
    url, store, data, days = central
    base = ["hq", "export", "sales", "--db", url, "--store", store, "--format", "xlsx"]
    every = tmp_path / "every.xlsx"
    assert main([*base, "--out", str(every)]) == 0
    sales = read_xlsx(every)["Sales"]
    assert {str(r["Business date"])[:10] for r in sales} == set(days)
    nobody = tmp_path / "nobody.xlsx"
    assert main([*base, "--out", str(nobody), "--till", "T09"]) == 0
    empty = read_xlsx(nobody)
    assert empty["Sales"] == [] and totals(empty["Summary"])["Revenue (tax included, net of refunds)"]["Amount"] == 0
    mine = tmp_path / "mine.xlsx"
    assert main([*base, "--out", str(mine), "--till", "T01", "--payment", "card"]) == 0
    card = read_xlsx(mine)["Sales"]
    assert card and len(card) < len(sales) and all(r["Paid card"] for r in card)
    with sqlite3.connect(data / DB_NAME) as con:
        shift = con.execute("SELECT id FROM shifts ORDER BY opened_at LIMIT 1").fetchone()[0]
    one = tmp_path / "shift.xlsx"
    assert main([*base, "--out", str(one), "--shift", shift]) == 0
    till_one = tmp_path / "till-shift.xlsx"
    assert main(["--data-dir", str(data), "export", "sales", "--format", "xlsx", "--out", str(till_one),
                 "--shift", shift]) == 0
    in_shift = [r["Receipt no"] for r in read_xlsx(one)["Sales"]]
    assert in_shift and len(in_shift) < len(sales)
    assert in_shift == [r["Receipt no"] for r in read_xlsx(till_one)["Sales"]]


@pytest.mark.parametrize("extra", [("--from", "yesterday"), ("--to", "2026-13-01"), ("--payment", "gold"),
                                   ("--cashier", "\x00")])
def test_hq_bad_filters_exit_2_and_leave_no_file(central, tmp_path, capsys, extra) -> None:
    url, store, _data, _days = central
    with psycopg.connect(url) as conn:
        before = conn.execute("SELECT count(*) FROM hq_audit").fetchone()[0]
    out = tmp_path / "bad.xlsx"
    assert main(["hq", "export", "sales", "--db", url, "--store", store, "--format", "xlsx", "--out", str(out),
                 *extra]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM hq_audit").fetchone()[0] == before
