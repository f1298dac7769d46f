"""`hq import` throughput for 1, 2 and 4 tills against a raw COPY of the same rows, and where an
entry's time goes (parse / checks / consolidate / write).

- hq_import_{n}_tills_jobs_{j}_entries_per_s: the same number of entries spread over n tills, already
  pushed (written into raw_entries by COPY: the push is measured in sync_bench), imported by
  `import_all` in one process (j = 1) and with a worker process per core; baseline: a raw COPY of
  the same (seq, hash, body) rows into a plain logged table with a primary key, the least a store
  must do to hold them.
- hq_import_cost_{stage}_us: microseconds per entry of each stage run alone over one till's entries,
  in the importer's order; baseline: the whole import's microseconds per entry (ratio = share).
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from datetime import date

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from app.audit import checkpoint, merkle
from app.audit.format_v1 import read_entry_fast
from app.hq import enrol as enrolment
from app.hq.consolidate import business_date, rows_for
from app.hq.import_prepare import copy_line
from app.hq.importer import default_jobs, import_all
from bench.sync_bench import ADMIN_URL, _raw_copy, build_entries
from bench.timing import metric
from db.central import import_repo
from db.central.schema import connect, ensure_partitions, month_start, upgrade

RUNS = int(os.environ.get("TILLSTONE_BENCH_RUNS", "3"))


def _database() -> str:
    name = f"tillstone_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    upgrade(url)
    return url


def _drop(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url) as conn:
        roles = [r[0] for r in conn.execute("SELECT role_name FROM tills")]
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        for role in roles:
            admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def _pushed(url: str, n_tills: int, total: int) -> list[tuple[str, list]]:
    """n tills enrolled, each with total/n entries in raw_entries as a push would have left them."""
    store = "B" + uuid.uuid4().hex[:5].upper()
    out = []
    for i in range(n_tills):
        key = Ed25519PrivateKey.generate()
        settings = enrolment.enrol(url, store=store, till_id=f"T{i + 1:02d}", public_key=checkpoint.public_bytes(key))
        rows, _, _ = build_entries(settings.till, key, total // n_tills)
        batch = uuid.uuid4()
        with connect(url) as conn, conn.cursor() as cur:
            with cur.copy("COPY raw_entries (store_id, till, seq, hash, body, batch_id) FROM STDIN "
                          "(FORMAT BINARY)") as copy:
                copy.set_types(["text", "text", "int8", "text", "bytea", "uuid"])
                for r in rows:
                    copy.write_row((store, settings.till, r[0], r[5], r[3], batch))
            conn.commit()
        with connect(url) as conn:
            conn.execute("ANALYZE raw_entries")
            conn.commit()
        out.append((settings.till, rows))
    return out


def _import_rate(n_tills: int, total: int, jobs: int) -> tuple[float, float]:
    """(entries/s of the import, rows/s of the raw COPY of the same rows), on a fresh database."""
    url = _database()
    try:
        tills = _pushed(url, n_tills, total)
        rows = [r for _, till_rows in tills for r in till_rows]
        raw_s = _raw_copy(url, rows, "raw_import_baseline", runs=1)
        with connect(url) as conn:
            start = time.perf_counter()
            results = import_all(conn, Ed25519PrivateKey.generate(), jobs=jobs)
            import_s = time.perf_counter() - start
        assert sum(r.accepted for r in results) == len(rows) and not any(r.problems for r in results)
        return len(rows) / import_s, len(rows) / raw_s
    finally:
        _drop(url)


def _stages(total: int) -> dict[str, float]:
    """Seconds each stage takes over one till's entries, run alone, in this process."""
    url = _database()
    try:
        ((till, rows),) = _pushed(url, 1, total)
        store = till.split("-")[0]
        times: dict[str, float] = {}
        start = time.perf_counter()
        entries = [read_entry_fast(r[0], r[5], r[3], till)[0] for r in rows]
        times["parse"] = time.perf_counter() - start
        start = time.perf_counter()
        builder, prev = merkle.RootBuilder(), "0" * 64
        for r, entry in zip(rows, entries, strict=True):
            assert entry is not None and entry["prev"] == prev
            if entry["type"] == checkpoint.CHECKPOINT_TYPE:
                assert builder.root().hex() == entry["data"]["root"]
            builder.append_hash(merkle.leaf_hash(r[3]))
            prev = r[5]
        times["checks"] = time.perf_counter() - start
        start = time.perf_counter()
        consolidated: dict[str, list] = {}
        accepted, months = [], set()
        for r, entry in zip(rows, entries, strict=True):
            day = business_date(entry)
            for table, table_rows in rows_for(entry, store, day).items():
                consolidated.setdefault(table, []).append(b"".join(map(copy_line, table_rows)))
            accepted.append(copy_line((store, till, r[0], r[5], merkle.leaf_hash(r[3]), entry["type"], entry["ts"],
                                       day)))
            if day:
                months.add(month_start(day))
        times["consolidate"] = time.perf_counter() - start
        with connect(url) as conn:
            ensure_partitions(conn, months or {date(2026, 1, 1)})
            conn.commit()
            start = time.perf_counter()
            import_repo.add_accepted(conn, accepted)
            import_repo.add_consolidated(conn, consolidated)
            conn.commit()
            times["write"] = time.perf_counter() - start
        return times
    finally:
        _drop(url)


def run(quick: bool = False) -> list[dict]:
    """Import rates with one process and with a worker per core (medians of RUNS runs, alternated),
    and the per-entry cost split."""
    total = 20_000 if quick else int(os.environ.get("TILLSTONE_BENCH_ENTRIES", "200000"))
    cores = default_jobs()
    results = []
    for n_tills in (1, 2, 4):
        runs: dict[int, list[tuple[float, float]]] = {1: [], cores: []}
        for _ in range(RUNS):
            for jobs in runs:  # A/B alternated within each round: the machine's noise hits both
                runs[jobs].append(_import_rate(n_tills, total, jobs))
        for jobs, measured in runs.items():
            ours = statistics.median(r[0] for r in measured)
            raw = statistics.median(r[1] for r in measured)
            results.append(metric(f"hq_import_{n_tills}_tills_jobs_{jobs}_entries_per_s", ours, "entries/s", raw,
                                  higher_is_better=True))
    stage_runs = [_stages(total) for _ in range(RUNS)]
    whole_us = 1e6 / results[0]["value"]
    for stage in ("parse", "checks", "consolidate", "write"):
        us = statistics.median(t[stage] for t in stage_runs) / total * 1e6
        results.append(metric(f"hq_import_cost_{stage}_us", us, "us/entry", whole_us))
    return results
