"""Audit log format v1, its one home: canonical bytes, entry hashes and the reader of stored entries
(see docs/design.md, "Audit log format, version 1").

The canonical form is what gets hashed, so it must be reproducible by any verifier in any
language: keys sorted at every level, no whitespace, UTF-8 (not \\u-escaped), no floats.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

import orjson

FORMAT_VERSION = 1
GENESIS_PREV = "0" * 64
ENTRY_KEYS = frozenset({"v", "till", "seq", "ts", "type", "actor", "data", "prev"})


class CanonicalError(ValueError):
    """An entry that cannot be put in canonical form (a float, a non-string key...)."""


_PLAIN = (str, int, bool, type(None))


def _reject_floats(value: Any, path: str = "$") -> None:
    """Walk containers only; plain str/int/bool/None pass untouched (this runs on every entry).
    Anything else is looked at, so a float inside a dict or list subclass, or a float subclass,
    is still refused."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                if type(key) is not str:
                    raise CanonicalError(f"non-string key at {where}")
                if type(child) not in _PLAIN:
                    stack.append((child, f"{where}.{key}"))
        elif isinstance(item, list | tuple):
            stack.extend((child, f"{where}[{i}]") for i, child in enumerate(item) if type(child) not in _PLAIN)
        elif isinstance(item, float):
            raise CanonicalError(f"float at {where}: money and quantities must be decimal strings")


def canonical_bytes(entry: dict[str, Any]) -> bytes:
    """The bytes that are hashed: the entry without its `hash` key, canonically serialised."""
    body = {key: value for key, value in entry.items() if key != "hash"}
    _reject_floats(body)
    return _serialise(body)


def _serialise(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(body: bytes) -> str:
    """Lowercase hex SHA-256 of the canonical bytes."""
    return hashlib.sha256(body).hexdigest()


def make_entry(
    *, till: str, seq: int, ts: str, type_: str, actor: str | None, data: dict[str, Any], prev: str
) -> tuple[dict[str, Any], bytes, str]:
    """Build an entry; returns (entry with hash, canonical bytes, hash)."""
    entry: dict[str, Any] = {
        "v": FORMAT_VERSION,
        "till": till,
        "seq": seq,
        "ts": ts,
        "type": type_,
        "actor": actor,
        "data": data,
        "prev": prev,
    }
    body = canonical_bytes(entry)
    digest = entry_hash(body)
    return {**entry, "hash": digest}, body, digest


# --- Reading a stored or pushed entry -------------------------------------------------------
# `read_entry` is the reference (the json module, floats refused while parsing); `read_entry_fast`
# gives the same verdicts and reasons faster and is what `hq import` runs per entry. A reason here
# means the entry cannot be placed in the till's chain at all, so the import stops there and flags it.

_TS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z\Z")


# Bounds on what a reader parses at all: a till role chooses its own bodies (and their hashes), and
# a JSON parser given 200,000 nested `[` overflows its stack (orjson crashes the process). v1
# entries nest a few levels and weigh kilobytes; the push refuses the same size (db/central/push_repo).
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(rb"[\[\]{}]")


def bound_problem(body: bytes) -> str | None:
    """Why `body` is too big or too deep to parse, else None; cheap for an ordinary entry (its
    brackets are counted before any string is skipped)."""
    if len(body) > MAX_BODY_BYTES:
        return "body too large"
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return None
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub(b"", body)):
        depth += 1 if match.group() in (b"[", b"{") else -1
        if depth > MAX_DEPTH:
            return "body nests too deeply"
    return None


def valid_ts(value: Any) -> bool:
    """The v1 `ts` shape, and a real instant (no 30 February, no 25 o'clock)."""
    if type(value) is not str or not _TS.match(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def read_entry(seq: int, digest: str, body: bytes, till: str) -> tuple[dict[str, Any] | None, str | None]:
    """(entry, None) if the row is a well-formed entry for this till at this seq, else (None, reason)."""
    if type(body) is not bytes:
        return None, "body is not stored as bytes"
    if entry_hash(body) != digest:
        return None, "hash does not match body"
    return parse_entry(seq, body, till)


def parse_entry(seq: int, body: bytes, till: str) -> tuple[dict[str, Any] | None, str | None]:
    """`read_entry` without the hash: for a reader that checks the hash chain on its own (`audit
    verify`) and still needs the fields of an entry whose bytes may be anything."""
    if type(body) is not bytes:
        return None, "body is not stored as bytes"
    if problem := bound_problem(body):
        return None, problem
    try:
        entry = json.loads(body, parse_float=_no_float, parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, "body is not JSON"
    except RecursionError:
        return None, "body nests too deeply"
    except ValueError as exc:
        return None, str(exc)
    return _envelope(entry, seq, till)


def _envelope(entry: Any, seq: int, till: str) -> tuple[dict[str, Any] | None, str | None]:
    """The format v1 envelope: exactly its keys, this till and seq, fields of the right types."""
    if type(entry) is not dict or entry.keys() != ENTRY_KEYS:
        return None, "body is not an audit entry of format v1"
    if entry["v"] != 1 or entry["till"] != till or entry["seq"] != seq:
        return None, "entry names another version, till or sequence number"
    if not isinstance(entry["data"], dict) or not isinstance(entry["type"], str):
        return None, "entry fields have the wrong types"
    if not valid_ts(entry["ts"]):
        return None, "ts is not a UTC time of the form YYYY-MM-DDTHH:MM:SS.ffffffZ"
    # Canonical form is re-checked by `hq verify` (is_canonical), not on this hot path: the hash
    # already pins these exact bytes, and re-serialising would cost a third of the import.
    return entry, None


def _has_float(value: Any) -> bool:
    """A walk over the parsed entry: cheaper than any regex over the body (measured); strings,
    by far the most common leaves, cost one type check each."""
    if type(value) is not dict and type(value) is not list:
        return type(value) is float
    stack = [value]
    pop, push = stack.pop, stack.append
    while stack:
        item = pop()
        for child in (item.values() if type(item) is dict else item):
            kind = type(child)
            if kind is str:
                continue
            if kind is float:
                return True
            if kind is dict or kind is list:
                push(child)
    return False


def read_entry_fast(seq: int, digest: str, body: bytes, till: str) -> tuple[dict[str, Any] | None, str | None]:
    """`read_entry` with a faster JSON reader (strict UTF-8 JSON, integers within 64 bits).

    Anything the fast reader refuses or reads as a float goes through `read_entry` itself, so the
    verdict and its reason are exactly `read_entry`'s; on the rest both readers give the same object.
    """
    if type(body) is not bytes:
        return None, "body is not stored as bytes"
    if entry_hash(body) != digest:
        return None, "hash does not match body"
    if problem := bound_problem(body):
        return None, problem
    try:
        entry = orjson.loads(body)
    except orjson.JSONDecodeError:
        return read_entry(seq, digest, body, till)
    if _has_float(entry):
        return read_entry(seq, digest, body, till)
    return _envelope(entry, seq, till)


def is_canonical(entry: dict[str, Any], body: bytes) -> bool:
    """Same serialisation as canonical_bytes; floats are refused while parsing, keys are strings."""
    return _serialise(entry) == body


def _no_constant(text: str) -> float:
    raise ValueError(f"{text} in entry: not a JSON number")


def _no_float(text: str) -> float:
    raise ValueError(f"float {text} in entry: amounts must be decimal strings")
