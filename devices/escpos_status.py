"""Decoding of DLE EOT real-time status replies, in our own code.

python-escpos 3.1 cannot be trusted here: `paper_status()` reports "paper OK" when the printer
does not answer at all, and Dummy/File have no `_read` (issue #622). A missing reply must mean
"unknown", so the spool never mistakes a dead printer for a ready one.
"""

from __future__ import annotations

from dataclasses import dataclass

DLE_EOT = b"\x10\x04"
QUERIES = (1, 2, 4)


def is_status_byte(value: int) -> bool:
    """A real reply matches the bit pattern 0xx1xx10; anything else is noise."""
    return value & 0b1001_0011 == 0b0001_0010


@dataclass(frozen=True)
class PrinterStatus:
    """What DLE EOT 1, 2 and 4 said, or why we could not ask."""

    reachable: bool
    online: bool = False
    cover_open: bool = False
    paper_near_end: bool = False
    paper_out: bool = False
    error: bool = False
    drawer_pin3_high: bool = False
    detail: str = ""

    @property
    def ready(self) -> bool:
        """Ready to take a job now."""
        return self.reachable and self.online and not (self.cover_open or self.paper_out or self.error)

    @property
    def state(self) -> str:
        """One word for the GUI banner and the CLI."""
        if not self.reachable:
            return "unreachable"
        if self.paper_out:
            return "paper_out"
        if self.cover_open:
            return "cover_open"
        if self.error:
            return "error"
        if not self.online:
            return "offline"
        return "paper_near_end" if self.paper_near_end else "ready"

    def sentence(self) -> str:
        """What a cashier should read."""
        return {
            "unreachable": f"The receipt printer does not answer{': ' + self.detail if self.detail else ''}.",
            "paper_out": "The receipt printer is out of paper.",
            "cover_open": "The receipt printer's cover is open.",
            "error": "The receipt printer reports an error; switch it off and on.",
            "offline": "The receipt printer is offline.",
            "paper_near_end": "The receipt paper is nearly finished.",
            "ready": "The receipt printer is ready.",
        }[self.state]


def unreachable(detail: str) -> PrinterStatus:
    return PrinterStatus(reachable=False, detail=detail)


def decode_status(replies: dict[int, int]) -> PrinterStatus:
    """Status from the reply bytes to DLE EOT 1, 2 and 4; a missing or malformed reply = unreachable."""
    for n in QUERIES:
        if n not in replies:
            return unreachable(f"no reply to status query {n}")
        if not is_status_byte(replies[n]):
            return unreachable(f"unexpected reply 0x{replies[n]:02x} to status query {n}")
    printer, offline, paper = replies[1], replies[2], replies[4]
    return PrinterStatus(
        reachable=True,
        online=not printer & 0x08,
        drawer_pin3_high=bool(printer & 0x04),
        cover_open=bool(offline & 0x04),
        paper_out=bool(paper & 0x60) or bool(offline & 0x20),
        error=bool(offline & 0x40),
        paper_near_end=bool(paper & 0x0C),
    )
