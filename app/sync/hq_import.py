"""`hq import`: verify what each till pushed, extend its accepted chain, consolidate, countersign.

Per till, from the last accepted entry on: every entry must hash to its hash, be canonical,
name this till and its sequence number, and link to the accepted head. Checkpoints must carry
the enrolled key's signature over the Merkle root head office itself computes for entries
1..n, and be RFC 9162-consistent with the last accepted checkpoint. Nothing pushed is ever
deleted: a second, different entry at a sequence number is a fork and is flagged; an entry that
cannot be read is quarantined; the walk stops at the first gap or break and resumes there
next time, so one bad till never blocks the others.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from platformdirs import user_data_dir

from app.audit import checkpoint, merkle
from app.audit.canonical import ENTRY_KEYS
from app.sync.consolidate import DataError, business_date, rows_for
from db.central import enrol_repo, import_repo
from db.central.schema import ensure_partitions, month_start

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


def witness_key_dir(explicit: str | os.PathLike | None = None) -> Path:
    chosen = explicit or os.environ.get("TILLSTONE_HQ_KEY_DIR") or user_data_dir("tillstone-hq", "Tillstone")
    return Path(chosen).expanduser()


def load_witness_key(directory: Path) -> Ed25519PrivateKey:
    """Head office's countersigning key, created on first use (mode 0600)."""
    if not (directory / checkpoint.PRIVATE_KEY_FILE).exists():
        checkpoint.make_keypair(directory)
    return checkpoint.load_private_key(directory)


def _parse(seq: int, digest: str, body: bytes, till: str) -> tuple[dict[str, Any] | None, str | None]:
    """(entry, None) if the row is a well-formed entry for this till at this seq, else (None, reason)."""
    if hashlib.sha256(body).hexdigest() != digest:
        return None, "hash does not match body"
    try:
        entry = json.loads(body, parse_float=_no_float)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, "body is not JSON"
    except ValueError as exc:
        return None, str(exc)
    if not isinstance(entry, dict) or set(entry) != ENTRY_KEYS:
        return None, "body is not an audit entry of format v1"
    if entry["v"] != 1 or entry["till"] != till or entry["seq"] != seq:
        return None, "entry names another version, till or sequence number"
    if not isinstance(entry["data"], dict) or not isinstance(entry["type"], str) or not isinstance(entry["ts"], str):
        return None, "entry fields have the wrong types"
    # Canonical form is re-checked by `hq verify` (is_canonical), not on this hot path: the hash
    # already pins these exact bytes, and re-serialising would cost a third of the import.
    return entry, None


# Where a JSON number with a fraction or exponent could start: after ':', ',' or '[' (or at the very
# beginning), past any JSON whitespace. It also fires inside some strings; that only sends the body to
# the reference reader, so the verdict never depends on it.
_FLOAT_HINT = re.compile(rb"(?:^|[:,\[])[ \t\r\n]*-?[0-9]+[.eE]")


def _parse_fast(seq: int, digest: str, body: bytes, till: str) -> tuple[dict[str, Any] | None, str | None]:
    """`_parse` with a faster JSON reader (strict UTF-8 JSON, integers within 64 bits).

    Anything the fast reader refuses, and any body that may hold a float, goes through `_parse`
    itself, so the verdict and its reason are exactly `_parse`'s; on the rest both readers give the
    same object.
    """
    if hashlib.sha256(body).hexdigest() != digest:
        return None, "hash does not match body"
    if _FLOAT_HINT.search(body):
        return _parse(seq, digest, body, till)
    try:
        entry = orjson.loads(body)
    except orjson.JSONDecodeError:
        return _parse(seq, digest, body, till)
    if type(entry) is not dict or entry.keys() != ENTRY_KEYS:
        return None, "body is not an audit entry of format v1"
    if entry["v"] != 1 or entry["till"] != till or entry["seq"] != seq:
        return None, "entry names another version, till or sequence number"
    if not isinstance(entry["data"], dict) or not isinstance(entry["type"], str) or not isinstance(entry["ts"], str):
        return None, "entry fields have the wrong types"
    return entry, None


def is_canonical(entry: dict[str, Any], body: bytes) -> bool:
    """Same serialisation as canonical_bytes; floats are refused while parsing, keys are strings."""
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8") == body


def _no_float(text: str) -> float:
    raise ValueError(f"float {text} in entry: amounts must be decimal strings")


class _TillRun:
    """One till's import inside one transaction."""

    def __init__(self, conn: psycopg.Connection, till: str, store: str, public_key: bytes,
                 witness: Ed25519PrivateKey) -> None:
        self.conn, self.till, self.store, self.public_key, self.witness = conn, till, store, public_key, witness
        self.state = import_repo.chain_state(conn, till)
        self.builder = merkle.RootBuilder(self.state.accepted_seq, self.state.frontier)
        self.result = TillImport(till, head_seq=self.state.accepted_seq)
        self.accepted_rows: list[tuple] = []
        self.tables: dict[str, list[tuple]] = defaultdict(list)
        self.months: set[date] = set()
        self.first_checkpoint: tuple[int, str] | None = (
            (self.state.checkpoint_size, self.state.checkpoint_root) if self.state.checkpoint_root else None
        )
        self.new_checkpoint: tuple[int, str] | None = None

    def problem(self, kind: str, seq: int, detail: str) -> None:
        import_repo.add_problem(self.conn, self.till, kind, seq, detail)
        self.result.problems.append(f"{kind} at {seq}: {detail}")

    def run(self) -> TillImport:
        for seq, digest, accepted in import_repo.forks_below(self.conn, self.till, self.state.accepted_seq):
            self.problem("fork", seq, f"entry {digest} differs from accepted {accepted}")
            self.result.forks += 1
        group: list[tuple[int, str, bytes]] = []
        for row in import_repo.pending(self.conn, self.till, self.state.accepted_seq):
            if group and row[0] != group[0][0]:
                if not self.take(group):
                    group = []
                    break
                group = []
            group.append(row)
        if group:
            self.take(group)
        self.finish()
        return self.result

    def take(self, group: list[tuple[int, str, bytes]]) -> bool:
        """Accept the one candidate at this seq that links to the head; False stops the walk."""
        seq = group[0][0]
        expected = self.state.accepted_seq + 1
        if seq != expected:  # not stored as a problem: it resolves itself when the entries arrive
            self.result.problems.append(f"gap at {expected}: entries {expected}..{seq - 1} have not arrived")
            return False
        chosen, broken = None, []
        for _, digest, body in group:
            entry, reason = _parse_fast(seq, digest, body, self.till)
            if entry is None:
                import_repo.quarantine(self.conn, self.till, seq, digest, body, reason or "unreadable")
                self.result.quarantined += 1
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
            for table, rows in rows_for(entry, self.store).items():
                self.tables[table].extend(rows)
            if day:
                self.months.add(month_start(day))
        except (DataError, KeyError, TypeError) as exc:
            import_repo.quarantine(self.conn, self.till, seq, digest, body, f"business data: {exc}")
            self.result.quarantined += 1
        leaf = merkle.leaf_hash(body)
        self.builder.append_hash(leaf)
        self.accepted_rows.append((self.till, seq, digest, leaf, entry["type"], entry["ts"], day))
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
        witness = checkpoint.witness_sign(self.witness, self.till, data)
        import_repo.add_checkpoint(self.conn, self.till, seq, data, witness)
        self.new_checkpoint = (data["tree_size"], data["root"])
        self.result.checkpoints += 1

    def finish(self) -> None:
        if self.months:
            ensure_partitions(self.conn, self.months)
        import_repo.add_accepted(self.conn, self.accepted_rows)
        import_repo.add_consolidated(self.conn, self.tables)
        if self.new_checkpoint:
            self.check_consistency()
            self.state.checkpoint_size, self.state.checkpoint_root = self.new_checkpoint
        self.state.frontier = self.builder.frontier()
        import_repo.save_chain_state(self.conn, self.state)
        import_repo.flag_clock_skew(self.conn, self.till, CLOCK_SKEW_S)

    def check_consistency(self) -> None:
        """RFC 9162 proof that the new checkpoint's tree extends the last accepted one."""
        assert self.new_checkpoint is not None
        if not self.first_checkpoint:
            return
        (m, root_m), (n, root_n) = self.first_checkpoint, self.new_checkpoint
        if m == n:
            return
        hashes = import_repo.leaf_hashes(self.conn, self.till, n)
        proof = merkle.consistency_proof_from_hashes(m, hashes)
        if not merkle.verify_consistency(m, n, bytes.fromhex(root_m), bytes.fromhex(root_n), proof):
            self.problem("inconsistent_checkpoint", n, f"tree of {n} does not extend accepted checkpoint of {m}")


def import_all(
    conn: psycopg.Connection, witness: Ed25519PrivateKey, *, tills: list[str] | None = None
) -> list[TillImport]:
    """Import every enrolled till (or the named ones); one committed transaction per till."""
    with conn.transaction():
        enrol_repo.register_witness_key(conn, checkpoint.key_id(checkpoint.public_bytes(witness)),
                                        checkpoint.public_bytes(witness))
    results = []
    for till, store, key in import_repo.enrolled(conn):
        if tills and till not in tills:
            continue
        with conn.transaction():
            import_repo.lock_import(conn)
            results.append(_TillRun(conn, till, store, key, witness).run())
    return results
