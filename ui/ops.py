"""Operations: how a screen asks the core something without the GUI thread waiting for it.

After Anki's QueryOp and CollectionOp. A `QueryOp` runs a read-only function (app.queries, or a
use case that only reads) on the database worker and hands its typed answer to `success` on
the GUI thread. A `ChangeOp` runs a use case that writes; when it succeeds it also tells every
screen which kind of data changed (`Change`, through the host's `changed` signal), so a screen
showing that data asks again, instead of each caller knowing whom to refresh. A failure is the
cashier's sentence: it goes to `failure` when one is set, else to the banner. A ChangeOp marked
`approvable` that the core refuses for want of a supervisor shows the approval overlay and runs
exactly once more, with the Approval typed there.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Flag, auto
from typing import Generic, Protocol, TypeVar

from app.context import TillContext
from app.domain.permissions import Approval
from ui.worker import DbWorker, Failure

T = TypeVar("T")


class Change(Flag):
    """What a write may have changed, for screens that show it."""

    SESSION = auto()  # a log-in or log-out was recorded
    CART = auto()  # the open cart: lines, customer, tenders
    SALES = auto()  # completed sales, their refunds and voids
    SHIFT = auto()  # a shift opened, suspended, resumed or closed; cash moved; a difference resolved
    CUSTOMERS = auto()  # account balances
    SETTINGS = auto()


class OpHost(Protocol):
    """What an op needs from the window (the shell): the worker, the banner, the overlay."""

    worker: DbWorker

    def show_error(self, message: str) -> None: ...

    def ask_approval(self, what: str, retry: Callable[[Approval], None], reason: str) -> None: ...

    def notify_changed(self, changes: Change) -> None: ...


def _label(fn: object) -> str:
    return f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', '')}"


class QueryOp(Generic[T]):
    """A read on the worker; `success(answer)` on the GUI thread."""

    def __init__(self, host: OpHost, query: Callable[[TillContext], T], success: Callable[[T], None]) -> None:
        self.host, self.query, self._success = host, query, success
        self._failure: Callable[[Failure], None] | None = None

    def failure(self, handler: Callable[[Failure], None]) -> QueryOp[T]:
        self._failure = handler
        return self

    def run(self) -> None:
        self.host.worker.run(self.query, self._success, self._failure or self.host.show_error, _label(self.query))


class ChangeOp(Generic[T]):
    """A write on the worker: `action(ctx, approval)` (approval is None unless a supervisor gave one)."""

    def __init__(self, host: OpHost, action: Callable[[TillContext, Approval | None], T], changes: Change) -> None:
        self.host, self.action, self.changes = host, action, changes
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[Failure], None] | None = None
        self._approval: tuple[str, str] | None = None  # (what is asked for, the suggested reason)

    def success(self, handler: Callable[[T], None]) -> ChangeOp[T]:
        self._success = handler
        return self

    def failure(self, handler: Callable[[Failure], None]) -> ChangeOp[T]:
        self._failure = handler
        return self

    def approvable(self, what: str = "", reason: str = "") -> ChangeOp[T]:
        """Ask a supervisor when the core says one must approve; `what` heads the overlay."""
        self._approval = (what, reason)
        return self

    def run(self, approval: Approval | None = None) -> None:
        action = self.action
        self.host.worker.run(lambda ctx: action(ctx, approval), self._done, self._failed, _label(action))

    def _done(self, result: T) -> None:
        if self._success is not None:
            self._success(result)
        self.host.notify_changed(self.changes)

    def _failed(self, failure: Failure) -> None:
        if self._approval is not None and failure.needs_approval:
            what, reason = self._approval
            self._approval = None  # the retry is the last try: a second refusal is shown, not asked again
            self.host.ask_approval(failure if not what else f"{what}\n{failure}", self.run, reason)
        else:
            (self._failure or self.host.show_error)(failure)
