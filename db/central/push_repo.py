"""What a till runs on the central store, under its own role: push a batch, read its watermark
(the pull is in pull_repo). Row-level security decides what it may see and write; nothing here trusts
the till id the caller passes beyond what PostgreSQL enforces.

A batch is one transaction: COPY into a temporary table, quarantine the rows that fail
validation, `INSERT … ON CONFLICT DO NOTHING` the rest, and record the batch in the ledger.
Sent twice, it lands once; killed half-way, it lands not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import psycopg

from db.central.schema import store_of

MAX_BODY_BYTES = 4 * 1024 * 1024  # the import's bound too (app/audit/format_v1.py MAX_BODY_BYTES)

LOCK_TIMEOUT_MS = 60_000  # only this till's own other round can hold it; longer fails the push, retried next round

# The first branch is the common case and implies all the others (a hash equal to the body's hex
# digest is 64 hex digits), so a good row costs one digest and no regular expression.
VALIDATION = f"""
    CASE WHEN seq >= 1 AND length(body) BETWEEN 1 AND {MAX_BODY_BYTES} AND encode(sha256(body), 'hex') = hash THEN NULL
         WHEN seq IS NULL OR seq < 1 THEN 'bad sequence number'
         WHEN hash IS NULL OR hash !~ '^[0-9a-f]{{64}}$' THEN 'malformed hash'
         WHEN body IS NULL OR length(body) = 0 THEN 'empty body'
         WHEN length(body) > {MAX_BODY_BYTES} THEN 'body too large'
         ELSE 'hash does not match body'
    END
"""


@dataclass(frozen=True)
class PushResult:
    inserted: int
    quarantined: int
    watermark: int


def push_batch(
    conn: psycopg.Connection,
    *,
    till: str,
    batch_id: UUID,
    rows: Sequence[tuple[int, str, bytes]],
    till_time: datetime,
) -> PushResult:
    """Send (seq, hash, body) rows in one transaction; returns what landed and the new watermark."""
    first = min(r[0] for r in rows)
    last = max(r[0] for r in rows)
    with conn.transaction():
        conn.execute(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}")
        # the till's own lock row: row-level security shows a till role no other till's row, so a
        # till can hold up its own pushes and nobody else's (an advisory key anyone could take).
        # Another till's id finds no row here and is refused by the inserts below.
        conn.execute("SELECT 1 FROM push_locks WHERE store_id = %s AND till = %s FOR UPDATE", (store_of(till), till))
        conn.execute("SET LOCAL work_mem = '64MB'")  # the validated batch stays in memory
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS push_raw (seq bigint, hash text, body bytea) "
                     "ON COMMIT DELETE ROWS")
        with conn.cursor() as cur, cur.copy("COPY push_raw (seq, hash, body) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "text", "bytea"])
            for row in rows:
                copy.write_row(row)
        # One statement: validate each row once (the hash check reads every body), route the
        # failures to quarantine, the rest to raw_entries, and write the ledger row.
        inserted = conn.execute(
            f"""WITH v AS MATERIALIZED (SELECT seq, hash, body, {VALIDATION} AS reason FROM push_raw),
                q AS (INSERT INTO quarantine (store_id, till, seq, hash, body, stage, reason, batch_id)
                      SELECT %(store)s, %(till)s, coalesce(seq, 0), coalesce(hash, ''),
                             CASE WHEN length(body) <= {MAX_BODY_BYTES} THEN body END, 'push', reason, %(batch)s
                      FROM v WHERE reason IS NOT NULL ON CONFLICT DO NOTHING),
                l AS (INSERT INTO sync_batches (store_id, till, batch_id, first_seq, last_seq, n_rows,
                                                n_quarantined, till_time)
                      SELECT %(store)s, %(till)s, %(batch)s, %(first)s, %(last)s, %(n)s,
                             (SELECT count(*) FROM v WHERE reason IS NOT NULL), %(till_time)s
                      ON CONFLICT DO NOTHING)
                INSERT INTO raw_entries (store_id, till, seq, hash, body, batch_id)
                SELECT %(store)s, %(till)s, seq, hash, body, %(batch)s FROM v WHERE reason IS NULL
                ON CONFLICT DO NOTHING""",
            {"store": store_of(till), "till": till, "batch": batch_id, "first": first, "last": last, "n": len(rows),
             "till_time": till_time},
        ).rowcount
        ledger = conn.execute("SELECT n_quarantined FROM sync_batches WHERE store_id = %s AND till = %s "
                              "AND batch_id = %s", (store_of(till), till, batch_id)).fetchone()
        quarantined = int(ledger[0]) if ledger else 0
        watermark = _watermark(conn, till)
    return PushResult(inserted=inserted, quarantined=quarantined, watermark=watermark)


def _watermark(conn: psycopg.Connection, till: str) -> int:
    row = conn.execute("SELECT coalesce(max(last_seq), 0) FROM sync_batches WHERE store_id = %s AND till = %s",
                       (store_of(till), till)).fetchone()
    return int(row[0]) if row else 0


def watermark(conn: psycopg.Connection, till: str) -> int:
    """Highest sequence number the central store has acknowledged for this till."""
    with conn.transaction():
        return _watermark(conn, till)

