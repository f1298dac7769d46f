"""Sync and head-office import benchmarks against the local PostgreSQL.

- sync_rows_per_s: the till worker pushing N audit entries (sale entries with their lines and
  payments) through its own role; baseline: a raw COPY of the same rows into a plain logged table
  with a primary key (same durability, none of the protocol: no temp table, validation,
  conflict handling, ledger, row-level security or till-side reads and state).
- hq_import_entries_per_s: `hq import` verifying and consolidating them; baseline: reading the
  same rows back and hashing them (the least any verifier must do).
- busy_day_sync_s: one sync round of a 2,000-sale day; baseline: raw COPY of the same rows.

Entries are real canonical v1 entries made with the audit code, written straight into a real
till database (simulating 200,000 sales through the use cases would take longer than the
push being measured).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from app.audit import checkpoint, merkle
from app.audit.format_v1 import GENESIS_PREV, make_entry
from app.bootstrap import init_till, open_till
from app.hq import enrol as enrolment
from app.hq.importer import import_all
from app.sync import worker
from app.sync.connection import read_file
from app.usecases.checkpoints import ensure_till_key
from bench.timing import metric
from db.central.schema import connect, upgrade

ADMIN_URL = os.environ.get("TILLSTONE_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


def _sale(till: str, day: str, n: int) -> dict:
    lines = [{"sku": f"SKU{(n * 7 + i) % 500:04d}", "name": f"Product {i}", "qty": "1.000", "unit_price": "2.50",
              "discount": "0.00", "net": "2.08", "tax": "0.42", "gross": "2.50", "tax_code": "A"} for i in range(3)]
    return {"business_date": day, "sale_id": f"{till}-{n}", "receipt_no": f"{till}-{day.replace('-', '')}-{n:04d}",
            "shift_id": f"{till}-{day}", "customer_id": None, "lines": lines, "subtotal_discount": "0.00",
            "net": "6.24", "tax": "1.26", "gross": "7.50", "payments": [{"method": "card", "amount": "7.50"}],
            "change": "0.00"}


def build_entries(till: str, key: Ed25519PrivateKey, sales: int, per_day: int = 2000,
                  start_seq: int = 1, prev: str = GENESIS_PREV, builder: merkle.RootBuilder | None = None):
    """(seq, ts, type, body, prev, hash) rows: days of `per_day` sales, each day closed and checkpointed."""
    rows, seq, made, day_no = [], start_seq, 0, 0
    builder = builder or merkle.RootBuilder()

    def add(type_: str, data: dict) -> None:
        nonlocal seq, prev
        ts = f"2026-{1 + day_no // 28:02d}-{1 + day_no % 28:02d}T10:00:00.{seq % 1_000_000:06d}Z"
        _, body, digest = make_entry(till=till, seq=seq, ts=ts, type_=type_, actor="bench", data=data, prev=prev)
        rows.append((seq, ts, type_, body, prev, digest))
        builder.append(body)
        seq, prev = seq + 1, digest

    while made < sales:
        day = f"2026-{1 + day_no // 28:02d}-{1 + day_no % 28:02d}"
        shift = f"{till}-{day}"
        add("shift.opened", {"business_date": day, "shift_id": shift, "opening_float": "100.00"})
        for _ in range(min(per_day, sales - made)):
            add("sale.completed", _sale(till, day, made))
            made += 1
        add("shift.closed", {"business_date": day, "shift_id": shift, "expected_cash": "100.00",
                             "counted_cash": "100.00", "difference": "0.00"})
        add("audit.checkpoint", checkpoint.sign_checkpoint(key, till, builder.size, builder.root().hex(), prev))
        day_no += 1
    return rows, prev, builder


def _write_till(ctx, rows) -> None:  # type: ignore[no-untyped-def]
    with ctx.uow() as uow:
        raw = uow.conn.connection.driver_connection
        raw.executemany(
            "INSERT INTO audit_log (seq, ts, type, actor, body, prev, hash) VALUES (?, ?, ?, 'bench', ?, ?, ?)", rows
        )
        uow.commit()


def _raw_copy(url: str, rows, table: str, runs: int = 3) -> float:
    """Median of `runs` raw COPYs, each into a fresh table: one COPY of ~180 MB swings threefold
    with the server's checkpoints and the disk, which made the ratio meaningless."""
    times = []
    with psycopg.connect(url) as conn:
        for run in range(runs):
            name = f"{table}_{run}"
            # same durability and key as the real table (logged, primary key), none of the protocol
            conn.execute(f"CREATE TABLE {name} (seq bigint, hash text, body bytea, PRIMARY KEY (seq, hash))")
            conn.commit()
            start = time.perf_counter()
            with conn.cursor() as cur, cur.copy(f"COPY {name} (seq, hash, body) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "text", "bytea"])
                for r in rows:
                    copy.write_row((r[0], r[5], r[3]))
            conn.commit()
            times.append(time.perf_counter() - start)
            conn.execute(f"DROP TABLE {name}")
            conn.commit()
    return statistics.median(times)


def _till(url: str, base: Path, store: str):  # type: ignore[no-untyped-def]
    data_dir = base / store
    ctx = init_till(data_dir, store=store, till="T01")
    public = ensure_till_key(data_dir)
    key = checkpoint.load_private_key(data_dir)
    settings = enrolment.enrol(url, store=store, till_id="T01", public_key=public)
    out = base / f"{store}.json"
    import json

    out.write_text(json.dumps(settings.to_json()))
    enrolment.install(data_dir, read_file(out), ctx.settings.audit_till)
    return open_till(data_dir), settings, key


def run(quick: bool = False) -> list[dict]:
    """The three sync figures, each with its same-run raw baseline."""
    n = 20_000 if quick else 200_000
    name = f"tillstone_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    roles: list[str] = []
    results = []
    try:
        upgrade(url)
        suffix = uuid.uuid4().hex[:5].upper()
        with tempfile.TemporaryDirectory() as tmp:
            ctx, settings, key = _till(url, Path(tmp), "B" + suffix)
            roles.append(settings.conninfo["user"])
            rows, _, _ = build_entries(settings.till, key, n)
            _write_till(ctx, rows)
            raw_s = _raw_copy(url, rows, "raw_baseline")
            start = time.perf_counter()
            report = worker.sync_once(ctx, settings, batch_size=5000, pull=False)
            push_s = time.perf_counter() - start
            assert report.inserted == len(rows), report
            results.append(metric("sync_rows_per_s", len(rows) / push_s, "rows/s", len(rows) / raw_s,
                                  higher_is_better=True))

            with connect(url) as conn:
                start = time.perf_counter()
                digest_count = 0
                import hashlib

                with conn.cursor(binary=True) as cur:
                    cur.execute("SELECT body FROM raw_entries WHERE till = %s ORDER BY seq", (settings.till,))
                    for (body,) in cur:
                        hashlib.sha256(body).digest()
                        digest_count += 1
                base_s = time.perf_counter() - start
                start = time.perf_counter()
                imported = import_all(conn, Ed25519PrivateKey.generate(), tills=[settings.till])
                import_s = time.perf_counter() - start
            assert imported[0].accepted == len(rows) and not imported[0].problems, imported[0].problems
            results.append(metric("hq_import_entries_per_s", len(rows) / import_s, "entries/s",
                                  digest_count / base_s, higher_is_better=True))

            ctx2, settings2, key2 = _till(url, Path(tmp), "D" + suffix)
            roles.append(settings2.conninfo["user"])
            day_rows, _, _ = build_entries(settings2.till, key2, 2000)
            _write_till(ctx2, day_rows)
            raw_day = _raw_copy(url, day_rows, "raw_day_baseline")
            start = time.perf_counter()
            worker.sync_once(ctx2, settings2, pull=True)
            day_s = time.perf_counter() - start
            results.append(metric("busy_day_sync_s", day_s, "s", raw_day))
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            for role in roles:
                admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
    return results
