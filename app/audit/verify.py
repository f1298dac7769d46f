"""`audit verify`: the chain is unbroken, and every finalised record still says what its entry says.

The chain pass works on the stored canonical bytes directly (hash, then compare the entry's own
`prev`/`seq`/`till` in place), so it runs at close to the speed of hashing; the record pass
parses only the entries that finalised records point at.

Nothing here trusts the stored bytes or columns to be well formed: whatever an entry or record
holds, the verifier reports a problem with its sequence number and goes on to the end.
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
# What reading a damaged record can raise while its projection is built (a text where a number
# belongs, a number too large...): reported as a problem of that record, never a traceback.
DAMAGE_ERRORS = (ArithmeticError, LookupError, TypeError, ValueError)


@dataclass
class Problem:
    seq: int | None
    kind: str
    message: str

    def __post_init__(self) -> None:
        # A damaged value may hold bytes that are not text: keep the message printable anywhere.
        self.message = self.message.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True)
class Anchor:
    """A signed checkpoint a verify starts from instead of entry 1 (`audit verify --from`): its
    signature verified with the till's key and its frontier folds to the signed root, so entries
    1..tree_size are taken as the till signed them and the walk starts at the checkpoint entry
    itself (`seq` = tree_size + 1), linked to the signed `head`."""

    seq: int
    tree_size: int
    root: str
    head: str
    frontier: tuple[bytes, ...]


@dataclass
class VerifyReport:
    entries: int = 0
    head: str = GENESIS_PREV
    records_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    witnessed: int = 0  # checkpoints head office countersigned that the local history still matches
    witnessed_size: int = 0  # entries covered by the largest of them
    anchor: Anchor | None = None  # where a range verify started (None: from entry 1)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad_seq(self) -> int | None:
        seqs = [p.seq for p in self.problems if type(p.seq) is int]
        return min(seqs) if seqs else None

    def add(self, seq: int | None, kind: str, message: str) -> None:
        self.problems.append(Problem(seq, kind, message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "entries": self.entries, "head": self.head, "records_checked": self.records_checked,
            "first_bad_seq": self.first_bad_seq, "witnessed": self.witnessed, "witnessed_size": self.witnessed_size,
            "verified_from": self.anchor.seq if self.anchor else 1,
            "problems": [{"seq": p.seq, "kind": p.kind, "message": p.message} for p in self.problems[:100]],
        }


def verify_chain(rows: Iterable[tuple[int, bytes, str, str]], till: str, report: VerifyReport,
                 on_entry: Callable[[int, bytes], None] | None = None, *, first: int = 1,
                 prev: str = GENESIS_PREV) -> None:
    """Check hashes, links and gap-free numbering of (seq, body, prev, hash) rows in order, the
    first of them being entry `first` whose `prev` must be `prev` (a signed checkpoint's head
    when a range verify starts there).

    Works on the canonical bytes in place: after the top-level `"prev":"` (the last one in the
    body, since data sorts before it and strings escape quotes) must stand the previous hash,
    then this entry's seq and till. This is the inner loop of every verify, so it is kept tight."""
    # What must stand at the last `,"prev":"` of entry `seq`: the previous hash, then seq and till,
    # as one formatted needle (one comparison per entry, no slices).
    link = _PREV_KEY.replace(b"%", b"%%") + b'%s","seq":%d,"till":' + json.dumps(
        till, ensure_ascii=False).encode().replace(b"%", b"%%") + b","
    prev_b, expected, sha256 = prev.encode(), first, hashlib.sha256
    problems = report.problems
    for seq, body, prev_col, hash_col in rows:
        if seq != expected:
            problems.append(Problem(expected, "gap", f"entries {expected}..{seq - 1} are missing"))
            expected = seq
        digest = sha256(body).hexdigest()
        if digest != hash_col:
            problems.append(Problem(seq, "hash", "the entry's bytes do not match its hash"))
        at = body.rfind(_PREV_KEY)
        if at < 0 or prev_col != prev or not body.startswith(link % (prev_b, seq), at):
            problems.append(Problem(seq, "link", "the entry does not follow the one before it"))
        if on_entry is not None:
            on_entry(seq, body)
        prev = digest
        prev_b = digest.encode()
        expected += 1
    report.entries = expected - 1
    report.head = prev


def entry_type(body: bytes) -> str | None:
    """The entry's type read in place (it is the last string of a canonical body), or None when
    the bytes do not have one."""
    at = body.rfind(_TYPE_KEY)
    end = body.find(b'"', at + len(_TYPE_KEY)) if at >= 0 else -1
    if end < 0:
        return None
    try:
        return body[at + len(_TYPE_KEY):end].decode()
    except UnicodeDecodeError:
        return None


def _json(value: Any) -> bytes | None:
    if value is None or type(value) is str:
        try:
            return json.dumps(value, ensure_ascii=False).encode()
        except UnicodeEncodeError:  # a column read leniently from bytes that are not UTF-8
            return None
    return None


def column_mismatch(body: bytes, ts: Any, type_: Any, actor: Any) -> str | None:
    """Which of the log's own `ts`, `type`, `actor` columns (what reports filter on) disagrees
    with the body, if any. In place, like the chain: a canonical body starts with its actor and
    ends with its ts, type and v."""
    actor_b = _json(actor)
    if actor_b is None or not body.startswith(b'{"actor":' + actor_b + b',"data":'):
        return "actor"
    ts_b = _json(ts) if type(ts) is str else None
    tail = body[body.rfind(b',"ts":'):]
    if ts_b is None or not tail.startswith(b',"ts":' + ts_b + b',"type":'):
        return "ts"
    type_b = _json(type_) if type(type_) is str else None
    if type_b is None or tail != b',"ts":' + ts_b + b',"type":' + type_b + b',"v":1}':
        return "type"
    return None


@dataclass(frozen=True)
class Expected:
    """What a finalised record says the entry that created it must hold: one of `types`, these
    envelope fields (`ts`, `actor`) and these `data` keys. Keys in `optional` were added to new
    entries later: an older entry without one is not held to it. `derived`: columns no entry
    holds, as (stored, what follows from the entries), e.g. a sum of the record's lines."""

    types: frozenset[str]
    data: dict[str, Any]
    envelope: dict[str, Any] = field(default_factory=dict)
    optional: frozenset[str] = frozenset()
    derived: dict[str, tuple[Any, Any]] = field(default_factory=dict)


# (what, the record's audit_seq as stored, how to build what it expects): the build runs inside
# the check, so a record whose columns cannot be read is one problem, not the end of the walk.
Record = tuple[str, Any, Callable[[], Expected]]
Reader = Callable[[int], tuple[dict[str, Any] | None, str | None]]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def first_difference(expected: Any, actual: Any, optional: frozenset[str], path: str = "") -> str | None:
    """The path of the first value the entry holds otherwise than expected (types included: 1 is
    not True), or None. At the top of `data` the entry may hold more keys than the record
    projects (a warning, a count); inside it, lines and counts are compared whole. A key the
    entry lacks reads as null, unless it is optional (added after the entry was written)."""
    if type(expected) is dict:
        if type(actual) is not dict:
            return path
        for key, value in expected.items():
            if key not in actual and key in optional:
                continue
            found = first_difference(value, actual.get(key), optional, f"{path}.{key}" if path else key)
            if found is not None:
                return found
        extra = next((key for key in actual if key not in expected), None) if path else None
        return None if extra is None else f"{path}.{extra}"
    if type(expected) is list:
        if type(actual) is not list or len(actual) != len(expected):
            return path
        for i, (want, have) in enumerate(zip(expected, actual, strict=True)):
            found = first_difference(want, have, optional, f"{path}[{i}]")
            if found is not None:
                return found
        return None
    return None if type(expected) is type(actual) and expected == actual else path


def _at(value: Any, path: str) -> Any:
    for part in path.replace("]", "").replace("[", ".").split("."):
        if type(value) is dict:
            value = value.get(part)
        elif type(value) is list and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def compare(what: str, seq: int, expected: Expected, entry: dict[str, Any], report: VerifyReport) -> None:
    """One problem at most per record: the first thing its entry says otherwise."""
    if entry["type"] not in expected.types:
        report.add(seq, "record", f"{what} is recorded as {' or '.join(sorted(expected.types))} in the "
                                  f"database, but its audit entry is {_short(entry['type'])}")
        return
    for key, value in expected.envelope.items():
        if type(entry[key]) is not type(value) or entry[key] != value:
            report.add(seq, "record", f"{what}: '{key}' is {_short(value)} in the database but "
                                      f"{_short(entry[key])} in the audit entry that recorded it")
            return
    path = first_difference(expected.data, entry["data"], expected.optional)
    if path is not None:
        report.add(seq, "record", f"{what}: '{path}' is {_short(_at(expected.data, path))} in the database but "
                                  f"{_short(_at(entry['data'], path))} in the audit entry that recorded it")
        return
    for column, (stored, follows) in expected.derived.items():
        if type(stored) is not type(follows) or stored != follows:
            report.add(seq, "record", f"{what}: '{column}' is {_short(stored)} in the database but "
                                      f"{_short(follows)} follows from its audit entries")
            return


def check_records(records: Iterator[Record], read: Reader, report: VerifyReport,
                  recorded_types: dict[int, str]) -> set[int]:
    """Each record must match the entry it names; and each entry of a record-making type must
    still have its record. Returns the seqs records pointed at."""
    seen: set[int] = set()
    for what, seq, build in records:
        report.records_checked += 1
        if type(seq) is not int:
            report.add(None, "record", f"{what} names audit entry {_short(seq)}, which is not a sequence number")
            continue
        seen.add(seq)
        entry, reason = read(seq)
        if entry is None:
            report.add(seq, "record", f"{what} points at an audit entry that does not exist" if reason is None
                       else f"{what}: the audit entry that recorded it cannot be read ({reason})")
            continue
        try:
            expected = build()
        except DAMAGE_ERRORS as exc:
            report.add(seq, "record", f"{what} holds a value that cannot be read ({type(exc).__name__}: "
                                      f"{str(exc)[:120]})")
            continue
        compare(what, seq, expected, entry, report)
    for seq, type_ in sorted(recorded_types.items()):
        if seq not in seen:
            report.add(seq, "record", f"the record written by this {type_} entry is missing")
    return seen
