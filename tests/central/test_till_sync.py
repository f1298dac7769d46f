"""Tills that sold offline sync to a fresh central store: exactly once, in order, verifiably;
through dead databases, killed connections and killed processes; tampering is flagged."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.hq.importer import import_all
from app.hq.verify import verify_all
from app.simulate.runner import simulate
from app.sync import worker
from app.sync.connection import CentralSettings
from db.central import pull_repo
from db.central.schema import CentralUnavailable, connect, upgrade
from tests.central.conftest import unique_store
from tests.central.tills import audit_rows, make_synced_till

pytestmark = pytest.mark.pg
WITNESS = Ed25519PrivateKey.generate()
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    return pg_url


def central_rows(url: str, till: str) -> list[tuple[int, str]]:
    with connect(url) as conn:
        return [(int(s), h) for s, h in conn.execute(
            "SELECT seq, hash FROM raw_entries WHERE till = %s ORDER BY seq, hash", (till,))]


def imported_ok(url: str, till: str) -> dict:
    with connect(url) as conn:
        import_all(conn, WITNESS, tills=[till])
        return verify_all(conn)["tills"][till]


def test_three_tills_sync_concurrently_exactly_once(url, tmp_path) -> None:
    s1, s2 = unique_store(), unique_store()
    tills = [make_synced_till(url, tmp_path / name, store, tid, days=2, sales=15, seed=i)
             for i, (name, store, tid) in enumerate([("a", s1, "T01"), ("b", s1, "T02"), ("c", s2, "T01")])]
    errors: list[BaseException] = []

    def run(ctx, settings) -> None:  # type: ignore[no-untyped-def]
        try:
            worker.sync_once(ctx, settings, batch_size=97)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=t) for t in tills for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for ctx, settings in tills:
        assert central_rows(url, settings.till) == audit_rows(ctx)
        assert worker.sync_once(ctx, settings).inserted == 0  # running again adds nothing
        report = imported_ok(url, settings.till)
        assert report["ok"], report
        assert report["accepted_seq"] == len(audit_rows(ctx)) and report["checkpoints"] >= 2
        assert worker.status(ctx).unsynced == 0


def test_unreachable_database_till_keeps_selling_then_drains(url, tmp_path) -> None:
    ctx, settings = make_synced_till(url, tmp_path / "t", unique_store(), days=1, sales=10)
    dead = CentralSettings(settings.till, settings.store_id, {**settings.conninfo, "port": "1"})
    for _ in range(2):
        with pytest.raises(CentralUnavailable):
            worker.sync_once(ctx, dead)
        simulate(ctx, 1, 10, seed=3)
    status = worker.status(ctx)
    assert status.unsynced == len(audit_rows(ctx)) and status.last_error and status.state == "error"
    backoff = worker.Backoff(base_s=1, cap_s=8, rng=random.Random(1))
    delays = [backoff.next_delay() for _ in range(6)]
    assert all(0 <= d <= 8 for d in delays) and len(set(delays)) == 6
    worker.sync_once(ctx, settings)
    assert central_rows(url, settings.till) == audit_rows(ctx)
    assert worker.status(ctx).unsynced == 0 and worker.status(ctx).last_error is None
    assert imported_ok(url, settings.till)["ok"]


def test_connections_killed_at_random_points_lose_and_duplicate_nothing(url, tmp_path) -> None:
    ctx, settings = make_synced_till(url, tmp_path / "t", unique_store(), days=3, sales=20, seed=7)
    role = settings.conninfo["user"]
    stop = threading.Event()
    kills = []

    def killer() -> None:
        rng = random.Random(42)
        with connect(url, autocommit=True) as admin:
            while not stop.is_set():
                time.sleep(rng.uniform(0.005, 0.05))
                n = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                  "WHERE usename = %s AND pid <> pg_backend_pid()", (role,)).fetchone()[0]
                kills.append(n)

    thread = threading.Thread(target=killer)
    thread.start()
    failures = 0
    try:
        for _ in range(400):
            try:
                worker.sync_once(ctx, settings, batch_size=25, pull=False)
                if worker.status(ctx).unsynced == 0:
                    break
            except (psycopg.Error, CentralUnavailable):
                failures += 1
    finally:
        stop.set()
        thread.join()
    worker.sync_once(ctx, settings)
    assert sum(kills) > 0 and failures > 0
    assert central_rows(url, settings.till) == audit_rows(ctx)
    assert imported_ok(url, settings.till)["ok"]


def test_sync_process_killed_mid_batch_then_resumed(url, tmp_path) -> None:
    ctx, settings = make_synced_till(url, tmp_path / "t", unique_store(), days=3, sales=25, seed=9)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "app.cli.main", "--data-dir", str(tmp_path / "t"), "sync", "--once",
           "--batch-size", "3"]
    rng = random.Random(5)
    killed = 0
    for _ in range(4):
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 1.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait(timeout=30)
    assert killed > 0
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert central_rows(url, settings.till) == audit_rows(ctx)
    assert imported_ok(url, settings.till)["ok"]


def test_till_altered_after_sync_is_flagged(url, tmp_path) -> None:
    ctx, settings = make_synced_till(url, tmp_path / "t", unique_store(), days=1, sales=10)
    worker.sync_once(ctx, settings)
    assert imported_ok(url, settings.till)["ok"]
    db = sqlite3.connect(tmp_path / "t" / "till.sqlite")
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"):
        db.execute(f'DROP TRIGGER "{name}"')
    body = db.execute("SELECT body FROM audit_log WHERE type = 'sale.completed' ORDER BY seq LIMIT 1").fetchone()[0]
    db.execute("UPDATE audit_log SET body = ? WHERE body = ?", (body.replace(b'"gross":"', b'"gross":"1'), body))
    db.commit()
    db.close()
    simulate(ctx, 1, 5, seed=11)  # the next shift close signs a root over the altered log
    worker.sync_once(ctx, settings)
    report = imported_ok(url, settings.till)
    assert not report["ok"]
    assert any("hash does not match body" in issue for issue in report["issues"]), report["issues"]


def test_till_rewritten_and_rehashed_after_sync_is_flagged_as_fork(url, tmp_path) -> None:
    ctx, settings = make_synced_till(url, tmp_path / "t", unique_store(), days=1, sales=8)
    worker.sync_once(ctx, settings)
    assert imported_ok(url, settings.till)["ok"]
    db = sqlite3.connect(tmp_path / "t" / "till.sqlite")
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"):
        db.execute(f'DROP TRIGGER "{name}"')
    seq, body = db.execute("SELECT seq, body FROM audit_log WHERE type = 'sale.completed' ORDER BY seq "
                           "LIMIT 1").fetchone()
    forged = body.replace(b'"gross":"', b'"gross":"1', 1)
    db.execute("UPDATE audit_log SET body = ?, hash = ? WHERE seq = ?",
               (forged, hashlib.sha256(forged).hexdigest(), seq))
    db.commit()
    db.close()
    worker.sync_once(ctx, settings)
    report = imported_ok(url, settings.till)
    assert not report["ok"]
    assert any(issue.startswith(f"fork at {seq}") for issue in report["issues"]), report["issues"]


def test_master_data_pull_reaches_the_till(url, tmp_path) -> None:
    store = unique_store()
    ctx, settings = make_synced_till(url, tmp_path / "t", store, days=0)
    with connect(url) as conn:
        pull_repo.upsert_master(conn, "md_tax_rates", [{"code": "Z", "name": "Zero", "rate_bp": 0}])
        pull_repo.upsert_master(conn, "md_products", [
            {"id": "hq-1", "store_id": store, "sku": "HQ-ONE", "name": "From head office", "price": 250,
             "tax_code": "Z"},
            {"id": "hq-2", "store_id": None, "sku": "HQ-TWO", "name": "Everywhere",
             "price": 99, "tax_code": "Z"},
        ])
        pull_repo.upsert_master(conn, "md_customers", [{"id": "hq-c", "name": "Account Co", "credit_limit": 50000,
                                                        "central_balance": 1200}])
        conn.commit()
    report = worker.sync_once(ctx, settings)
    assert report.pulled == {"tax_rates": 1, "products": 2, "customers": 1}
    with ctx.uow(read_only=True) as uow:
        assert uow.catalogue.by_sku("HQ-ONE").price == 250
        assert uow.people.customer("hq-c").central_balance == 1200
    with connect(url) as conn:
        pull_repo.upsert_master(conn, "md_products", [
            {"id": "hq-1", "store_id": store, "sku": "HQ-ONE", "name": "From head office", "price": 275,
             "tax_code": "Z"}])
        conn.commit()
    assert worker.sync_once(ctx, settings).pulled == {"products": 1}
    with ctx.uow(read_only=True) as uow:
        assert uow.catalogue.by_sku("HQ-ONE").price == 275


def test_a_till_whose_tail_was_cut_after_sync_is_refused(url, tmp_path, capsys) -> None:
    """Central acknowledged more than the till now holds (#17: it used to print "acknowledged up to
    #623" and exit 0): `sync` refuses with exit 1, pushes nothing, and says why."""
    from app.bootstrap import open_till
    from app.cli.main import main
    from tests.support.tamper import cut_tail

    ctx, settings = make_synced_till(url, tmp_path / "t", unique_store(), days=1, sales=10)
    worker.sync_once(ctx, settings)
    ctx.close()
    acknowledged = len(central_rows(url, settings.till))
    cut_tail(tmp_path / "t", acknowledged - 20)  # the till's own cache made to agree: only central knows
    args = ["--data-dir", str(tmp_path / "t"), "sync", "--once"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"acknowledged this till's audit entries up to #{acknowledged}" in err
    assert f"log ends at #{acknowledged - 20}" in err
    assert len(central_rows(url, settings.till)) == acknowledged
    seen: list[worker.SyncStatus] = []  # the GUI's loop: the round fails, the status says why, nothing raises
    worker.SyncService(open_till(tmp_path / "t"), settings, on_status=seen.append).run(rounds=1)
    assert seen[-1].state == "error" and "cut off" in (seen[-1].last_error or "")
    assert main(["--data-dir", str(tmp_path / "t"), "sync", "--status"]) == 0  # the cache was rewritten too
    assert "cut off" in capsys.readouterr().out  # ... but the refusal is the last error
    sqlite3.connect(tmp_path / "t" / "till.sqlite").execute(
        "UPDATE sync_state SET value = ? WHERE key = 'pushed_seq'", (str(acknowledged),)).connection.commit()
    assert main(["--data-dir", str(tmp_path / "t"), "sync", "--status"]) == 1
    assert f"up to #{acknowledged}" in capsys.readouterr().err
