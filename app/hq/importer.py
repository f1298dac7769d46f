"""`hq import`: verify what each till pushed, extend its accepted chain, consolidate, countersign.

Per till, from the last accepted entry on: every entry must hash to its hash, be a well-formed
format v1 entry naming this till and its sequence number (`entry_reader`; canonical form is left
to `hq verify`), and link to the accepted head. Checkpoints must carry
the enrolled key's signature over the Merkle root head office itself computes for entries
1..n, and be RFC 9162-consistent with the last accepted checkpoint. Nothing pushed is ever
deleted: a second, different entry at a sequence number is a fork and is flagged; an entry that
cannot be read is quarantined and the walk stops there (first gap or break) and resumes next
time; an accepted entry whose business data cannot be consolidated (bad amounts, a document id
already taken) stays in the chain and is quarantined with the reason. One bad till never blocks
the others.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from platformdirs import user_data_dir

from app.audit import checkpoint, merkle
from app.hq.import_prepare import Prepared, prepare
from db.central import enrol_repo, import_repo
from db.central.import_writer import BackgroundWriter, Chunk, write_chunk

CLOCK_SKEW_S = 300.0


@dataclass
class TillImport:
    till: str
    accepted: int = 0
    head_seq: int = 0
    checkpoints: int = 0
    forks: int = 0
    quarantined: int = 0
    problems: list[str] = field(default_factory=list)


def witness_key_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    chosen = explicit or os.environ.get("TILLSTONE_HQ_KEY_DIR") or user_data_dir("tillstone-hq", "Tillstone")
    return Path(chosen).expanduser()


def load_witness_key(directory: Path) -> Ed25519PrivateKey:
    """Head office's countersigning key, created on first use (mode 0600)."""
    if not (directory / checkpoint.PRIVATE_KEY_FILE).exists():
        checkpoint.make_keypair(directory)
    return checkpoint.load_private_key(directory)


class _TillRun:
    """One till's import inside one transaction; every write goes through the chunk writer."""

    def __init__(self, conn: psycopg.Connection, till: str, store: str, public_key: bytes,
                 witness: Ed25519PrivateKey, chunk: int = 5_000, horizon: int | None = 0,
                 pool: Executor | None = None, jobs: int = 1) -> None:
        self.conn, self.till, self.store, self.public_key, self.witness = conn, till, store, public_key, witness
        self.horizon, self.pool, self.jobs = horizon, pool, jobs
        self.chunk_size = chunk
        self.state = import_repo.chain_state(conn, till)
        self.builder = merkle.RootBuilder(self.state.accepted_seq, self.state.frontier)
        self.result = TillImport(till, head_seq=self.state.accepted_seq)
        self.chunk = Chunk()
        self.first_checkpoint: tuple[int, str] | None = (
            (self.state.checkpoint_size, self.state.checkpoint_root) if self.state.checkpoint_root else None
        )
        self.new_checkpoint: tuple[int, str] | None = None
        self.new_frontier: list[bytes] | None = None

    def problem(self, kind: str, seq: int, detail: str) -> None:
        self.chunk.problems.append((kind, seq, detail))
        self.result.problems.append(f"{kind} at {seq}: {detail}")

    def quarantine(self, seq: int, digest: str, body: bytes | None, reason: str) -> None:
        self.chunk.quarantined.append((seq, digest, body, reason))
        self.result.quarantined += 1

    def run(self) -> TillImport:
        # only rows that arrived since the last scan: a rewritten old entry arrives as a new row
        if self.horizon is not None:
            for seq, digest, accepted in import_repo.forks_below(self.conn, self.till, self.state.accepted_seq,
                                                                  self.state.scanned_arrival, self.horizon):
                self.problem("fork", seq, f"entry {digest} differs from accepted {accepted}")
                self.result.forks += 1
            self.state.scanned_arrival = self.horizon
        chunks = import_repo.pending_chunks(self.conn, self.till, self.state.accepted_seq, self.chunk_size)
        try:
            with BackgroundWriter(self.conn, self.till) as writer:
                self.walk(chunks, writer)
        finally:
            chunks.close()
        self.result.quarantined += len(writer.refused)
        self.finish()
        return self.result

    def walk(self, chunks: Iterator[list[tuple[int, str, bytes]]], writer: BackgroundWriter) -> None:
        """Take entries seq by seq (a chunk holds every version of its seqs), in order; workers
        prepare the next chunks meanwhile and the server writes chunk k while this walks chunk k+1.
        Rows are fetched only when the writer is idle: the connection is shared."""
        pending: deque[Any] = deque()

        def fetch() -> None:
            rows = next(chunks, None)
            if rows is not None:
                pending.append(self.pool.submit(prepare, self.till, self.store, rows) if self.pool else rows)

        for _ in range(self.jobs + 1 if self.pool else 1):
            fetch()
        while pending:
            item = pending.popleft()
            prepared = item.result() if self.pool else prepare(self.till, self.store, item)
            for _seq, group in groupby(prepared, key=attrgetter("seq")):
                if not self.take(list(group)):
                    for later in pending:
                        if self.pool:
                            later.cancel()
                    writer.submit(self.handed_over())
                    return
            writer.wait()  # the connection is free: fetch more rows, then hand these over
            fetch()
            writer.submit(self.handed_over())

    def handed_over(self) -> Chunk:
        chunk, self.chunk = self.chunk, Chunk()
        return chunk

    def take(self, group: list[Prepared]) -> bool:
        """Accept the one candidate at this seq that links to the head; False stops the walk."""
        seq = group[0].seq
        expected = self.state.accepted_seq + 1
        if seq != expected:  # not stored as a problem: it resolves itself when the entries arrive
            self.result.problems.append(f"gap at {expected}: entries {expected}..{seq - 1} have not arrived")
            return False
        chosen, broken = None, []
        for row in group:
            if row.refused is not None:
                self.quarantine(seq, row.digest, row.body, row.refused)
            elif row.prev != self.state.accepted_hash:
                broken.append(row.digest)
            elif chosen is None:
                chosen = row
            else:
                broken.append(row.digest)
        if chosen is None:
            for digest in broken:
                self.problem("chain_break", seq, f"entry {digest} does not link to accepted entry {seq - 1}")
            if not broken:
                self.result.problems.append(f"gap at {seq}: no readable entry at this sequence number")
            return False
        for digest in broken:
            self.problem("fork", seq, f"entry {digest} competes with accepted {chosen.digest}")
            self.result.forks += 1
        self.accept(chosen)
        return True

    def accept(self, row: Prepared) -> None:
        if row.checkpoint is not None:
            self.check_checkpoint(row.seq, row.checkpoint)
        if row.data_error is not None:
            self.quarantine(row.seq, row.digest, row.body, row.data_error)
        elif row.tables:
            self.chunk.entries.append((row.seq, row.digest, row.tables))
        if row.month:
            self.chunk.months.add(row.month)
        assert row.leaf is not None and row.accepted is not None
        self.builder.append_hash(row.leaf)
        self.chunk.accepted.append(row.accepted)
        self.state.accepted_seq, self.state.accepted_hash = row.seq, row.digest
        self.result.accepted += 1
        self.result.head_seq = row.seq

    def check_checkpoint(self, seq: int, data: dict[str, Any]) -> None:
        if not checkpoint.verify_checkpoint(self.public_key, self.till, data):
            self.problem("bad_checkpoint", seq, "signature does not verify against the enrolled key")
            return
        if data["tree_size"] != seq - 1 or data["head"] != self.state.accepted_hash:
            self.problem("bad_checkpoint", seq, "checkpoint does not cover exactly the entries before it")
            return
        if data["root"] != self.builder.root().hex():
            self.problem("bad_checkpoint", seq, "signed root differs from the accepted history: rewritten")
            return
        self.chunk.checkpoints.append((seq, data, checkpoint.witness_sign(self.witness, self.till, data)))
        self.new_checkpoint = (data["tree_size"], data["root"])
        self.new_frontier = self.builder.frontier()  # the builder holds exactly entries 1..tree_size here
        self.result.checkpoints += 1

    def finish(self) -> None:
        """The last rows, the consistency proof (needs every leaf written), then the new chain state."""
        self.result.quarantined += len(write_chunk(self.conn, self.till, self.handed_over()))
        if self.new_checkpoint:
            self.check_consistency()
            self.state.checkpoint_size, self.state.checkpoint_root = self.new_checkpoint
            self.state.checkpoint_frontier = self.new_frontier
        write_chunk(self.conn, self.till, self.handed_over())  # a problem the proof may have found
        self.state.frontier = self.builder.frontier()
        import_repo.save_chain_state(self.conn, self.state)
        import_repo.flag_clock_skew(self.conn, self.till, CLOCK_SKEW_S)

    def check_consistency(self) -> None:
        """The new checkpoint's tree extends the last accepted one.

        From the frontier kept at the last checkpoint: its root must be that checkpoint's, and the
        frontier extended with the stored leaves after it must give the new root; the frontier fixes
        every perfect subtree of the first m leaves, so this holds only if the tree of n starts with
        the tree of m. Reads the leaves since the last checkpoint, not the history. Without a kept
        frontier (a checkpoint accepted before it was kept): RFC 9162's proof over every leaf, once.
        """
        assert self.new_checkpoint is not None
        if not self.first_checkpoint:
            return
        (m, root_m), (n, root_n) = self.first_checkpoint, self.new_checkpoint
        if m == n:
            return
        frontier = self.state.checkpoint_frontier
        if frontier is not None and len(frontier) == bin(m).count("1"):
            builder = merkle.RootBuilder(m, frontier)
            extends = builder.root().hex() == root_m
            for leaf in import_repo.leaf_hashes(self.conn, self.till, n, after=m):
                builder.append_hash(leaf)
            extends = extends and builder.size == n and builder.root().hex() == root_n
        else:
            proof = merkle.consistency_proof_from_hashes(m, import_repo.leaf_hashes(self.conn, self.till, n))
            extends = merkle.verify_consistency(m, n, bytes.fromhex(root_m), bytes.fromhex(root_n), proof)
        if not extends:
            self.problem("inconsistent_checkpoint", n, f"tree of {n} does not extend accepted checkpoint of {m}")


def default_jobs() -> int:
    """One worker process per core the import may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def import_all(
    conn: psycopg.Connection, witness: Ed25519PrivateKey, *, tills: list[str] | None = None, chunk: int = 5_000,
    jobs: int = 1,
) -> list[TillImport]:
    """Import every enrolled till (or the named ones); one committed transaction per till.

    `chunk` entries are verified while the previous chunk is written. With `jobs` > 1, that many
    worker processes read, hash and consolidate chunks ahead of the walk (started once, for every
    till); the walk, the Merkle tree and every write stay in this process, in order.
    """
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    with conn.transaction():  # every statement inside a block: outside one, psycopg would open an
        # implicit transaction and each till's block below would only be a savepoint in it
        enrol_repo.register_witness_key(conn, checkpoint.key_id(checkpoint.public_bytes(witness)),
                                        checkpoint.public_bytes(witness))
        enrolled = import_repo.enrolled(conn)
    chosen = [(t, s, k) for t, s, k in enrolled if not tills or t in tills]
    pool = _pool(jobs) if jobs > 1 and chosen else None
    try:
        results = []
        for till, store, key in chosen:
            horizon = import_repo.arrival_horizon(conn, till)  # its own short transaction, before the till's
            with conn.transaction():
                import_repo.lock_import(conn)
                results.append(_TillRun(conn, till, store, key, witness, chunk, horizon, pool, jobs).run())
        return results
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)


def _pool(jobs: int) -> Executor:
    """Workers started from a clean server process (forkserver): a fork of this one would carry
    its open connection and the writer's thread."""
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver"))
