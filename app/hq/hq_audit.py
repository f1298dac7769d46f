"""Head office's own audit log: every master-data change head office makes is an entry of audit
format v1 (app/audit/format_v1.py, the tills' canonical encoding), till id `HQ`, hash-chained and
written in the same transaction as the change. The table is append-only (a trigger refuses UPDATE,
DELETE, TRUNCATE) and till roles cannot read or write it; `hq verify` walks the chain again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg

from app.audit.format_v1 import GENESIS_PREV, is_canonical, make_entry, read_entry
from db.central import master_repo

HQ_TILL = "HQ"


def iso(when: datetime) -> str:
    """The audit form of a time: UTC, six fraction digits, Z."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append(conn: psycopg.Connection, *, now: datetime, type_: str, actor: str | None, data: dict[str, Any]) -> int:
    """Write one entry in the caller's transaction; returns its sequence number."""
    seq, head = master_repo.hq_audit_head(conn)
    prev = head or GENESIS_PREV
    _entry, body, digest = make_entry(till=HQ_TILL, seq=seq + 1, ts=iso(now), type_=type_, actor=actor,
                                      data=data, prev=prev)
    master_repo.hq_audit_insert(conn, seq=seq + 1, ts=now, type_=type_, actor=actor, body=body, prev=prev,
                                digest=digest)
    return seq + 1


def verify(conn: psycopg.Connection) -> tuple[int, list[str]]:
    """(entries walked, problems): every stored entry hashes to its hash, is a v1 entry of `HQ` at its
    sequence number in canonical form, links to the one before, and its ts, type and actor columns say
    what its body says (`ts` too); sequence numbers have no gaps."""
    problems: list[str] = []
    expected, prev, count = 1, GENESIS_PREV, 0
    for seq, ts, type_, actor, body, stored_prev, digest in master_repo.hq_audit_rows(conn):
        count += 1
        if seq != expected:
            problems.append(f"hq_audit skips from {expected - 1} to {seq}")
        expected = seq + 1
        entry, reason = read_entry(seq, digest, body, HQ_TILL)
        if entry is None:
            problems.append(f"hq_audit entry {seq}: {reason}")
        else:
            if entry.get("prev") != prev or stored_prev != prev:
                problems.append(f"hq_audit entry {seq} does not link to entry {seq - 1}")
            if not is_canonical(entry, body):
                problems.append(f"hq_audit entry {seq} is not in canonical form")
            if entry.get("type") != type_ or entry.get("actor") != actor or entry.get("ts") != iso(ts):
                problems.append(f"hq_audit entry {seq}: its ts, type or actor column differs from its body")
        prev = digest
    return count, problems
