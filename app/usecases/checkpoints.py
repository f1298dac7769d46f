"""Signed checkpoints of the audit log, written at every shift close and every Z report.

The statement format and signing live in app/audit/checkpoint.py and the tree in
app/audit/merkle.py; this module only decides *when* to checkpoint, finds the till's key, and
registers the checkpoint check with `audit verify` (so a bad signature or root exits 1).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.audit import checkpoint as cp
from app.audit.format_v1 import parse_entry
from app.audit.merkle import RootBuilder
from app.audit.verify import Anchor, Problem, VerifyReport, entry_type
from app.context import TillContext
from db.uow import UnitOfWork


def ensure_till_key(data_dir: Path | str) -> bytes:
    """The till's raw Ed25519 public key, creating the key pair (private file 0600) on first use.

    Called from init; also called lazily before the first checkpoint so an older data directory
    gets its key without a separate step.
    """
    directory = Path(data_dir)
    if (directory / cp.PRIVATE_KEY_FILE).exists():
        return cp.load_public_key(directory)
    return cp.make_keypair(directory)


def _resume_builder(uow: UnitOfWork) -> RootBuilder:
    """The tree as of the last checkpoint, from the frontier it saved (log2 n hashes), so each
    checkpoint hashes only the entries since the previous one. `audit verify` recomputes
    everything from the entries, so a wrong saved frontier cannot go unnoticed."""
    last = uow.reports.last_checkpoint()
    if last is None:
        return RootBuilder()
    data = json.loads(last[1])["data"]
    try:
        return RootBuilder(data["tree_size"], [bytes.fromhex(h) for h in data["frontier"]])
    except (KeyError, TypeError, ValueError):
        return RootBuilder()


def _root_of_all(uow: UnitOfWork) -> tuple[int, str, str, list[str]]:
    builder = _resume_builder(uow)
    head = ""
    for _seq, body, _prev, digest in uow.audit.iter_raw(start=builder.size + 1):
        builder.append(body)
        head = digest
    if not head:
        head = uow.audit.head()[1]
    return builder.size, builder.root().hex(), head, [h.hex() for h in builder.frontier()]


def write_checkpoint(uow: UnitOfWork, ctx: TillContext, actor: str | None, reason: str) -> dict[str, Any]:
    """Append a signed checkpoint over every entry so far, inside the caller's transaction."""
    if ctx.data_dir is None:
        raise RuntimeError("checkpoints need the till's data directory")
    ensure_till_key(ctx.data_dir)
    key = cp.load_private_key(Path(ctx.data_dir))
    size, root, head, frontier = _root_of_all(uow)
    data = cp.sign_checkpoint(key, ctx.settings.audit_till, size, root, head)
    data["reason"] = reason
    data["frontier"] = frontier
    seq = uow.audit.append(ts=ctx.now_iso(), type_=cp.CHECKPOINT_TYPE, actor=actor, data=data)
    return {**data, "seq": seq}


def short_root(root: str) -> str:
    """What the Z report prints: enough of the root to compare by eye with head office's copy."""
    return f"{root[:8]}-{root[8:16]}"


def _public_key(ctx: TillContext) -> bytes | None:
    if ctx.data_dir is not None and (Path(ctx.data_dir) / cp.PUBLIC_KEY_FILE).exists():
        return cp.load_public_key(Path(ctx.data_dir))
    return None


def anchor_before(uow: UnitOfWork, ctx: TillContext, day: str) -> Anchor | None:
    """The last checkpoint stamped before `day` (UTC date, YYYY-MM-DD) that this till's key signed
    and whose saved frontier folds to the signed root: where `audit verify --from day` starts.
    None (verify from entry 1) without the public key or such a checkpoint."""
    public = _public_key(ctx)
    if public is None:
        return None
    till = ctx.settings.audit_till
    for seq, body in uow.audit.checkpoint_bodies():
        entry, _reason = parse_entry(seq, body, till)
        if entry is None or entry["type"] != cp.CHECKPOINT_TYPE or entry["ts"][:10] >= day:
            continue
        data = entry["data"]
        if not cp.verify_checkpoint(public, till, data) or data["tree_size"] != seq - 1:
            continue
        try:
            frontier = tuple(bytes.fromhex(h) for h in data["frontier"])
            builder = RootBuilder(data["tree_size"], frontier)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if builder.root().hex() == data["root"]:
            return Anchor(seq=seq, tree_size=data["tree_size"], root=data["root"], head=data["head"],
                          frontier=frontier)
    return None


def check_checkpoints(uow: UnitOfWork, ctx: TillContext, report: VerifyReport) -> None:
    """Every audit.checkpoint entry: signed by this till's key, and root/head match the entries.
    A range verify (`report.anchor`) continues the tree from its anchor's signed state."""
    public = _public_key(ctx)
    till = ctx.settings.audit_till
    anchor = report.anchor
    builder, last, start = RootBuilder(), "", 1
    if anchor is not None:
        builder, last, start = RootBuilder(anchor.tree_size, anchor.frontier), anchor.head, anchor.seq
    for seq, body, _prev, digest in uow.audit.iter_raw(start=start):
        if entry_type(body) == cp.CHECKPOINT_TYPE:
            entry, reason = parse_entry(seq, body, till)
            if entry is None:
                report.problems.append(Problem(seq, "checkpoint", f"the checkpoint entry cannot be read ({reason})"))
            else:
                _check_one(seq, entry["data"], public, till, builder, last, report)
        builder.append(body)
        last = digest


def _check_one(seq: int, data: dict[str, Any], public: bytes | None, till: str, builder: RootBuilder,
               last: str, report: VerifyReport) -> None:
    if public is None:
        report.problems.append(Problem(seq, "checkpoint", "the till's public key is missing: cannot check it"))
        return
    if not cp.verify_checkpoint(public, till, data):
        report.problems.append(Problem(seq, "checkpoint", "the checkpoint's signature does not match this till's key"))
        return
    size = data["tree_size"]
    if size != builder.size:
        report.problems.append(Problem(seq, "checkpoint", f"the checkpoint covers {size} entries but follows "
                                                          f"{builder.size}"))
        return
    if builder.root().hex() != data["root"] or last != data["head"]:
        report.problems.append(Problem(seq, "checkpoint", "the Merkle root or head in the checkpoint does not match "
                                                          "the entries before it"))
