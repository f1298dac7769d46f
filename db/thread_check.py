"""A debug check that no SQL runs on the GUI thread.

A statement on the GUI thread freezes the till for as long as SQLite waits (a busy lock can
take seconds), so the GUI hands every database call to its worker. This check makes a slip
loud: with TILLSTONE_THREAD_CHECKS=1 (the test suite sets it), the GUI registers its thread at
start-up and any statement issued on that thread, through any engine, is recorded and raises
`WrongThread`. Off, nothing is hooked and nothing is paid. The GUI passes a plain thread: this
module knows nothing of Qt.
"""

from __future__ import annotations

import os
import threading
import traceback

from sqlalchemy import Engine, event

ENV = "TILLSTONE_THREAD_CHECKS"

_forbidden: int | None = None
_violations: list[str] = []
_hooked = False


class WrongThread(RuntimeError):
    """SQL was issued on the thread that must never wait for the database."""


def enabled() -> bool:
    return os.environ.get(ENV, "").strip() not in ("", "0")


def forbid(thread: threading.Thread | None) -> None:
    """From now on, SQL on `thread` is a bug (when the check is enabled); None lifts it."""
    global _forbidden, _hooked
    if thread is None:
        _forbidden = None
        return
    if not enabled():
        return
    if not _hooked:
        event.listen(Engine, "before_cursor_execute", _check)
        _hooked = True
    _forbidden = thread.ident


def violations() -> list[str]:
    """Every statement caught so far (the statement and where it came from), oldest first."""
    return list(_violations)


def clear() -> None:
    _violations.clear()


def check_here(statement: str) -> None:
    """The same check for a statement sent to the driver directly (db/raw_sql.py)."""
    if _forbidden is not None:
        _check(None, None, statement, None, None, False)


def _check(_conn: object, _cursor: object, statement: str, _params: object, _context: object, _many: bool) -> None:
    if _forbidden is None or threading.get_ident() != _forbidden:
        return
    ours = [f for f in traceback.extract_stack()[:-1] if "sqlalchemy" not in f.filename]
    where = "".join(traceback.format_list(ours[-8:]))  # the caller's frames, not the driver's
    _violations.append(f"{statement.strip()[:120]}\n{where}")
    raise WrongThread(f"SQL on the GUI thread: {statement.strip()[:80]}")
