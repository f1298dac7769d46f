"""`audit verify`: the chain is unbroken, and every finalised record still says what its entry says.

The chain pass works on the stored canonical bytes directly (hash, then compare the entry's own
`prev`/`seq`/`till` in place), so it runs at close to the speed of hashing; the record pass
parses only the entries that finalised records point at.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from app.audit.format_v1 import GENESIS_PREV

_PREV_KEY = b',"prev":"'
_TYPE_KEY = b',"type":"'


@dataclass
class Problem:
    seq: int | None
    kind: str
    message: str


@dataclass
class VerifyReport:
    entries: int = 0
    head: str = GENESIS_PREV
    records_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    witnessed: int = 0  # checkpoints head office countersigned that the local history still matches
    witnessed_size: int = 0  # entries covered by the largest of them

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad_seq(self) -> int | None:
        seqs = [p.seq for p in self.problems if p.seq is not None]
        return min(seqs) if seqs else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "entries": self.entries, "head": self.head, "records_checked": self.records_checked,
            "first_bad_seq": self.first_bad_seq, "witnessed": self.witnessed, "witnessed_size": self.witnessed_size,
            "problems": [{"seq": p.seq, "kind": p.kind, "message": p.message} for p in self.problems[:100]],
        }


def verify_chain(rows: Iterable[tuple[int, bytes, str, str]], till: str, report: VerifyReport,
                 on_entry: Callable[[int, bytes], None] | None = None) -> None:
    """Check hashes, links and gap-free numbering of (seq, body, prev, hash) rows in order.

    Works on the canonical bytes in place: after the top-level `"prev":"` (the last one in the
    body, since data sorts before it and strings escape quotes) must stand the previous hash,
    then this entry's seq and till. This is the inner loop of every verify, so it is kept tight."""
    after_prev = b'","seq":%d,"till":' + json.dumps(till, ensure_ascii=False).encode().replace(b"%", b"%%") + b","
    prev, prev_b, expected, sha256 = GENESIS_PREV, GENESIS_PREV.encode(), 1, hashlib.sha256
    problems = report.problems
    for seq, body, prev_col, hash_col in rows:
        if seq != expected:
            problems.append(Problem(expected, "gap", f"entries {expected}..{seq - 1} are missing"))
            expected = seq
        digest = sha256(body).hexdigest()
        if digest != hash_col:
            problems.append(Problem(seq, "hash", "the entry's bytes do not match its hash"))
        at = body.rfind(_PREV_KEY) + 9
        if (at == 8 or body[at:at + 64] != prev_b or prev_col != prev
                or not body.startswith(after_prev % seq, at + 64)):
            problems.append(Problem(seq, "link", "the entry does not follow the one before it"))
        if on_entry is not None:
            on_entry(seq, body)
        prev = digest
        prev_b = digest.encode()
        expected += 1
    report.entries = expected - 1
    report.head = prev


def entry_type(body: bytes) -> str:
    at = body.rfind(_TYPE_KEY) + len(_TYPE_KEY)
    return body[at:body.index(b'"', at)].decode()


def check_records(
    records: Iterator[tuple[str, int, dict[str, Any] | None]], bodies: Callable[[int], bytes | None],
    report: VerifyReport, recorded_types: dict[int, str],
) -> None:
    """Each (what, audit seq, projection) must match the data of that entry; and each entry of a
    record-making type must still have its record."""
    seen: set[int] = set()
    for what, seq, projection in records:
        seen.add(seq)
        report.records_checked += 1
        body = bodies(seq)
        if body is None:
            report.problems.append(Problem(seq, "record", f"{what} points at an audit entry that does not exist"))
            continue
        data = json.loads(body)["data"]
        if projection is None:
            report.problems.append(Problem(seq, "record", f"{what} recorded by this entry is incomplete"))
            continue
        for key, value in projection.items():
            if data.get(key) != value:
                report.problems.append(
                    Problem(seq, "record", f"{what}: '{key}' is {value!r} in the database but {data.get(key)!r} "
                                           "in the audit entry that recorded it")
                )
                break
    for seq, type_ in sorted(recorded_types.items()):
        if seq not in seen:
            report.problems.append(Problem(seq, "record", f"the record written by this {type_} entry is missing"))
