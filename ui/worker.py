"""The database worker: every use case runs on one thread that is not the GUI thread.

The GUI hands the worker a job (a callable on the till context plus what to do with its
result); the result or the cashier's error sentence comes back as a queued signal, so the
screen never waits on SQLite. Screens do not submit jobs themselves: they run the op objects
of `ui.ops`, which sit on top of this.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from itertools import count
from typing import TypeVar

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.context import TillContext
from kernel.errors import ApprovalRequired, DomainError

log = logging.getLogger(__name__)
_ids = count(1)
T = TypeVar("T")


@dataclass
class Job:
    """One unit of work for the worker; `fn` gets the till context and runs off the GUI thread."""

    fn: Callable[[TillContext], object]
    on_ok: Callable[..., None] | None = None  # gets fn's result, on the GUI thread
    on_err: Callable[[Failure], None] | None = None
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
    """Lives in the worker thread; runs jobs one at a time in submission order."""

    finished = Signal(object, bool, object)

    def __init__(self, ctx_getter: Callable[[], TillContext]) -> None:
        super().__init__()
        self._ctx = ctx_getter

    @Slot(object)
    def execute(self, job: Job) -> None:
        result: object
        try:
            result, ok = job.fn(self._ctx()), True
        except DomainError as exc:
            result, ok = Failure.of(exc), False
        except Exception as exc:  # a bug must not kill the till: show a sentence, log the detail
            log.error("operation %s failed: %s", job.label, traceback.format_exc())
            result, ok = Failure(f"Something went wrong ({type(exc).__name__}). The sale is kept; try again."), False
        self.finished.emit(job, ok, result)


class DbWorker(QObject):
    """Owns the database thread. `run` may be called only from the GUI thread."""

    _submit = Signal(object)
    error = Signal(str)  # every failure without a handler of its own, for the banner
    idle = Signal()  # nothing pending any more (tests wait on it)
    ctx_changed = Signal(object)

    def __init__(self, ctx: TillContext, parent: QObject | None = None) -> None:
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

    def run(self, fn: Callable[[TillContext], T], on_ok: Callable[[T], None] | None = None,
            on_err: Callable[[Failure], None] | None = None, label: str = "") -> Job:
        job = Job(fn, on_ok, on_err, label)
        self.pending += 1
        self._submit.emit(job)
        return job

    def call(self, fn: Callable[[TillContext], T]) -> T:
        """Run `fn` on the database thread and wait for its result. Only for building the window,
        before it shows and the event loop runs: the GUI thread must not issue SQL itself."""
        answer: Future[T] = Future()

        def job(ctx: TillContext) -> None:
            try:
                answer.set_result(fn(ctx))
            except BaseException as exc:  # handed back to the caller, as if fn had run here
                answer.set_exception(exc)

        self.run(job, label="start-up")
        return answer.result()

    def set_ctx(self, ctx: TillContext) -> None:
        """New settings (after the settings screen saved); jobs submitted later see them."""
        self.ctx = ctx
        self.ctx_changed.emit(ctx)

    @Slot(object, bool, object)
    def _dispatch(self, job: Job, ok: bool, result: object) -> None:
        self.pending -= 1
        try:
            if ok and job.on_ok:
                job.on_ok(result)
            elif not ok:
                failure = result if isinstance(result, Failure) else Failure(str(result))
                if job.on_err:
                    job.on_err(failure)
                else:
                    self.error.emit(failure)
        finally:
            if self.pending == 0:
                self.idle.emit()

    def stop(self) -> None:
        """Finish what is queued, then end the thread (a running QThread must never be destroyed)."""
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
