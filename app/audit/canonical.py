"""Audit log format v1: canonical bytes and entry hashes (see docs/audit-format.md).

The canonical form is what gets hashed, so it must be reproducible by any verifier in any
language: keys sorted at every level, no whitespace, UTF-8 (not \\u-escaped), no floats.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

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
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


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
