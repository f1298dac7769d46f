"""Head office's SQL for `hq import` and `hq verify`: pushed rows in, verified chain and
consolidated rows out. One transaction per till: a verified prefix and its consolidated rows
commit together or not at all, so an interrupted import simply runs again.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from db.central.schema import store_of

CONSOLIDATED_COLUMNS = {
    "sales_docs": ("till", "store_id", "business_date", "doc_kind", "doc_id", "ref_id", "receipt_no", "shift_id",
                   "customer_id", "seq", "ts", "net", "tax", "gross", "subtotal_discount", "change", "actor"),
    "doc_lines": ("till", "store_id", "business_date", "doc_kind", "doc_id", "line_no", "sku", "name", "qty",
                  "unit_price", "discount", "net", "tax", "gross", "tax_code", "unit_cost"),
    "doc_payments": ("till", "store_id", "business_date", "doc_kind", "doc_id", "pay_no", "method", "amount"),
    "shift_events": ("till", "store_id", "business_date", "shift_id", "event", "seq", "ts", "opening_float",
                     "expected_cash", "counted_cash", "difference"),
    "cash_events": ("till", "store_id", "business_date", "seq", "kind", "shift_id", "amount", "reason"),
}


@dataclass
class ChainState:
    till: str
    accepted_seq: int
    accepted_hash: str
    frontier: list[bytes]
    checkpoint_size: int
    checkpoint_root: str | None
    scanned_arrival: int | None = None  # forks scanned in rows that arrived up to here (None: never)
    checkpoint_frontier: list[bytes] | None = None  # Merkle frontier at checkpoint_size (None: unknown)


LOCK_TIMEOUT_MS = 30_000


def lock_import(conn: psycopg.Connection) -> None:
    """One importer at a time (released at commit). A row lock on a table till roles have no
    grant on: an advisory key would be open to every role on the server."""
    conn.execute(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}")
    conn.execute("SELECT 1 FROM hq_locks WHERE name = 'import' FOR UPDATE")


def chain_state(conn: psycopg.Connection, till: str) -> ChainState:
    row = conn.execute(
        "SELECT accepted_seq, accepted_hash, frontier, checkpoint_size, checkpoint_root, scanned_arrival, "
        "checkpoint_frontier FROM chain_state WHERE store_id = %s AND till = %s FOR UPDATE", (store_of(till), till),
    ).fetchone()
    if row is None:
        conn.execute("INSERT INTO chain_state (store_id, till) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                     (store_of(till), till))
        return ChainState(till, 0, "0" * 64, [], 0, None)
    return ChainState(till, int(row[0]), row[1], [bytes(b) for b in row[2]], int(row[3]), row[4],
                      None if row[5] is None else int(row[5]), None if row[6] is None else [bytes(b) for b in row[6]])


def save_chain_state(conn: psycopg.Connection, state: ChainState) -> None:
    conn.execute(
        "UPDATE chain_state SET accepted_seq = %s, accepted_hash = %s, frontier = %s, checkpoint_size = %s, "
        "checkpoint_root = %s, scanned_arrival = %s, checkpoint_frontier = %s, last_import = now() "
        "WHERE store_id = %s AND till = %s",
        (state.accepted_seq, state.accepted_hash, state.frontier, state.checkpoint_size, state.checkpoint_root,
         state.scanned_arrival, state.checkpoint_frontier, store_of(state.till), state.till),
    )


def arrival_horizon(conn: psycopg.Connection, till: str) -> int | None:
    """The till's highest arrival number, read while holding its push lock, in a transaction of its
    own: no push of the till is in flight then, so every row numbered up to it has committed, and a
    push that starts later numbers its rows above it (one sequence, handed out in order). None when
    the lock stays taken past the timeout (the till's own push, or the till holding its own row):
    the fork scan then waits for the next import."""
    try:
        with conn.transaction():
            conn.execute(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}")
            conn.execute("SELECT 1 FROM push_locks WHERE store_id = %s AND till = %s FOR UPDATE",
                         (store_of(till), till))
            row = conn.execute("SELECT coalesce(max(arrival), 0) FROM raw_entries WHERE store_id = %s "
                               "AND till = %s", (store_of(till), till)).fetchone()
    except psycopg.errors.LockNotAvailable:
        return None
    return int(row[0]) if row else 0


FORKS = ("SELECT r.seq, r.hash, a.hash FROM raw_entries r JOIN accepted_entries a "
         "ON a.store_id = r.store_id AND a.till = r.till AND a.seq = r.seq "
         "WHERE r.store_id = %(store)s AND r.till = %(till)s AND r.seq <= %(head)s AND r.hash <> a.hash ")


def forks_below(conn: psycopg.Connection, till: str, accepted_seq: int, after_arrival: int | None,
                horizon: int) -> list[tuple[int, str, str]]:
    """Pushed rows that differ from the accepted entry at the same sequence number, among the rows
    that arrived after `after_arrival` and up to `horizon` (all rows up to it when None: the first
    scan, which also reads rows pushed before arrivals were numbered)."""
    params = {"store": store_of(till), "till": till, "head": accepted_seq, "after": after_arrival, "upto": horizon}
    where = ("AND (r.arrival IS NULL OR r.arrival <= %(upto)s)" if after_arrival is None
             else "AND r.arrival > %(after)s AND r.arrival <= %(upto)s")
    return [(int(s), h, a) for s, h, a in conn.execute(FORKS + where + " ORDER BY r.seq", params)]


def pending_chunks(
    conn: psycopg.Connection, till: str, after_seq: int, chunk: int = 5_000
) -> Generator[list[tuple[int, str, bytes]], None, None]:
    """(seq, hash, body) pushed after the accepted prefix, in order, the versions of one seq
    together (more than one = a fork), fetched a range of `chunk` sequence numbers at a time and
    only when asked for, so the caller can let a background writer use the connection in between.

    Ranges rather than one cursor: each range is a short index scan sorted in memory, whatever the
    table's statistics say (one cursor over a freshly pushed, not yet analysed table was planned as
    a full sort of every body).
    """
    low, store = after_seq, store_of(till)
    with conn.cursor(binary=True) as cur:
        while True:
            rows = cur.execute(
                "SELECT seq, hash, body FROM raw_entries WHERE store_id = %s AND till = %s AND seq > %s "
                "AND seq <= %s ORDER BY seq, received_at, hash", (store, till, low, low + chunk),
            ).fetchall()
            if rows:
                yield [(int(seq), digest, bytes(body)) for seq, digest, body in rows]
                low += chunk
                continue
            row = cur.execute("SELECT min(seq) FROM raw_entries WHERE store_id = %s AND till = %s AND seq > %s",
                              (store, till, low)).fetchone()
            if row is None or row[0] is None:
                return
            low = int(row[0]) - 1  # past a gap: the walk reports it


def leaf_hashes(conn: psycopg.Connection, till: str, upto: int, after: int = 0) -> list[bytes]:
    """Leaf hashes of accepted entries after..upto, in order."""
    with conn.cursor(binary=True) as cur:
        cur.execute("SELECT leaf_hash FROM accepted_entries WHERE store_id = %s AND till = %s AND seq > %s "
                    "AND seq <= %s ORDER BY seq", (store_of(till), till, after, upto))
        return [bytes(r[0]) for r in cur]


def copy_lines(conn: psycopg.Connection, table: str, columns: Sequence[str], lines: Sequence[bytes]) -> None:
    """COPY rows already rendered in COPY's text format (by the import's workers)."""
    if not lines:
        return
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(b"".join(lines))


ACCEPTED_COLUMNS = ("store_id", "till", "seq", "hash", "leaf_hash", "type", "ts", "business_date")


def add_accepted(conn: psycopg.Connection, lines: Sequence[bytes]) -> None:
    """COPY lines of (store_id, till, seq, hash, leaf_hash, type, ts, business_date)."""
    copy_lines(conn, "accepted_entries", ACCEPTED_COLUMNS, lines)


def add_consolidated(conn: psycopg.Connection, tables: dict[str, list[bytes]]) -> None:
    """COPY lines per consolidated table, in the columns of CONSOLIDATED_COLUMNS."""
    for table, lines in tables.items():
        copy_lines(conn, table, CONSOLIDATED_COLUMNS[table], lines)


def add_checkpoint(conn: psycopg.Connection, till: str, entry_seq: int, data: dict[str, Any],
                   witness: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO checkpoints (store_id, till, tree_size, entry_seq, root, head, key_id, signature, witness) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (store_of(till), till, data["tree_size"], entry_seq, data["root"], data["head"], data["key_id"],
         data["signature"], Jsonb(witness)),
    )


def add_problem(conn: psycopg.Connection, till: str, kind: str, seq: int, detail: str) -> None:
    conn.execute(
        "INSERT INTO problems (store_id, till, kind, seq, detail) VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (store_of(till), till, kind, seq, detail),
    )


def quarantine(conn: psycopg.Connection, till: str, seq: int, digest: str, body: bytes | None, reason: str) -> None:
    conn.execute(
        "INSERT INTO quarantine (store_id, till, seq, hash, body, stage, reason) "
        "VALUES (%s, %s, %s, %s, %s, 'import', %s) ON CONFLICT DO NOTHING",
        (store_of(till), till, seq, digest, body, reason[:500]),
    )


def flag_clock_skew(conn: psycopg.Connection, till: str, threshold_s: float) -> int:
    """Batches whose till time differs from server time by more than the threshold."""
    return conn.execute(
        """INSERT INTO problems (store_id, till, kind, seq, detail)
           SELECT store_id, till, 'clock_skew', last_seq,
                  format('batch %%s: till clock off by %%s s', batch_id,
                         round(extract(epoch FROM till_time - server_time)::numeric, 1))
           FROM sync_batches
           WHERE store_id = %s AND till = %s AND abs(extract(epoch FROM till_time - server_time)) > %s
           ON CONFLICT DO NOTHING""", (store_of(till), till, threshold_s),
    ).rowcount


def enrolled(conn: psycopg.Connection) -> list[tuple[str, str, bytes]]:
    return [(t, s, bytes(k)) for t, s, k in conn.execute("SELECT till, store_id, public_key FROM tills ORDER BY till")]


def checkpoints_of(conn: psycopg.Connection, till: str) -> list[dict[str, Any]]:
    cols = ("tree_size", "entry_seq", "root", "head", "key_id", "signature", "witness")
    rows = conn.execute(f"SELECT {', '.join(cols)} FROM checkpoints WHERE store_id = %s AND till = %s "
                        "ORDER BY tree_size", (store_of(till), till))
    return [dict(zip(cols, r, strict=True)) for r in rows]


def verify_summary(conn: psycopg.Connection, till: str) -> dict[str, Any]:
    """Counts `hq verify` reports per till."""
    row = conn.execute(
        """SELECT cs.accepted_seq, cs.accepted_hash,
                  (SELECT coalesce(max(seq), 0) FROM raw_entries r WHERE r.store_id = cs.store_id AND r.till = cs.till),
                  (SELECT count(*) FROM raw_entries r WHERE r.store_id = cs.store_id AND r.till = cs.till
                     AND r.seq > cs.accepted_seq),
                  (SELECT count(*) FROM checkpoints c WHERE c.store_id = cs.store_id AND c.till = cs.till)
           FROM chain_state cs WHERE cs.store_id = %s AND cs.till = %s""", (store_of(till), till),
    ).fetchone()
    problems = [
        {"kind": k, "seq": int(s), "detail": d}
        for k, s, d in conn.execute("SELECT kind, seq, detail FROM problems WHERE store_id = %s AND till = %s "
                                    "ORDER BY seq, id", (store_of(till), till))
    ]
    quarantined = [
        {"seq": int(s), "stage": st, "reason": r}
        for s, st, r in conn.execute("SELECT seq, stage, reason FROM quarantine WHERE store_id = %s AND till = %s "
                                     "ORDER BY seq, id", (store_of(till), till))
    ]
    accepted, head, pushed, unaccepted, n_checkpoints = row if row else (0, "", 0, 0, 0)
    return {
        "accepted_seq": int(accepted), "head": head, "pushed_seq": int(pushed), "unaccepted": int(unaccepted),
        "quarantined": quarantined, "checkpoints": int(n_checkpoints), "problems": problems,
    }


def accepted_chain(conn: psycopg.Connection, till: str) -> Iterator[tuple[int, str, bytes, bytes]]:
    """(seq, hash, leaf_hash, body) of the accepted chain, for a full re-verification."""
    with conn.cursor(name=f"chain_{abs(hash(till))}", binary=True) as cur:
        cur.itersize = 20_000
        cur.execute(
            "SELECT a.seq, a.hash, a.leaf_hash, r.body FROM accepted_entries a "
            "JOIN raw_entries r ON r.store_id = a.store_id AND r.till = a.till AND r.seq = a.seq AND r.hash = a.hash "
            "WHERE a.store_id = %s AND a.till = %s ORDER BY a.seq", (store_of(till), till),
        )
        for seq, digest, leaf, body in cur:
            yield int(seq), digest, bytes(leaf), bytes(body)
