"""The database worker: every use case runs on one thread that is not the GUI thread.

Modelled on Anki's operations: the GUI hands the worker a small operation (a callable on the
till context plus what to do with its result); the result or the cashier's error sentence
comes back as a queued signal, so the screen never waits on SQLite.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from kernel.errors import ApprovalRequired, DomainError

log = logging.getLogger(__name__)
_ids = count(1)


@dataclass
class Op:
    """One unit of work for the worker; `fn` gets the till context and runs off the GUI thread."""

    fn: Callable[[Any], Any]
    on_ok: Callable[[Any], None] | None = None
    on_err: Callable[[str], None] | None = None
    label: str = ""
    id: int = field(default_factory=lambda: next(_ids))


class Failure(str):
    """The cashier's sentence, plus whether a supervisor's approval would let the action through."""

    needs_approval: bool = False

    @classmethod
    def of(cls, exc: Exception) -> Failure:
        failure = cls(str(exc))
        failure.needs_approval = isinstance(exc, ApprovalRequired)
        return failure


class _Runner(QObject):
    """Lives in the worker thread; runs ops one at a time in submission order."""

    finished = Signal(object, bool, object)

    def __init__(self, ctx_getter: Callable[[], Any]) -> None:
        super().__init__()
        self._ctx = ctx_getter

    @Slot(object)
    def execute(self, op: Op) -> None:
        try:
            result, ok = op.fn(self._ctx()), True
        except DomainError as exc:
            result, ok = Failure.of(exc), False
        except Exception as exc:  # a bug must not kill the till: show a sentence, log the detail
            log.error("operation %s failed: %s", op.label, traceback.format_exc())
            result, ok = Failure(f"Something went wrong ({type(exc).__name__}). The sale is kept; try again."), False
        self.finished.emit(op, ok, result)


class DbWorker(QObject):
    """Owns the database thread. `run` may be called only from the GUI thread."""

    _submit = Signal(object)
    error = Signal(str)  # every failure, for the banner
    idle = Signal()  # nothing pending any more (tests wait on it)
    ctx_changed = Signal(object)

    def __init__(self, ctx: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pending = 0
        self._thread = QThread()
        self._thread.setObjectName("tillstone-db")
        self._runner = _Runner(lambda: self.ctx)
        self._runner.moveToThread(self._thread)
        self._submit.connect(self._runner.execute)
        self._runner.finished.connect(self._dispatch)
        self._thread.start()

    def run(self, fn: Callable[[Any], Any], on_ok: Callable[[Any], None] | None = None,
            on_err: Callable[[str], None] | None = None, label: str = "") -> Op:
        op = Op(fn, on_ok, on_err, label)
        self.pending += 1
        self._submit.emit(op)
        return op

    def set_ctx(self, ctx: Any) -> None:
        """New settings (after the settings screen saved); ops submitted later see them."""
        self.ctx = ctx
        self.ctx_changed.emit(ctx)

    @Slot(object, bool, object)
    def _dispatch(self, op: Op, ok: bool, result: Any) -> None:
        self.pending -= 1
        try:
            if ok and op.on_ok:
                op.on_ok(result)
            elif not ok:
                if op.on_err:
                    op.on_err(result)
                else:
                    self.error.emit(result)
        finally:
            if self.pending == 0:
                self.idle.emit()

    def stop(self) -> None:
        """Finish what is queued, then end the thread (a running QThread must never be destroyed)."""
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
