"""The receipt's anchor line: the receipt number, the sequence number and a short hash of the
sale's own audit entry, printed as text and as a QR code on every receipt.

A customer's receipt is evidence held outside the till: `tillstone audit verify --receipt LINE`
checks that the entry it names is still in the log, with that hash, for that receipt. The
receipt writes the line (`devices/receipt.py` `qr_payload`, below the layer of this module);
this is its reader.
"""

from __future__ import annotations

import re

SHORT_HASH = 16  # hex digits printed
MIN_HASH = 8  # fewer typed digits prove too little to count as a match (the patterns' {8,64})
_LINE = re.compile(r"\s*(?P<receipt>[A-Za-z0-9]{1,8}-[A-Za-z0-9]{1,8}-\d{8}-\d{4,9})\s+seq=(?P<seq>\d{1,12})"
                   r"\s+h=(?P<hash>[0-9A-Fa-f]{8,64})\s*")
SEQ_ON_PAPER = re.compile(rb"seq=(\d{1,12}) h=([0-9a-f]{8,64})")


class AnchorError(ValueError):
    """The text is not a receipt's anchor line."""


def parse_anchor(text: str) -> tuple[str, int, str]:
    """(receipt number, seq, lowercase hash prefix) of an anchor line as printed or scanned."""
    found = _LINE.fullmatch(text) if isinstance(text, str) else None
    if found is None:
        raise AnchorError("Give the receipt's audit line as it is printed, e.g. "
                          "\"S001-T01-20260105-0042 seq=812 h=3fa9c0d18e2b4a77\" (at least "
                          f"{MIN_HASH} hex digits of the hash).")
    return found["receipt"], int(found["seq"]), found["hash"].lower()
