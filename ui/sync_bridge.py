"""The GUI's door to the central store: a thin Qt bridge over `app.sync.worker.SyncService`.

Sync talks to a server that may be slow or gone for days, so it gets a thread of its own:
neither the GUI thread nor the database worker (which the cashier's sales queue on) ever waits
for it. Status callbacks arrive on that thread and are re-emitted as a queued signal, so the
status bar only ever sees them on the GUI thread.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import replace
from pathlib import Path
from time import monotonic

from PySide6.QtCore import QObject, Qt, Signal, Slot

from app.context import TillContext
from app.sync import connection
from app.sync.worker import Backoff, SyncService, SyncStatus, status

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 30.0
THREAD_NAME = "tillstone-sync"


class SyncBridge(QObject):
    """`status_changed(SyncStatus | None)` on the GUI thread; None means the till is not connected
    to a central store (emitted once by `start`, and nothing else happens)."""

    status_changed = Signal(object)
    _from_thread = Signal(object)  # emitted on the sync thread; queued to ours

    def __init__(self, ctx: TillContext, *, interval_s: float = DEFAULT_INTERVAL_S, backoff: Backoff | None = None,
                 join_timeout_s: float = 3.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if not interval_s > 0:
            raise ValueError("the sync interval must be a positive number of seconds")
        self.ctx, self.interval_s, self.join_timeout_s = ctx, interval_s, join_timeout_s
        self.backoff = backoff or Backoff()
        self.last: SyncStatus | None = None
        self.service: SyncService | None = None
        self.sync_thread: threading.Thread | None = None
        self._from_thread.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        """Read the till's connection file (a small local file) and, if it names this till, start
        syncing; otherwise say why once. The first status (offline, from the till alone) comes
        from the sync thread before the first round."""
        if self.sync_thread is not None:
            return
        data_dir = self.ctx.data_dir
        if data_dir is None or not (Path(data_dir) / connection.SETTINGS_FILE).exists():
            self._deliver(None)
            return
        problem = ""
        try:
            settings = connection.load(Path(data_dir))
        except connection.SettingsError as exc:  # a damaged or foreign file: an error the bar shows
            problem = str(exc)
        else:
            if settings.till != self.ctx.settings.audit_till:
                problem = f"the connection settings are for till {settings.till}, not {self.ctx.settings.audit_till}"
            else:
                self.service = SyncService(self.ctx, settings, interval_s=self.interval_s, backoff=self.backoff,
                                           on_status=self._emit, report_start=True)
        self.sync_thread = threading.Thread(target=self._main, args=(problem,), name=THREAD_NAME, daemon=True)
        self.sync_thread.start()

    def stop(self) -> bool:
        """Stop the loop, cancel a statement in flight and join the thread, waiting at most
        `join_timeout_s` (a connect to a vanished host can outlast that; the daemon thread then
        ends by its own connect timeout). True when the thread has ended."""
        thread, self.sync_thread = self.sync_thread, None
        if thread is None:
            return True
        deadline = monotonic() + self.join_timeout_s
        while thread.is_alive() and monotonic() < deadline:
            if self.service is not None:
                self.service.stop()  # again each time: a cancel that fell between two statements is lost
            thread.join(min(0.2, max(0.0, deadline - monotonic())))
        if thread.is_alive():
            log.warning("the sync thread did not end within %.1f s; leaving it to its timeouts", self.join_timeout_s)
            return False
        return True

    # -- the sync thread ------------------------------------------------------------------------
    def _main(self, problem: str) -> None:
        try:
            first = status(self.ctx)
        except Exception as exc:  # the till database itself is unreadable: say so, do not sync blind
            log.exception("sync status could not be read")
            self._emit(SyncStatus(state="error", last_error=f"The till's sync state cannot be read: {exc}"))
            return
        if problem:
            self._emit(replace(first, state="error", last_error=problem))
            return
        self._emit(first)
        service = self.service
        assert service is not None
        while not service.stop_event.is_set():
            try:
                service.run()
            except Exception as exc:  # a bug or a locked till database must not end syncing for the day
                log.exception("sync round failed")
                with contextlib.suppress(Exception):
                    first = status(self.ctx)
                self._emit(replace(first, state="error", last_error=f"{type(exc).__name__}: {exc}"[:300]))
                service.stop_event.wait(self.backoff.next_delay())

    def _emit(self, state: SyncStatus) -> None:
        with contextlib.suppress(RuntimeError):  # the window is gone (a thread that outlived stop())
            self._from_thread.emit(state)

    # -- GUI thread -----------------------------------------------------------------------------
    @Slot(object)
    def _deliver(self, state: SyncStatus | None) -> None:
        self.last = state
        self.status_changed.emit(state)
