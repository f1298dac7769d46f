"""A second verifier of `audit export` files, written from the audit log format v1 in
docs/design.md alone: it uses only json and hashlib and shares no code with the application, so a
mistake in the application's canonical form or chain cannot hide in both.

    problems = verify_export(path)      # [] when the file is a sound v1 chain
"""

from __future__ import annotations

import hashlib
import json
import re

GENESIS = "0" * 64
KEYS = {"v", "till", "seq", "ts", "type", "actor", "data", "prev", "hash"}
TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
METHODS = {"cash", "card", "account", "voucher", "other"}
DATED_PREFIXES = ("sale.", "refund.", "cash.", "drawer.", "shift.")
LINE_KEYS = {"sku", "name", "qty", "unit_price", "discount", "net", "tax", "gross", "tax_code"}
REQUIRED = {
    "sale.completed": {"sale_id", "receipt_no", "shift_id", "customer_id", "lines", "subtotal_discount", "net", "tax",
                       "gross", "payments", "change"},
    "sale.voided": {"sale_id", "receipt_no", "gross", "approved_by"},
    "refund.completed": {"refund_id", "original_sale_id", "receipt_no", "lines", "net", "tax", "gross", "payments",
                         "approved_by"},
    "cash.in": {"shift_id", "amount", "reason"},
    "cash.out": {"shift_id", "amount", "reason"},
    "drawer.opened": {"shift_id", "reason"},
    "shift.opened": {"shift_id", "opening_float"},
    "shift.closed": {"shift_id", "expected_cash", "counted_cash", "difference"},
    "override.granted": {"action", "approved_by", "reason"},
    "user.login": {"user_id"},
    "user.login_failed": {"user_id"},
    "user.logout": {"user_id"},
}
MONEY_KEYS = {
    "sale.completed": ("subtotal_discount", "net", "tax", "gross", "change"),
    "sale.voided": ("gross",),
    "refund.completed": ("net", "tax", "gross"),
    "cash.in": ("amount",), "cash.out": ("amount",),
    "shift.opened": ("opening_float",),
    "shift.closed": ("expected_cash", "counted_cash", "difference"),
}


class _Float(Exception):
    pass


def _no_float(text: str) -> float:
    raise _Float(text)


def canonical(entry: dict) -> bytes:
    """docs/design.md: without `hash`, keys sorted at every level, "," and ":", UTF-8 unescaped."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _minor(text: object, scale: int | None = None) -> tuple[int, int] | None:
    """A fixed-scale decimal string as (integer of its smallest unit, scale); None if not one."""
    if not isinstance(text, str) or not DECIMAL.match(text):
        return None
    whole, _, frac = text.partition(".")
    if scale is not None and len(frac) != scale:
        return None
    sign = -1 if whole.startswith("-") else 1
    return sign * int(whole.lstrip("-") + frac or "0"), len(frac)


def _check_data(seq: int, type_: str, data: dict, problems: list) -> None:
    def bad(message: str) -> None:
        problems.append((seq, message))

    missing = REQUIRED.get(type_, set()) - set(data)
    if missing:
        bad(f"{type_} lacks {sorted(missing)}")
        return
    if type_.startswith(DATED_PREFIXES) and not (isinstance(data.get("business_date"), str)
                                                 and DATE.match(data["business_date"])):
        bad(f"{type_} has no business_date")
    scales = set()
    for key in MONEY_KEYS.get(type_, ()):
        parsed = _minor(data[key])
        if parsed is None:
            bad(f"{key} is not a decimal string: {data[key]!r}")
            return
        scales.add(parsed[1])
    for line in data.get("lines", []) if type_ in ("sale.completed", "refund.completed") else []:
        if not isinstance(line, dict) or not set(line) >= LINE_KEYS:
            bad("a line lacks required keys")
            return
        if _minor(line["qty"], 3) is None:
            bad(f"a line quantity is not a 3-decimal string: {line['qty']!r}")
        for key in ("unit_price", "discount", "net", "tax", "gross"):
            parsed = _minor(line[key])
            if parsed is None:
                bad(f"a line {key} is not a decimal string")
                return
            if type_ == "refund.completed" and parsed[0] < 0:
                bad(f"a refund line has a negative {key}: refund amounts are positive")
            scales.add(parsed[1])
    if "payments" in REQUIRED.get(type_, ()):
        for payment in data["payments"]:
            if not isinstance(payment, dict) or payment.get("method") not in METHODS:
                bad(f"unknown payment method in {payment!r}")
                return
            parsed = _minor(payment.get("amount"))
            if parsed is None:
                bad("a payment amount is not a decimal string")
                return
            scales.add(parsed[1])
    if len(scales) > 1:
        bad(f"money with different scales {sorted(scales)}")
        return
    if type_ == "sale.completed":
        scale = scales.pop() if scales else 0
        paid = sum(_minor(p["amount"], scale)[0] for p in data["payments"])
        if paid - _minor(data["change"], scale)[0] != _minor(data["gross"], scale)[0]:
            bad("gross is not the payments minus the change")


def verify_lines(lines: list[bytes]) -> list[tuple[int | None, str]]:
    """Problems found in the export's lines, as (seq or None, message), in file order."""
    problems: list[tuple[int | None, str]] = []
    prev, expected, till = GENESIS, 1, None
    for number, raw in enumerate(lines, start=1):
        try:
            entry = json.loads(raw.decode("utf-8"), parse_float=_no_float)
        except _Float:
            problems.append((expected, f"line {number} holds a float"))
            expected += 1
            continue
        except (UnicodeDecodeError, ValueError):
            problems.append((expected, f"line {number} is not JSON in UTF-8"))
            expected += 1
            continue
        if not isinstance(entry, dict) or set(entry) != KEYS:
            problems.append((expected, f"line {number} does not have exactly the v1 keys"))
            expected += 1
            continue
        seq = entry["seq"]
        if type(seq) is not int or seq != expected:
            problems.append((expected, f"line {number}: seq {seq!r} where {expected} was due"))
            seq = expected if type(seq) is not int else seq
        if entry["v"] != 1 or type(entry["v"]) is not int:
            problems.append((seq, "v is not 1"))
        if not isinstance(entry["till"], str) or (till is not None and entry["till"] != till):
            problems.append((seq, "the till id changes within the file"))
        till = till or entry["till"]
        if not isinstance(entry["ts"], str) or not TS.match(entry["ts"]):
            problems.append((seq, f"ts {entry['ts']!r} is not YYYY-MM-DDTHH:MM:SS.ffffffZ"))
        if not isinstance(entry["type"], str) or not entry["type"]:
            problems.append((seq, "type is not a string"))
        if entry["actor"] is not None and not isinstance(entry["actor"], str):
            problems.append((seq, "actor is neither a string nor null"))
        if entry["prev"] != prev:
            problems.append((seq, "prev is not the hash of the entry before"))
        digest = hashlib.sha256(canonical(entry)).hexdigest()
        if not isinstance(entry["hash"], str) or not HEX64.match(entry["hash"]) or entry["hash"] != digest:
            problems.append((seq, "hash is not the SHA-256 of the canonical bytes"))
        if isinstance(entry["data"], dict):
            _check_data(seq, entry["type"], entry["data"], problems)
        else:
            problems.append((seq, "data is not an object"))
        prev = entry["hash"] if isinstance(entry["hash"], str) else digest
        expected = seq + 1
    return problems


def verify_export(path) -> list[tuple[int | None, str]]:  # type: ignore[no-untyped-def]
    with open(path, "rb") as fh:
        lines = [line.rstrip(b"\n") for line in fh.read().split(b"\n")]
    if lines and lines[-1] == b"":
        lines.pop()
    return verify_lines(lines)


def first_bad_seq(problems: list[tuple[int | None, str]]) -> int | None:
    seqs = [seq for seq, _ in problems if seq is not None]
    return min(seqs) if seqs else None
