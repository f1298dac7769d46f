"""Damaged data gets a clear answer, never a traceback: entries whose bytes or columns are
anything at all are reported with their sequence number and the walk goes on to the end; a
corrupt file gets one sentence and exit 2; so do a --db that is not a PostgreSQL URL and a
reader that closes the pipe."""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.bootstrap import DB_NAME
from app.cli.main import main
from tests.support.tamper import drop_guards

ROOT = Path(__file__).resolve().parents[2]


def _raw(data_dir: Path) -> sqlite3.Connection:
    con = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    drop_guards(con)
    return con


def _rehash(con: sqlite3.Connection, seq: int, body: bytes) -> None:
    con.execute("UPDATE audit_log SET body = ?, hash = ? WHERE seq = ?", (body, hashlib.sha256(body).hexdigest(), seq))


def _verify_cli(capsys, data_dir: Path) -> tuple[int, str, dict]:  # type: ignore[no-untyped-def]
    code = main(["--data-dir", str(data_dir), "audit", "verify"])
    text = capsys.readouterr()
    assert "Traceback" not in text.err + text.out
    assert main(["--data-dir", str(data_dir), "audit", "verify", "--json"]) == code
    return code, text.out, json.loads(capsys.readouterr().out)


def _body(con: sqlite3.Connection, seq: int) -> bytes:
    return bytes(con.execute("SELECT body FROM audit_log WHERE seq = ?", (seq,)).fetchone()[0])


def _damage(copy, how: str) -> int:  # type: ignore[no-untyped-def]
    """Damage the card sale's entry (or record) one way; returns its seq."""
    data_dir, seqs = copy
    seq = seqs["card"]
    con = _raw(data_dir)
    body = _body(con, seq)
    if how == "garbage body":
        con.execute("UPDATE audit_log SET body = CAST('garbage!' AS BLOB) WHERE seq = ?", (seq,))
    elif how == "data null, re-hashed":
        entry = json.loads(body)
        entry["data"] = None
        _rehash(con, seq, json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
    elif how == "body stored as TEXT":
        con.execute("UPDATE audit_log SET body = CAST(body AS TEXT) WHERE seq = ?", (seq,))
    elif how == "a byte that is not UTF-8":
        at = body.index(b'"name":"') + 8
        con.execute("UPDATE audit_log SET body = ? WHERE seq = ?", (body[:at] + b"\xff" + body[at + 1:], seq))
    elif how == "sales.gross = 'abc'":
        con.execute("UPDATE sales SET gross = 'abc' WHERE audit_seq = ?", (seq,))
    elif how == "receipt number that is not UTF-8":
        con.execute("UPDATE sales SET receipt_no = CAST(x'41ff42' AS TEXT) WHERE audit_seq = ?", (seq,))
    elif how == "audit_seq that is text":
        con.execute("UPDATE sales SET audit_seq = 'seven' WHERE audit_seq = ?", (seq,))
    con.close()
    return seq


@pytest.mark.parametrize("how", ["garbage body", "data null, re-hashed", "body stored as TEXT",
                                 "a byte that is not UTF-8", "sales.gross = 'abc'",
                                 "receipt number that is not UTF-8", "audit_seq that is text"])
def test_a_damaged_entry_is_reported_with_its_seq_and_the_walk_goes_on(copy, capsys, how):
    seq = _damage(copy, how)
    code, out, report = _verify_cli(capsys, copy[0])
    assert code == 1
    assert f"first bad entry is #{seq}" in out
    assert report["first_bad_seq"] == seq and report["entries"] == copy[1]["head"]
    # the walk went on: the Z report's checkpoint at the end of the log was still checked
    assert report["records_checked"] > 10


def test_the_record_check_says_what_is_wrong(copy, capsys):
    seq = _damage(copy, "sales.gross = 'abc'")
    _code, _out, report = _verify_cli(capsys, copy[0])
    [problem] = [p for p in report["problems"] if p["seq"] == seq]
    assert "cannot be read" in problem["message"] and "TypeError" in problem["message"]
    _damage(copy, "body stored as TEXT")
    _code, _out, report = _verify_cli(capsys, copy[0])
    assert {"seq": seq, "kind": "body", "message": "the entry's body is stored as text, not as bytes"} \
        in report["problems"]


# -- a corrupt file ------------------------------------------------------------------------------

def _corrupt(data_dir: Path, how: str) -> None:
    path = data_dir / DB_NAME
    if how == "cut to 8 KiB":
        os.truncate(path, 8192)
    elif how == "not a database":
        with path.open("r+b") as fh:
            fh.write(b"these bytes were never a SQLite database file....." * 2)
    else:  # 4 KiB of junk over the pages that hold the log and the sales
        with sqlite3.connect(path) as con:
            pages = [r[0] for r in con.execute(
                "SELECT rootpage FROM sqlite_master WHERE name IN ('audit_log', 'sales', 'products')")]
        con.close()
        rng = random.Random(17)
        with path.open("r+b") as fh:
            for page in pages:
                fh.seek((page - 1) * 4096)
                fh.write(rng.randbytes(4096))


@pytest.mark.parametrize("how", ["cut to 8 KiB", "not a database", "junk pages"])
@pytest.mark.parametrize("command", [["audit", "verify"], ["simulate", "--days", "1", "--sales-per-day", "2"],
                                     ["sync", "--status"]])
def test_a_corrupt_file_gets_one_sentence_and_exit_2(copy, capsys, how, command):
    data_dir, _seqs = copy
    _corrupt(data_dir, how)
    assert main(["--data-dir", str(data_dir), *command]) == 2
    text = capsys.readouterr()
    assert text.out == ""
    [line] = text.err.splitlines()
    assert line.startswith("tillstone: The till database is damaged: ") and line.endswith("restore the last backup.")


# -- a --db that is not a PostgreSQL URL ---------------------------------------------------------

@pytest.mark.parametrize("argv", [["central", "init", "--db", "notaurl"],
                                  ["hq", "verify", "--db", "/tmp/shop/till.sqlite"],
                                  ["hq", "import", "--db", "host=db dbname=central"],
                                  ["central", "enroll", "--db", "till.sqlite", "--store", "S1", "--till", "T1"]])
def test_a_db_that_is_not_a_postgresql_url(capsys, argv):
    assert main(argv) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "--db expects a PostgreSQL URL such as postgresql://" in line


def test_db_help_says_a_postgresql_url(capsys):
    assert main(["hq", "verify", "--help"]) == 0
    assert "PostgreSQL URL of the central database" in " ".join(capsys.readouterr().out.split())


# -- a reader that goes away ---------------------------------------------------------------------

@pytest.mark.parametrize("argv", [["--help"], ["audit", "verify", "--json"], ["audit", "verify"]])
def test_output_into_a_closed_pipe_is_no_traceback(history, argv):
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head` that has already exited: every write gets EPIPE
    try:
        done = subprocess.run([sys.executable, "-m", "app.cli.main", "--data-dir", str(history[0]), *argv],
                              stdout=write_end, stderr=subprocess.PIPE, cwd=ROOT, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        os.close(write_end)
    assert b"Traceback" not in done.stderr and b"BrokenPipe" not in done.stderr, done.stderr.decode()
    assert done.returncode in (0, 1)


def test_export_of_a_damaged_log_says_so_and_writes_nothing(copy, capsys):
    seq = _damage(copy, "garbage body")
    out = copy[0] / "log.jsonl"
    assert main(["--data-dir", str(copy[0]), "audit", "export", "--out", str(out)]) == 2
    assert f"Entry #{seq} is not readable JSON" in capsys.readouterr().err
    assert not out.exists() and not out.with_name("log.jsonl.part").exists()
