"""Changing a till's file behind the application's back, as someone with the file would: plain
sqlite3, the append-only triggers dropped first. And verifying it afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.audit.verify import VerifyReport
from app.bootstrap import DB_NAME, open_till
from app.usecases import audit
from kernel.clock import ManualClock
from tests.support.till import START


def drop_guards(con: sqlite3.Connection) -> None:
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_%'"):
        con.execute(f'DROP TRIGGER "{name}"')


def tamper(data_dir: Path, *statements: str, params: tuple = ()) -> None:
    """Run `statements` (each with `params`) on the file with every append-only trigger dropped."""
    con = sqlite3.connect(data_dir / DB_NAME)
    drop_guards(con)
    for statement in statements:
        con.execute(statement, params)
    con.commit()
    con.close()


def verify(data_dir: Path) -> VerifyReport:
    ctx = open_till(data_dir, clock=ManualClock(START))
    try:
        return audit.verify(ctx)
    finally:
        ctx.close()
