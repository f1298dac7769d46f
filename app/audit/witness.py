"""Head office's countersignatures (witnesses) held on the till.

The till's own checkpoints prove nothing against the till itself: whoever rewrites the log can
re-sign it with the till's key. A countersignature can only be made by head office, and only for
a checkpoint it verified against what the till had pushed. Once the till holds one, `audit verify`
can show that the local history of those entries is still the one head office saw.
Signature formats: docs/checkpoints.md; signing and verifying: app/audit/checkpoint.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, TypeGuard

from app.audit import checkpoint as cp
from app.audit.merkle import RootBuilder
from app.audit.verify import Problem, VerifyReport
from kernel.records import Witnessed


def statement_of(witnessed: Witnessed) -> dict[str, Any]:
    """The checkpoint entry's signed fields, as the signing functions take them."""
    return {"tree_size": witnessed.tree_size, "root": witnessed.root, "head": witnessed.head,
            "key_id": witnessed.till_key_id, "signature": witnessed.till_signature}


def witness_of(witnessed: Witnessed) -> dict[str, Any]:
    """Head office's countersignature object, as `checkpoint.witness_verify` takes it."""
    return {"v": cp.STATEMENT_VERSION, "witness_key_id": witnessed.witness_key_id,
            "signature": witnessed.witness_signature}


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def from_pulled(row: Mapping[str, Any]) -> Witnessed | str:
    """A pulled row as a Witnessed, or why it is not one (malformed fields)."""
    witness = row.get("witness")
    if not isinstance(witness, Mapping):
        return f"checkpoint #{row.get('entry_seq')} has no countersignature"
    key = row.get("witness_public_key")
    tree_size, entry_seq, root, head = row.get("tree_size"), row.get("entry_seq"), row.get("root"), row.get("head")
    till_key_id, till_signature = row.get("key_id"), row.get("signature")
    witness_key_id, witness_signature = witness.get("witness_key_id"), witness.get("signature")
    if not (_is_int(tree_size) and _is_int(entry_seq) and isinstance(root, str) and isinstance(head, str)
            and isinstance(till_key_id, str) and isinstance(till_signature, str)
            and isinstance(witness_key_id, str) and isinstance(witness_signature, str)):
        return f"checkpoint #{row.get('entry_seq')} from head office is malformed"
    if witness.get("v") != cp.STATEMENT_VERSION:
        return f"checkpoint #{row.get('entry_seq')}: countersignature format {witness.get('v')!r} is unknown"
    if not isinstance(key, bytes):
        return (f"checkpoint #{row.get('entry_seq')}: head office does not publish the key "
                f"{str(witness.get('witness_key_id'))[:16]} that countersigned it")
    accepted = row.get("accepted_at")
    accepted_at = accepted.isoformat() if isinstance(accepted, datetime) else str(accepted or "")
    return Witnessed(tree_size, entry_seq, root, head, till_key_id, till_signature, witness_key_id,
                     witness_signature, witness_public_key=key, accepted_at=accepted_at)


def refusal(witnessed: Witnessed, till: str, till_public_key: bytes | None) -> str | None:
    """Why a pulled countersignature must not be stored, or None if it verifies: head office's
    signature over exactly this statement, and the statement signed by this till's own key."""
    name = witnessed.name
    if witnessed.entry_seq != witnessed.tree_size + 1:
        return f"{name}: a checkpoint entry must directly follow the entries it covers"
    if not cp.witness_verify(witnessed.witness_public_key, till, statement_of(witnessed), witness_of(witnessed)):
        return f"{name}: head office's countersignature does not verify"
    if till_public_key is None:
        return f"{name}: this till's public key is missing, so the statement cannot be checked"
    if not cp.verify_checkpoint(till_public_key, till, statement_of(witnessed)):
        return f"{name}: the countersigned statement is not signed by this till's key"
    return None


def check_history(rows: Iterable[tuple[int, bytes, str, str]], witnessed: list[Witnessed], till: str,
                  report: VerifyReport) -> None:
    """Each held countersignature must still verify, and the local entries 1..n must still have the
    Merkle root and head head office countersigned. Rows are (seq, body, prev, hash) in order, from
    entry 1, or from `report.anchor` in a range verify: then the tree continues from the anchor's
    signed state, a countersignature of the anchor's own size is compared with its signed root,
    and smaller ones are not re-checked (a full verify does)."""
    pending: dict[int, list[Witnessed]] = {}
    anchor = report.anchor
    builder, matched = RootBuilder(), 0
    if anchor is not None:
        builder = RootBuilder(anchor.tree_size, anchor.frontier)
    for item in witnessed:
        if not cp.witness_verify(item.witness_public_key, till, statement_of(item), witness_of(item)):
            report.problems.append(Problem(item.entry_seq, "witness", f"{item.name}: the countersignature held on "
                                                                      "this till does not verify"))
            continue
        if anchor is not None and item.tree_size <= anchor.tree_size:
            if item.tree_size == anchor.tree_size and (item.root, item.head) != (anchor.root, anchor.head):
                report.problems.append(Problem(item.entry_seq, "witness", (
                    f"{item.name}, countersigned by head office ({item.accepted_at}), does not match the "
                    "till's own checkpoint of the same entries")))
            elif item.tree_size == anchor.tree_size:
                matched += 1
                report.witnessed_size = max(report.witnessed_size, item.tree_size)
            continue
        pending.setdefault(item.tree_size, []).append(item)
    if not pending:
        report.witnessed = matched
        return
    last = max(pending)
    for seq, body, _prev, digest in rows:
        if seq != builder.size + 1:
            break  # a gap: the chain check reports it; the tree cannot be rebuilt past it
        builder.append(body)
        for item in pending.pop(builder.size, ()):
            if builder.root().hex() == item.root and digest == item.head:
                matched += 1
                report.witnessed_size = max(report.witnessed_size, item.tree_size)
            else:
                report.problems.append(Problem(item.entry_seq, "witness", (
                    f"{item.name}, countersigned by head office ({item.accepted_at}), no longer matches the "
                    "local history: entries up to it were changed after head office accepted them")))
        if builder.size >= last:
            break
    for items in pending.values():
        for item in items:
            report.problems.append(Problem(item.entry_seq, "witness", (
                f"{item.name}, countersigned by head office ({item.accepted_at}), covers entries this till "
                f"no longer has (the log has {builder.size} readable entries)")))
    report.witnessed = matched
