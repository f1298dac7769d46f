"""`tillstone catalogue import` end to end, with hostile files."""

from __future__ import annotations

import json
from pathlib import Path

from app.bootstrap import open_till
from app.cli.main import main


def _init(tmp_path) -> str:
    data = str(tmp_path / "till")
    assert main(["--data-dir", data, "init", "--store", "S001", "--till", "T01", "--demo"]) == 0
    return data


def _count(data: str) -> int:
    with open_till(Path(data)).uow(read_only=True) as uow:
        return uow.catalogue.count()


def test_good_rows_import_and_bad_rows_are_reported(tmp_path, capsys):
    data = _init(tmp_path)
    before = _count(data)
    path = tmp_path / "cat.csv"
    path.write_text(
        "sku,name,price,tax_code\n"
        "NEW1,Oat drink,1.20,A\n"
        "NEW2,=HYPERLINK(\"x\"),1.00,A\n"
        "NEW3,Too precise,1.234,A\n"
        "NEW4,Robert'); DROP TABLE products;--,2.00,B\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["--data-dir", data, "catalogue", "import", str(path), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 2
    assert {e["row"] for e in out["errors"]} == {3, 4}
    assert _count(data) == before + 2
    with open_till(Path(data)).uow(read_only=True) as uow:
        assert uow.catalogue.by_sku("NEW4").name == "Robert'); DROP TABLE products;--"
        assert uow.catalogue.by_sku("NEW2") is None


def test_strict_import_writes_nothing_when_a_row_is_bad(tmp_path):
    data = _init(tmp_path)
    before = _count(data)
    path = tmp_path / "cat.csv"
    path.write_text("sku,name,price,tax_code\nS1,Fine,1.00,A\nS2,Bad,-1.00,A\n", encoding="utf-8")
    assert main(["--data-dir", data, "catalogue", "import", str(path), "--strict"]) == 1
    assert _count(data) == before


def test_file_that_is_not_utf8_or_not_there_is_refused(tmp_path, capsys):
    data = _init(tmp_path)
    before = _count(data)
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("sku,name,price,tax_code\nL1,Cr\xe8me,1.00,A\n".encode("latin-1"))
    assert main(["--data-dir", data, "catalogue", "import", str(bad)]) == 1
    assert "UTF-8" in capsys.readouterr().out
    assert main(["--data-dir", data, "catalogue", "import", str(tmp_path / "missing.csv")]) == 2
    assert main(["--data-dir", data, "catalogue", "import", str(tmp_path)]) == 2
    assert _count(data) == before
