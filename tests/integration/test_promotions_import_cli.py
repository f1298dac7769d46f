"""`tillstone promotions import` on a standalone till: a good file is imported with its audit
entry; a hostile one (bad rows, formulas, negative prices, huge names, not a table at all)
exits 2 with its reasons, no traceback, and nothing imported."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from app.cli.main import main

HEADER = "id,name,kind,skus,categories,buy,pay,bundle_price,percent,prices,customer_group\n"
GOOD = "1,Milk 3 for 2,multibuy,MILK1,,3,2,,,,\n"


def run(till, capsys, *argv):
    code = main(["--data-dir", str(till.data_dir), "promotions", "import", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def stored(till):
    with till.ctx.uow(read_only=True) as uow:
        return uow.promotions.all(), uow.audit.count()


def test_a_good_file_is_imported_with_its_entry(till, tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + GOOD + "2,Wholesale,price_list,,,,,,,CHEESE=9.90,wholesale\n", encoding="utf-8")
    code, out, _err = run(till, capsys, path, "--json")
    assert code == 0 and json.loads(out)["ids"] == [1, 2]
    rows, _count = stored(till)
    assert [(r.id, r.kind, r.source) for r in rows] == [(1, "multibuy", "file"), (2, "price_list", "file")]
    with till.ctx.uow(read_only=True) as uow:
        [(_seq, body, _h)] = list(uow.audit.of_types(("promotions.imported",)))
    assert json.loads(body)["data"]["count"] == 2


@pytest.mark.parametrize(("row", "reason"), [
    ("3,Nothing,nonsense,MILK1,,3,2,,,,", "kind"),
    ("3,=SUM(A1:A9),multibuy,MILK1,,3,2,,,,", "formula"),
    ("3,@cmd,multibuy,MILK1,,3,2,,,,", "formula"),
    ("3,Negative,price_list,,,,,,,CHEESE=-1.00,wholesale", "negative"),
    ("3,Negative bundle,multibuy,MILK1,,2,,-5.00,,,", "negative"),
    (f"3,{'x' * 10_000},multibuy,MILK1,,3,2,,,,", "characters long"),
    ("3,Free all,multibuy,MILK1,,3,3,,,,", "fewer"),
    ("3,Too much,category,,Dairy,,,,150,,", "percent"),
    ("1,Same id twice,multibuy,MILK1,,3,2,,,,", "already used"),
    ("3,Tab\tin name,multibuy,MILK1,,3,2,,,,", "control character"),
])
def test_a_hostile_row_refuses_the_whole_file(till, tmp_path, capsys, row, reason):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + GOOD + row + "\n", encoding="utf-8")
    before = stored(till)
    code, _out, err = run(till, capsys, path)
    assert code == 2
    assert reason in err and "Traceback" not in err and "nothing was imported" in err
    assert stored(till) == before


@pytest.mark.parametrize(("name", "data"), [
    ("p.csv", b"\xff\xfe not utf-8 \x00"),
    ("p.csv", b"id,name\n"),
    ("p.csv", b""),
    ("p.txt", b"id,name,kind\n1,x,multibuy\n"),
])
def test_a_file_that_is_not_a_promotions_table_is_refused(till, tmp_path, capsys, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    before = stored(till)
    code, _out, err = run(till, capsys, path)
    assert code == 2 and "Traceback" not in err and err.strip()
    assert stored(till) == before


def test_a_formula_cell_in_a_workbook_is_refused(till, tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name", "kind", "skus", "buy", "pay"])
    sheet.append([1, "Milk", "multibuy", "MILK1", "=1+2", 2])
    path = tmp_path / "p.xlsx"
    book.save(path)
    code, _out, err = run(till, capsys, path)
    assert code == 2 and "formula" in err
    assert stored(till)[0] == []
