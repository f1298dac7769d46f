"""Signed checkpoints at shift close and Z: the key is made 0600, and `audit verify` exits 1 when a
checkpoint's signature or root does not match, even after the attacker re-hashed the chain."""

from __future__ import annotations

import base64
import io
import json
import os
import sqlite3
import stat
from contextlib import redirect_stdout
from pathlib import Path

from app.audit import checkpoint as cp
from app.audit.format_v1 import GENESIS_PREV, canonical_bytes, entry_hash
from app.cli.main import main
from app.usecases import audit, checkpoints, shifts
from tests.support.days import run_shift
from tests.support.till import Till


def _verify_cli(data_dir: Path) -> tuple[int, dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["--data-dir", str(data_dir), "audit", "verify", "--json"])
    return code, json.loads(out.getvalue())


def _rewrite(data_dir: Path, seq: int, change) -> None:  # type: ignore[no-untyped-def]
    """What an attacker with the database file (but not the key) can do: edit an entry and
    re-hash every entry after it so the chain itself still links."""
    db = sqlite3.connect(data_dir / "till.sqlite")
    db.execute("DROP TRIGGER audit_log_no_update")
    rows = db.execute("SELECT seq, body FROM audit_log WHERE seq >= ? ORDER BY seq", (seq,)).fetchall()
    before = db.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq - 1,)).fetchone()
    prev = before[0] if before else GENESIS_PREV
    for number, body in rows:
        entry = json.loads(body)
        if number == seq:
            change(entry)
        entry["prev"] = prev
        new = canonical_bytes(entry)
        prev = entry_hash(new)
        db.execute("UPDATE audit_log SET body = ?, prev = ?, hash = ? WHERE seq = ?",
                   (new, entry["prev"], prev, number))
    db.commit()
    db.close()


def _checkpoint_seqs(till: Till) -> list[int]:
    with till.ctx.uow(read_only=True) as uow:
        return [s for s, body, _p, _h in uow.audit.iter_raw() if b'"type":"audit.checkpoint"' in body]


def _day(till: Till) -> None:
    import random

    run_shift(till, random.Random(5), "anna", 6)
    run_shift(till, random.Random(6), "ben", 6)


def test_key_is_private_and_checkpoints_verify(till: Till) -> None:
    _day(till)
    key = till.data_dir / cp.PRIVATE_KEY_FILE
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert checkpoints.ensure_till_key(till.data_dir) == cp.load_public_key(till.data_dir)  # idempotent
    assert len(_checkpoint_seqs(till)) == 2
    code, report = _verify_cli(till.data_dir)
    assert code == 0 and report["ok"]


def test_forged_signature_makes_verify_exit_1(till: Till) -> None:
    _day(till)
    first = _checkpoint_seqs(till)[0]

    def forge(entry: dict) -> None:
        sig = bytearray(base64.b64decode(entry["data"]["signature"]))
        sig[0] ^= 1
        entry["data"]["signature"] = base64.b64encode(bytes(sig)).decode()

    _rewrite(till.data_dir, first, forge)
    code, report = _verify_cli(till.data_dir)
    assert code == 1
    # The forged one fails its signature; the next one's root no longer matches the rewritten entries.
    assert {p["kind"] for p in report["problems"]} == {"checkpoint"} and report["first_bad_seq"] == first
    assert "signature" in report["problems"][0]["message"]


def test_rewritten_history_under_a_valid_checkpoint_is_caught(till: Till) -> None:
    _day(till)
    checkpoint_seq = _checkpoint_seqs(till)[0]

    with till.ctx.uow(read_only=True) as uow:
        target = next(s for s, body, _p, _h in uow.audit.iter_raw() if b'"type":"shift.opened"' in body)
    assert target < checkpoint_seq

    def edit(entry: dict) -> None:  # no finalised record points at it: only the checkpoint can tell
        entry["data"]["note"] = "rewritten"

    _rewrite(till.data_dir, target, edit)
    code, report = _verify_cli(till.data_dir)
    assert code == 1 and {p["kind"] for p in report["problems"]} == {"checkpoint"}
    assert "root" in report["problems"][0]["message"]


def test_missing_public_key_is_a_problem(till: Till) -> None:
    shifts.open_shift(till.ctx, "anna", 1_000)
    shifts.close_shift(till.ctx, "anna", 1_000)
    (till.data_dir / cp.PUBLIC_KEY_FILE).unlink()
    report = audit.verify(till.ctx)
    assert not report.ok and report.problems[0].kind == "checkpoint"


# -- audit verify --from/--to: from the last signed checkpoint before --from ------------------------

def _verify_range(data_dir: Path, date_from: str, date_to: str = "2026-03-31") -> tuple[int, dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["--data-dir", str(data_dir), "audit", "verify", "--from", date_from, "--to", date_to, "--json"])
    return code, json.loads(out.getvalue())


def _days(till: Till) -> list[int]:
    from tests.support.days import run_days

    run_days(till, 3, 4)
    return _checkpoint_seqs(till)


def _ts_day(till: Till, seq: int) -> str:
    with till.ctx.uow(read_only=True) as uow:
        body = uow.audit.body(seq)
    assert body is not None
    return str(json.loads(body)["ts"][:10])


def test_range_verify_starts_at_the_last_signed_checkpoint_before_from(till: Till) -> None:
    checkpoints_ = _days(till)
    day3 = _ts_day(till, checkpoints_[-1])
    before = [s for s in checkpoints_ if _ts_day(till, s) < day3]
    code, report = _verify_range(till.data_dir, day3)
    assert code == 0 and report["ok"]
    assert report["verified_from"] == before[-1] > 1
    code, full = _verify_cli(till.data_dir)
    assert code == 0 and full["verified_from"] == 1 and full["entries"] == report["entries"]


def test_range_verify_does_not_rehash_what_the_signed_checkpoint_covers(till: Till) -> None:
    checkpoints_ = _days(till)
    day3 = _ts_day(till, checkpoints_[-1])
    db = sqlite3.connect(till.data_dir / "till.sqlite")  # break entry 2's hash: a full verify sees it
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("UPDATE audit_log SET hash = ? WHERE seq = 2", ("f" * 64,))
    db.commit()
    db.close()
    assert _verify_cli(till.data_dir)[0] == 1
    code, report = _verify_range(till.data_dir, day3)
    assert code == 0 and report["verified_from"] > 2


def test_range_verify_finds_a_rewrite_after_its_checkpoint(till: Till) -> None:
    checkpoints_ = _days(till)
    day3 = _ts_day(till, checkpoints_[-1])
    with till.ctx.uow(read_only=True) as uow:
        target = next(s for s, body, _p, _h in uow.audit.iter_raw(start=checkpoints_[-2] + 1)
                      if b'"type":"shift.opened"' in body)

    def edit(entry: dict) -> None:
        entry["data"]["note"] = "rewritten"

    _rewrite(till.data_dir, target, edit)  # re-hashed to the end: only the checkpoint after it can tell
    code, report = _verify_range(till.data_dir, day3)
    assert code == 1 and report["verified_from"] <= target
    assert {p["kind"] for p in report["problems"]} == {"checkpoint"}


def test_a_forged_checkpoint_is_no_starting_point(till: Till) -> None:
    checkpoints_ = _days(till)
    day3 = _ts_day(till, checkpoints_[-1])
    anchor = [s for s in checkpoints_ if _ts_day(till, s) < day3][-1]

    def forge(entry: dict) -> None:
        entry["data"]["tree_size"] -= 1  # the signature no longer covers it

    _rewrite(till.data_dir, anchor, forge)
    code, report = _verify_range(till.data_dir, day3)
    assert code == 1 and report["verified_from"] < anchor
    # the forged one is stamped before --from, so its own problem is not listed; the rewritten
    # history after it no longer matches the checkpoints in the window
    assert report["problems"] and {p["kind"] for p in report["problems"]} == {"checkpoint"}
    with redirect_stdout(io.StringIO()):
        full = audit.verify(till.ctx)
    assert full.first_bad_seq == anchor and "signature" in full.problems[0].message
