"""The real `tillstone` entry function for init, audit verify and audit export, with hostile
arguments: 0 success, 1 a check found a problem, 2 bad input or usage (docs/design.md)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from app.bootstrap import DB_NAME
from app.cli.main import main
from app.usecases import cart_lifecycle, cart_lines, checkout, shifts
from tests.support.independent_verifier import verify_export
from tests.support.till import BARCODES, make_till


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sold(tmp_path):
    """A till directory with one sale in it (engine closed, as after the app quits)."""
    till = make_till(tmp_path / "till")
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["cheese"])
    sale = checkout.add_payment(ctx, c, "anna", "cash", 2000).sale
    ctx.close()
    return till.data_dir, sale


def test_init_creates_a_till_and_is_idempotent(tmp_path, capsys):
    data = tmp_path / "new"
    code, out, err = run(capsys, "--data-dir", data, "init", "--store", "s001", "--till", "t01")
    assert (code, err) == (0, "")
    assert "S001-T01" in out and (data / DB_NAME).exists()
    assert run(capsys, "--data-dir", data, "init", "--store", "S001", "--till", "T01")[0] == 0
    code, _, err = run(capsys, "--data-dir", data, "init", "--store", "S002", "--till", "T01")
    assert code == 2 and "identity never changes" in err
    code, out, _ = run(capsys, "--data-dir", data, "audit", "verify")
    assert code == 0 and out.startswith("OK")


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["init", "--store", "S 001", "--till", "T01"], "1 to 8 letters or digits"),
        (["init", "--store", "'; DROP TABLE sales; --", "--till", "T01"], "1 to 8 letters or digits"),
        (["init", "--store", "S001", "--till", "T" * 9], "1 to 8 letters or digits"),
        (["init", "--store", "S001", "--till", "T01\x00"], "1 to 8 letters or digits"),
        (["init", "--store", "S001", "--till", "T01", "--currency", "EURO"], "3-letter ISO code"),
        (["init", "--store", "S001", "--till", "T01", "--currency", "€"], "3-letter ISO code"),
        (["init", "--store", "S001"], "required"),
        (["init", "--store"], "expected one argument"),
        (["init", "--store", "S001", "--till", "T01", "--bogus"], "unrecognized arguments"),
        (["frobnicate"], "invalid choice"),
        (["audit"], "required"),
        (["audit", "explode"], "invalid choice"),
        (["audit", "export"], "required"),
    ],
)
def test_bad_usage_exits_2_with_a_message(tmp_path, capsys, argv, words):
    data = tmp_path / "d"
    code, _, err = run(capsys, "--data-dir", data, *argv)
    assert code == 2
    assert words in err
    assert not (data / DB_NAME).exists() or argv[0] != "init"


def test_init_with_an_unknown_timezone_is_refused(tmp_path, capsys):
    data = tmp_path / "d"
    code, _, err = run(capsys, "--data-dir", data, "init", "--store", "S001", "--till", "T01",
                       "--timezone", "Mars/Olympus_Mons")
    assert code == 2 and "time zone" in err.lower()


def test_init_on_a_path_that_is_a_file_exits_2(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "--data-dir", blocker, "init", "--store", "S001", "--till", "T01")
    assert code == 2 and str(blocker) in err


def test_verify_ok_and_json(sold, capsys):
    data, _sale = sold
    code, out, err = run(capsys, "--data-dir", data, "audit", "verify")
    assert (code, err) == (0, "") and out.startswith("OK:")
    code, out, _ = run(capsys, "--data-dir", data, "audit", "verify", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True and report["first_bad_seq"] is None
    assert report["records_checked"] == 2  # the shift and its sale


def test_verify_finds_tampering_and_exits_1(sold, capsys):
    data, sale = sold
    con = sqlite3.connect(data / DB_NAME)
    con.execute("DROP TRIGGER sales_no_update")
    con.execute("UPDATE sales SET gross = 1 WHERE id = ?", (sale.id,))
    con.commit()
    con.close()
    code, out, _ = run(capsys, "--data-dir", data, "audit", "verify")
    assert code == 1 and f"first bad entry is #{sale.audit_seq}" in out
    code, out, _ = run(capsys, "--data-dir", data, "audit", "verify", "--json")
    assert code == 1 and json.loads(out)["first_bad_seq"] == sale.audit_seq


def test_verify_and_export_without_a_till_exit_2(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "--data-dir", empty, "audit", "verify")
    assert code == 2 and "tillstone init" in err
    code, _, err = run(capsys, "--data-dir", empty, "audit", "export", "--out", tmp_path / "x.jsonl")
    assert code == 2 and "tillstone init" in err
    assert not (tmp_path / "x.jsonl").exists()


def test_a_till_from_a_newer_version_exits_2(sold, capsys):
    data, _ = sold
    con = sqlite3.connect(data / DB_NAME)
    con.execute("INSERT INTO alembic_version (version_num) VALUES ('0999_future')")
    con.commit()
    con.close()
    code, _, err = run(capsys, "--data-dir", data, "audit", "verify")
    assert code == 2 and "newer version of Tillstone" in err


def test_export_writes_a_verifiable_file(sold, tmp_path, capsys):
    data, _ = sold
    out_file = tmp_path / "audit export ü.jsonl"
    code, out, err = run(capsys, "--data-dir", data, "audit", "export", "--out", out_file)
    assert (code, err) == (0, "") and "Wrote" in out
    assert verify_export(out_file) == []


@pytest.mark.parametrize("where", [
    "dir", "missing_parent",
    "parent_is_a_file",
])
def test_export_to_a_bad_place_exits_2_and_writes_nothing(sold, tmp_path, capsys, where):
    data, _ = sold
    target = {
        "dir": tmp_path,
        "missing_parent": tmp_path / "nope" / "audit.jsonl",
        "parent_is_a_file": tmp_path / "plain.txt" / "audit.jsonl",
    }[where]
    (tmp_path / "plain.txt").write_text("x")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _, err = run(capsys, "--data-dir", data, "audit", "export", "--out", target)
    assert code == 2 and err.startswith("tillstone: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
