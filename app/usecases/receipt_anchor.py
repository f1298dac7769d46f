"""`audit verify --receipt`: one customer's receipt checked against the till's log.

The receipt names its sale's entry by sequence number and short hash. It matches when that
entry is in the log with that hash, is the sale.completed entry of that receipt number, and the
chain from entry 1 up to it is intact (so every entry before it is pinned by the hash too). A
log cut short before it, or rewritten and re-hashed up to it, cannot match.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from app.audit.verify import VerifyReport, verify_chain
from app.context import TillContext


@dataclass(frozen=True)
class ReceiptCheck:
    ok: bool
    message: str


def check_receipt(ctx: TillContext, receipt_no: str, seq: int, prefix: str) -> ReceiptCheck:
    """Whether the log still holds the entry a receipt printed (see module docstring)."""
    till = ctx.settings.audit_till
    if not receipt_no.startswith(till + "-"):
        return ReceiptCheck(False, f"Receipt {receipt_no} is not from this till ({till}).")
    with ctx.uow(read_only=True) as uow, uow.lenient_text():
        uow.check_intact()
        head = int(uow.audit.head()[0])
        stored = uow.audit.entry(seq) if 0 < seq <= head else None
        if stored is None:
            return ReceiptCheck(False, f"Receipt {receipt_no} names audit entry #{seq}, but the log ends at #{head}: "
                                       "its newest entries were cut off or the till runs on an old backup.")
        body, digest = stored
        if not digest.startswith(prefix):
            return ReceiptCheck(False, f"Receipt {receipt_no} names entry #{seq} with hash {prefix}, but that "
                                       f"entry's hash is {digest[:len(prefix)]}: the log was rewritten.")
        chain = VerifyReport()
        verify_chain(_upto(uow.audit.iter_raw(), seq), till, chain)
    if chain.problems:
        first = chain.problems[0]
        return ReceiptCheck(False, f"Receipt {receipt_no}: the chain up to entry #{seq} is broken at "
                                   f"#{first.seq} ({first.message}).")
    try:
        entry = json.loads(body)
        data = entry["data"]
        kind, number = entry["type"], data["receipt_no"]
    except (ValueError, TypeError, KeyError, RecursionError):
        return ReceiptCheck(False, f"Entry #{seq} cannot be read as a sale; run `tillstone audit verify`.")
    if kind != "sale.completed" or number != receipt_no:
        return ReceiptCheck(False, f"Entry #{seq} is the {kind} of {number!r}, not the sale of receipt {receipt_no}.")
    return ReceiptCheck(True, f"OK: receipt {receipt_no} is audit entry #{seq} (hash {digest[:16]}), and the chain "
                              f"up to it is intact; the log holds {head} entries.")


def _upto(rows: Iterator[tuple[int, bytes, str, str]], seq: int) -> Iterator[tuple[int, bytes, str, str]]:
    for row in rows:
        yield row
        if row[0] >= seq:
            return
