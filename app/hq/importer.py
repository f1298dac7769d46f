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

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from platformdirs import user_data_dir

from app.audit import checkpoint, merkle
from app.audit.format_v1 import read_entry_fast
from app.hq.consolidate import DataError, business_date, rows_for
from db.central import enrol_repo, import_repo
from db.central.import_writer import BackgroundWriter, Chunk, write_chunk
from db.central.schema import month_start

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
                 witness: Ed25519PrivateKey, chunk: int = 5_000, horizon: int | None = 0) -> None:
        self.conn, self.till, self.store, self.public_key, self.witness = conn, till, store, public_key, witness
        self.horizon = horizon
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
        """Take entries seq by seq (a chunk holds every version of its seqs); the server writes
        chunk k while this verifies chunk k+1."""
        rows = next(chunks, None)
        while rows is not None:
            for _seq, group in groupby(rows, key=itemgetter(0)):
                if not self.take(list(group)):
                    writer.submit(self.handed_over())
                    return
            writer.wait()  # the connection is free: fetch the next rows, then hand these over
            rows = next(chunks, None)
            writer.submit(self.handed_over())

    def handed_over(self) -> Chunk:
        chunk, self.chunk = self.chunk, Chunk()
        return chunk

    def take(self, group: list[tuple[int, str, bytes]]) -> bool:
        """Accept the one candidate at this seq that links to the head; False stops the walk."""
        seq = group[0][0]
        expected = self.state.accepted_seq + 1
        if seq != expected:  # not stored as a problem: it resolves itself when the entries arrive
            self.result.problems.append(f"gap at {expected}: entries {expected}..{seq - 1} have not arrived")
            return False
        chosen, broken = None, []
        for _, digest, body in group:
            entry, reason = read_entry_fast(seq, digest, body, self.till)
            if entry is None:
                self.quarantine(seq, digest, body, reason or "unreadable")
            elif entry["prev"] != self.state.accepted_hash:
                broken.append(digest)
            elif chosen is None:
                chosen = (entry, digest, body)
            else:
                broken.append(digest)
        if chosen is None:
            for digest in broken:
                self.problem("chain_break", seq, f"entry {digest} does not link to accepted entry {seq - 1}")
            if not broken:
                self.result.problems.append(f"gap at {seq}: no readable entry at this sequence number")
            return False
        for digest in broken:
            self.problem("fork", seq, f"entry {digest} competes with accepted {chosen[1]}")
            self.result.forks += 1
        self.accept(*chosen)
        return True

    def accept(self, entry: dict[str, Any], digest: str, body: bytes) -> None:
        seq = entry["seq"]
        if entry["type"] == checkpoint.CHECKPOINT_TYPE:
            self.check_checkpoint(entry)
        day = None
        try:
            day = business_date(entry)
            rows = rows_for(entry, self.store, day)
            if rows:
                self.chunk.entries.append((seq, digest, rows))
            if day:
                self.chunk.months.add(month_start(day))
        except (DataError, KeyError, TypeError) as exc:
            self.quarantine(seq, digest, body, f"business data: {exc}")
        leaf = merkle.leaf_hash(body)
        self.builder.append_hash(leaf)
        self.chunk.accepted.append((self.store, self.till, seq, digest, leaf, entry["type"], entry["ts"], day))
        self.state.accepted_seq, self.state.accepted_hash = seq, digest
        self.result.accepted += 1
        self.result.head_seq = seq

    def check_checkpoint(self, entry: dict[str, Any]) -> None:
        data, seq = entry["data"], entry["seq"]
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


def import_all(
    conn: psycopg.Connection, witness: Ed25519PrivateKey, *, tills: list[str] | None = None, chunk: int = 5_000
) -> list[TillImport]:
    """Import every enrolled till (or the named ones); one committed transaction per till.

    `chunk` entries are verified while the previous chunk is written.
    """
    with conn.transaction():  # every statement inside a block: outside one, psycopg would open an
        # implicit transaction and each till's block below would only be a savepoint in it
        enrol_repo.register_witness_key(conn, checkpoint.key_id(checkpoint.public_bytes(witness)),
                                        checkpoint.public_bytes(witness))
        enrolled = import_repo.enrolled(conn)
    results = []
    for till, store, key in enrolled:
        if tills and till not in tills:
            continue
        horizon = import_repo.arrival_horizon(conn, till)  # its own short transaction, before the till's
        with conn.transaction():
            import_repo.lock_import(conn)
            results.append(_TillRun(conn, till, store, key, witness, chunk, horizon).run())
    return results
