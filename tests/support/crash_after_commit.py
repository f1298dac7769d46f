"""A child process for the crash tests: pay a cart in cash and die by SIGKILL the moment the
payment's transaction has committed, before anything else (no device I/O) can happen.

    python -m tests.support.crash_after_commit DATA_DIR CART_ID NOW_ISO AMOUNT
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
from app.usecases import checkout
from db.engine import make_engine
from db.uow import UnitOfWork
from kernel.clock import ManualClock

NOT_KILLED = 3


class DiesAfterCommit(UnitOfWork):
    """The till's own unit of work; the power goes the instant a write transaction is on disk."""

    def commit(self) -> None:
        super().commit()
        if not self.read_only:
            os.kill(os.getpid(), signal.SIGKILL)


def main(data_dir: str, cart_id: str, now_iso: str, amount: str) -> int:
    ctx = open_till(Path(data_dir), ManualClock(datetime.fromisoformat(now_iso)))
    till, engine = ctx.settings.audit_till, make_engine(Path(data_dir) / DB_NAME)
    ctx = replace(ctx, uow_factory=lambda read_only=False: DiesAfterCommit(engine, till, format_v1,
                                                                            read_only=read_only))
    checkout.add_payment(ctx, cart_id, "anna", "cash", int(amount))
    return NOT_KILLED


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
