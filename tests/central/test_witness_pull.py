"""Head office's countersignatures come back to the till: each is verified before it is stored (a
tampered one is refused and recorded), a till reads only its own, and `audit verify` fails, naming
the checkpoint, once the local history no longer matches one head office countersigned, even when
the rewrite was re-hashed and re-signed with the till's own key."""

from __future__ import annotations

import base64
import io
import json
import sqlite3
from contextlib import redirect_stdout
from pathlib import Path

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg.types.json import Jsonb

from app.audit import checkpoint as cp
from app.audit.format_v1 import GENESIS_PREV, canonical_bytes, entry_hash
from app.audit.merkle import RootBuilder
from app.cli.main import main
from app.hq.importer import import_all
from app.sync import worker
from app.sync.pull_checks import PulledDataRefused
from app.usecases import audit
from db.central import pull_repo
from db.central.schema import connect, upgrade
from tests.central.conftest import unique_store
from tests.central.tills import make_synced_till

pytestmark = pytest.mark.pg
WITNESS = Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    return pg_url


def synced_and_imported(url: str, data_dir: Path, store: str, till: str = "T01", seed: int = 1,  # type: ignore[no-untyped-def]
                        days: int = 1):
    """A till that sold for `days` (shift closes wrote checkpoints), pushed, and was imported."""
    ctx, settings = make_synced_till(url, data_dir, store, till, days=days, sales=8, seed=seed)
    worker.sync_once(ctx, settings, pull=False)
    with connect(url) as conn:
        [result] = import_all(conn, WITNESS, tills=[settings.till])
    assert not result.problems and result.checkpoints >= 1, result
    return ctx, settings, result.checkpoints


def held(ctx) -> list[int]:  # type: ignore[no-untyped-def]
    with ctx.uow(read_only=True) as uow:
        return [int(r[0]) for r in uow.conn.exec_driver_sql("SELECT tree_size FROM checkpoint_witnesses "
                                                            "ORDER BY tree_size")]


def verify_cli(data_dir: Path) -> tuple[int, dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["--data-dir", str(data_dir), "audit", "verify", "--json"])
    return code, json.loads(out.getvalue())


def test_countersignatures_are_pulled_verified_and_reported(url, tmp_path) -> None:
    ctx, settings, count = synced_and_imported(url, tmp_path / "t", unique_store())
    assert worker.sync_once(ctx, settings).pulled == {"witnesses": count}
    with connect(url) as conn:
        sizes = [int(r[0]) for r in conn.execute("SELECT tree_size FROM checkpoints WHERE till = %s "
                                                 "ORDER BY tree_size", (settings.till,))]
    assert held(ctx) == sizes
    assert worker.sync_once(ctx, settings).pulled == {}  # incremental: nothing new
    code, report = verify_cli(ctx.data_dir)
    assert code == 0 and report["ok"]
    assert report["witnessed"] == count and report["witnessed_size"] == sizes[-1]
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--data-dir", str(ctx.data_dir), "audit", "verify"]) == 0
    assert f"{count} checkpoints countersigned by head office still match" in out.getvalue()


def test_a_till_reads_only_its_own_countersignatures(url, tmp_path) -> None:
    store = unique_store()
    _a, a_settings, a_count = synced_and_imported(url, tmp_path / "a", store, "T01", seed=2)
    _b, b_settings, _ = synced_and_imported(url, tmp_path / "b", store, "T02", seed=3)
    with psycopg.connect(**a_settings.kwargs(), connect_timeout=5) as conn:
        rows = pull_repo.witnesses(conn, 0)
        assert len(rows) == a_count and {r["till"] for r in rows} == {a_settings.till}
        assert conn.execute("SELECT count(*) FROM checkpoints WHERE till = %s", (b_settings.till,)).fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM witness_keys").fetchone()[0] >= 1  # public keys are public
        for statement in ("UPDATE checkpoints SET witness = '{}'", "DELETE FROM checkpoints",
                          "INSERT INTO witness_keys (key_id, public_key) VALUES ('x', 'x')"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()


def _flip_signature(witness: dict) -> dict:
    raw = bytearray(base64.b64decode(witness["signature"]))
    raw[5] ^= 1
    return {**witness, "signature": base64.b64encode(bytes(raw)).decode()}


def _other_key(witness: dict) -> dict:
    other = Ed25519PrivateKey.generate()
    return {**witness, "witness_key_id": cp.key_id(cp.public_bytes(other))}


@pytest.mark.parametrize(("tamper", "reason"), [
    (_flip_signature, "head office's countersignature does not verify"),
    (_other_key, "head office does not publish the key"),
    (lambda w: {**w, "v": 2}, "countersignature format 2 is unknown"),
])
def test_a_tampered_countersignature_is_refused_and_recorded(url, tmp_path, tamper, reason) -> None:
    ctx, settings, count = synced_and_imported(url, tmp_path / "t", unique_store())
    with connect(url) as conn:
        rows = conn.execute("SELECT tree_size, witness FROM checkpoints WHERE till = %s ORDER BY tree_size",
                            (settings.till,)).fetchall()
        conn.execute("UPDATE checkpoints SET witness = %s WHERE till = %s AND tree_size = %s",
                     (Jsonb(tamper(rows[-1][1])), settings.till, rows[-1][0]))
        conn.commit()
    with pytest.raises(PulledDataRefused, match=reason):
        worker.sync_once(ctx, settings)
    assert held(ctx) == [int(r[0]) for r in rows[:-1]]  # the good ones are kept, the bad one is not
    status = worker.status(ctx)
    assert status.state == "error" and reason in status.last_error and "not stored" in status.last_error
    with ctx.uow(read_only=True) as uow:
        assert reason in uow.conn.exec_driver_sql("SELECT value FROM sync_state WHERE key = 'witness_error'") \
            .scalar_one()
    assert count == len(rows) and audit.verify(ctx).ok


def test_a_refused_countersignature_is_asked_for_until_a_good_one_arrives(url, tmp_path) -> None:
    """A bad one below good ones must not be forgotten once the good ones are held: it is fetched
    again every round, the error stays, and it clears only when head office sends one that verifies."""
    ctx, settings, count = synced_and_imported(url, tmp_path / "t", unique_store(), days=2)
    assert count >= 2
    with connect(url) as conn:
        rows = conn.execute("SELECT tree_size, witness FROM checkpoints WHERE till = %s ORDER BY tree_size",
                            (settings.till,)).fetchall()
        first, original = rows[0]
        conn.execute("UPDATE checkpoints SET witness = %s WHERE till = %s AND tree_size = %s",
                     (Jsonb(_flip_signature(original)), settings.till, first))
        conn.commit()
    for _round in range(2):
        with pytest.raises(PulledDataRefused, match="does not verify"):
            worker.sync_once(ctx, settings)
        assert held(ctx) == [int(r[0]) for r in rows[1:]]
        assert worker.status(ctx).state == "error"
    with connect(url) as conn:  # head office repairs its copy
        conn.execute("UPDATE checkpoints SET witness = %s WHERE till = %s AND tree_size = %s",
                     (Jsonb(original), settings.till, first))
        conn.commit()
    assert worker.sync_once(ctx, settings).pulled == {"witnesses": 1}
    assert held(ctx) == [int(r[0]) for r in rows]
    with ctx.uow(read_only=True) as uow:
        state = dict(uow.conn.exec_driver_sql(
            "SELECT key, value FROM sync_state WHERE key LIKE 'witness_%'").fetchall())
    assert state == {"witness_error": "", "witness_retry_from": ""}
    assert worker.status(ctx).state == "ok" and worker.sync_once(ctx, settings).pulled == {}


def test_a_statement_changed_at_head_office_is_refused(url, tmp_path) -> None:
    """Head office's row must be the till's own signed statement: a root changed centrally (and
    countersigned again by head office's key) is not signed by this till and is not stored."""
    ctx, settings, _count = synced_and_imported(url, tmp_path / "t", unique_store())
    with connect(url) as conn:
        size, root, head, key_id, signature = conn.execute(
            "SELECT tree_size, root, head, key_id, signature FROM checkpoints WHERE till = %s "
            "ORDER BY tree_size LIMIT 1", (settings.till,)).fetchone()
        data = {"tree_size": int(size), "root": "0" * 64, "head": head, "key_id": key_id, "signature": signature}
        conn.execute("UPDATE checkpoints SET root = %s, witness = %s WHERE till = %s AND tree_size = %s",
                     ("0" * 64, Jsonb(cp.witness_sign(WITNESS, settings.till, data)), settings.till, size))
        conn.commit()
    with pytest.raises(PulledDataRefused, match="not signed by this till's key"):
        worker.sync_once(ctx, settings)
    assert int(size) not in held(ctx)


def _rewrite_and_resign(data_dir: Path, seq: int, change, till: str) -> None:  # type: ignore[no-untyped-def]
    """What someone with the database *and* the till's private key can do: edit an entry, re-hash
    every entry after it and re-sign every later checkpoint, so every local check passes again."""
    key = cp.load_private_key(data_dir)
    db = sqlite3.connect(data_dir / "till.sqlite")
    db.execute("DROP TRIGGER audit_log_no_update")
    builder, prev = RootBuilder(), GENESIS_PREV
    for number, body in db.execute("SELECT seq, body FROM audit_log ORDER BY seq").fetchall():
        entry = json.loads(body)
        if number == seq:
            change(entry)
        if number >= seq and entry["type"] == cp.CHECKPOINT_TYPE:
            signed = cp.sign_checkpoint(key, till, builder.size, builder.root().hex(), prev)
            entry["data"].update(signed, frontier=[h.hex() for h in builder.frontier()])
        entry["prev"] = prev
        new = canonical_bytes(entry)
        builder.append(new)
        prev = entry_hash(new)
        if number >= seq:
            db.execute("UPDATE audit_log SET body = ?, prev = ?, hash = ? WHERE seq = ?", (new, entry["prev"], prev,
                                                                                          number))
    db.commit()
    db.close()


def test_a_local_rewrite_after_a_witnessed_checkpoint_fails_verify(url, tmp_path) -> None:
    ctx, settings, count = synced_and_imported(url, tmp_path / "t", unique_store())
    worker.sync_once(ctx, settings)
    assert len(held(ctx)) == count
    with ctx.uow(read_only=True) as uow:
        first_witness = uow.conn.exec_driver_sql(
            "SELECT entry_seq, tree_size FROM checkpoint_witnesses ORDER BY tree_size LIMIT 1").first()
        target = next(s for s, body, _p, _h in uow.audit.iter_raw() if b'"type":"shift.opened"' in body)
    assert target <= first_witness[1]

    def edit(entry: dict) -> None:  # no finalised record points at it
        entry["data"]["note"] = "rewritten"

    _rewrite_and_resign(ctx.data_dir, target, edit, settings.till)
    report = audit.verify(ctx)
    # every local check passes: only head office's countersignatures can tell
    assert {p.kind for p in report.problems} == {"witness"}, report.problems
    assert report.problems[0].seq == first_witness[0] and report.witnessed == 0
    assert f"checkpoint #{first_witness[0]} (entries 1..{first_witness[1]})" in report.problems[0].message
    code, as_json = verify_cli(ctx.data_dir)
    assert code == 1 and as_json["first_bad_seq"] == first_witness[0]
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--data-dir", str(ctx.data_dir), "audit", "verify"]) == 1
    assert f"checkpoint #{first_witness[0]}" in out.getvalue() and "no longer matches" in out.getvalue()


def test_a_countersignature_edited_on_the_till_is_a_problem(url, tmp_path) -> None:
    ctx, settings, _count = synced_and_imported(url, tmp_path / "t", unique_store())
    worker.sync_once(ctx, settings)
    db = sqlite3.connect(ctx.data_dir / "till.sqlite")
    db.execute("UPDATE checkpoint_witnesses SET root = ? WHERE tree_size = (SELECT min(tree_size) "
               "FROM checkpoint_witnesses)", ("f" * 64,))
    db.commit()
    db.close()
    report = audit.verify(ctx)
    assert [p.kind for p in report.problems] == ["witness"]
    assert "countersignature held on this till does not verify" in report.problems[0].message
