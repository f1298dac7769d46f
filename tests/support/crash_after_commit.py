"""A child process for the crash tests: do one action and die by SIGKILL the moment its
transaction has committed, before anything else (no device I/O, no clean close) can happen.

    python -m tests.support.crash_after_commit DATA_DIR CART_ID NOW_ISO AMOUNT      pay in cash
    python -m tests.support.crash_after_commit DATA_DIR CART_ID NOW_ISO scan:CODE   scan one item
"""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from app.audit import format_v1
from app.bootstrap import DB_NAME, open_till
from app.usecases import cart_lines, checkout
from db.engine import make_engine
from db.uow import UnitOfWork
from kernel.clock import ManualClock

NOT_KILLED = 3


class DiesAfterCommit(UnitOfWork):
    """The till's own unit of work; the process is killed the instant a write transaction commits."""

    def commit(self) -> None:
        super().commit()
        if not self.read_only:
            os.kill(os.getpid(), signal.SIGKILL)


def main(data_dir: str, cart_id: str, now_iso: str, action: str) -> int:
    ctx = open_till(Path(data_dir), ManualClock(datetime.fromisoformat(now_iso)))
    till, engine = ctx.settings.audit_till, make_engine(Path(data_dir) / DB_NAME)
    ctx = replace(ctx, uow_factory=lambda read_only=False, durable=True: DiesAfterCommit(
        engine, till, format_v1, read_only=read_only, durable=durable))
    if action.startswith("scan:"):
        cart_lines.add_item(ctx, cart_id, "anna", action.removeprefix("scan:"))
    else:
        checkout.add_payment(ctx, cart_id, "anna", "cash", int(action))
    return NOT_KILLED


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
