"""`hq verify`: re-check every till's accepted chain and report what the imports flagged.

The import already verified each entry once; verify walks the accepted chain again from the
stored bytes (hashes, links, Merkle roots of every checkpoint, witness countersignatures), so
a change made to the central database after the import is caught too.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import psycopg

from app.audit import checkpoint, merkle
from app.audit.format_v1 import GENESIS_PREV, is_canonical
from app.hq import hq_audit
from db.central import enrol_repo, import_repo


def _walk(conn: psycopg.Connection, till: str, cps: dict[int, dict[str, Any]]) -> list[str]:
    issues: list[str] = []
    builder, prev, expected = merkle.RootBuilder(), GENESIS_PREV, 1
    for seq, digest, leaf, body in import_repo.accepted_chain(conn, till):
        if seq != expected:
            issues.append(f"accepted chain skips from {expected - 1} to {seq}")
        expected = seq + 1
        if hashlib.sha256(body).hexdigest() != digest or merkle.leaf_hash(body) != leaf:
            issues.append(f"stored entry {seq} no longer matches its hash")
        else:
            entry = json.loads(body)
            if entry.get("prev") != prev:
                issues.append(f"stored entry {seq} does not link to entry {seq - 1}")
            if not is_canonical(entry, body):
                issues.append(f"stored entry {seq} is not in canonical form")
        cp = cps.get(seq - 1)
        if cp is not None and cp["root"] != builder.root().hex():
            issues.append(f"checkpoint of {seq - 1} entries no longer matches the stored entries")
        builder.append_hash(leaf)
        prev = digest
    return issues


def verify_all(conn: psycopg.Connection) -> dict[str, Any]:
    """Per-till findings and head office's own log (`hq_audit`); `ok` is False if any has a problem."""
    witnesses = enrol_repo.witness_keys(conn)
    tills: dict[str, Any] = {}
    with conn.transaction():
        for till, _store, public_key in import_repo.enrolled(conn):
            summary = import_repo.verify_summary(conn, till)
            cps = {c["tree_size"]: c for c in import_repo.checkpoints_of(conn, till)}
            issues = [f"{p['kind']} at {p['seq']}: {p['detail']}" for p in summary["problems"]]
            issues += [f"quarantined at {q['seq']} ({q['stage']}): {q['reason']}" for q in summary["quarantined"]]
            for size, cp in cps.items():
                data = {k: cp[k] for k in ("tree_size", "root", "head", "key_id", "signature")}
                if not checkpoint.verify_checkpoint(public_key, till, data):
                    issues.append(f"checkpoint of {size} entries: till signature invalid")
                key = witnesses.get(cp["witness"].get("witness_key_id", ""))
                if key is None or not checkpoint.witness_verify(key, till, data, cp["witness"]):
                    issues.append(f"checkpoint of {size} entries: witness countersignature invalid")
            issues += _walk(conn, till, cps)
            if summary["unaccepted"]:
                issues.append(f"{summary['unaccepted']} pushed entries after {summary['accepted_seq']} not accepted")
            tills[till] = {
                "accepted_seq": summary["accepted_seq"], "pushed_seq": summary["pushed_seq"],
                "checkpoints": summary["checkpoints"], "ok": not issues, "issues": issues,
            }
        entries, hq_issues = hq_audit.verify(conn)
    own = {"entries": entries, "ok": not hq_issues, "issues": hq_issues}
    return {"ok": own["ok"] and all(t["ok"] for t in tills.values()), "tills": tills, "hq_audit": own}
