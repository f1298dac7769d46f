"""A print job as the spool keeps it: the record the database hands back and the device worker sends.

It lives here because both sides use it and neither may import the other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SpoolJob:
    id: int
    created_at: str
    kind: str  # receipt | reprint | report | slip | test
    ref: str  # receipt number or report title
    body: bytes  # empty for a drawer kick without a printer
    kick: bytes  # the drawer pulse, sent at most once
    kick_deadline: str | None
    kick_done: bool
    state: str  # pending | done | cancelled
    attempts: int
    body_written: int  # full writes not yet confirmed by the printer
    last_error: str | None
    done_at: str | None
