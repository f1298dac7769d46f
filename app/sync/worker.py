"""The till's sync worker: push the audit log to the central store exactly once, pull master data.

No Qt here: the GUI runs `SyncService.run` on a worker thread and turns its `on_status`
callbacks into a status-bar signal. The audit log is the source of truth and the queue: what
lies after the acknowledged mark is waiting, in order and without gaps. Every batch is one
server transaction and carries a deterministic batch id, so a retry after a lost reply, a killed
connection or a killed process lands nothing twice. Where to resume comes from the server's own
ledger, capped by the till's cache, so a till restored from an old backup re-sends (and the
central store flags) rather than skips.
"""

from __future__ import annotations

import contextlib
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

import psycopg

from app.context import TillContext
from app.sync.connection import CentralSettings
from app.sync.pull import apply_due_prices, pull_master
from db.central import push_repo
from db.central.schema import CentralUnavailable, connect

BATCH_NAMESPACE = uuid.UUID("6f2b2f38-5d1a-4a57-9a55-2f3c1b0e7a11")
DEFAULT_BATCH = 2000
KEEPALIVES = {"keepalives": "1", "keepalives_idle": "10", "keepalives_interval": "5", "keepalives_count": "3"}


class CentralAhead(Exception):
    """The central store (or the till's cache of it) acknowledges entries the till's log does not
    hold: the log's newest entries were cut off, or the till runs on an old backup. Nothing is pushed."""

    def __init__(self, acknowledged: int, local_head: int) -> None:
        self.acknowledged, self.local_head = acknowledged, local_head
        super().__init__(
            f"The central store has acknowledged this till's audit entries up to #{acknowledged}, but the till's "
            f"log ends at #{local_head}: its newest entries were cut off or it was restored from an old backup. "
            "Nothing was synced; run `tillstone audit verify` and ask head office before selling on.")


@dataclass
class SyncStatus:
    """What the status bar and `sync --status` show."""

    unsynced: int = 0
    pushed_seq: int = 0
    last_success: str | None = None
    last_error: str | None = None
    state: str = "idle"  # idle | syncing | ok | error
    local_head: int = 0

    @property
    def ahead(self) -> CentralAhead | None:
        """The refusal when the acknowledged mark lies beyond the log's last entry."""
        return CentralAhead(self.pushed_seq, self.local_head) if self.pushed_seq > self.local_head else None


@dataclass
class SyncReport:
    batches: int = 0
    inserted: int = 0
    quarantined: int = 0
    watermark: int = 0
    pulled: dict[str, int] = field(default_factory=dict)


class Backoff:
    """Exponential backoff with full jitter, so tills coming back together do not stampede."""

    def __init__(self, base_s: float = 1.0, cap_s: float = 300.0, rng: random.Random | None = None) -> None:
        self.base_s, self.cap_s, self.rng, self.attempt = base_s, cap_s, rng or random.Random(), 0

    def next_delay(self) -> float:
        delay = self.rng.uniform(0, min(self.cap_s, self.base_s * 2**self.attempt))
        self.attempt += 1
        return delay

    def reset(self) -> None:
        self.attempt = 0


def batch_id(till: str, rows: list[tuple[int, str, bytes]]) -> uuid.UUID:
    """Same rows, same id: the ledger recognises a resent batch."""
    return uuid.uuid5(BATCH_NAMESPACE, f"{till}:{rows[0][0]}:{rows[-1][0]}:{rows[-1][1]}")


def open_central(settings: CentralSettings, *, statement_timeout_ms: int = 60_000) -> psycopg.Connection:
    return connect("", statement_timeout_ms=statement_timeout_ms, params={**KEEPALIVES, **settings.kwargs()})


def status(ctx: TillContext) -> SyncStatus:
    """Unsynced count and the last outcome, from the till alone (works offline)."""
    with ctx.uow(read_only=True) as uow:
        repo = uow.sync
        state = repo.state()
        pushed = int(state.get("pushed_seq", 0))
        head = repo.last_seq()
    return SyncStatus(
        unsynced=max(0, head - pushed), pushed_seq=pushed, last_success=state.get("last_success"),
        last_error=state.get("last_error") or None, state=state.get("state", "idle"), local_head=head,
    )


def _record(ctx: TillContext, **values: object) -> None:
    with ctx.uow() as uow:
        uow.sync.set_state(**values)
        uow.commit()


def push(ctx: TillContext, conn: psycopg.Connection, till: str, *, batch_size: int = DEFAULT_BATCH,
         now: Callable[[], datetime] | None = None) -> SyncReport:
    """Push every entry the server has not acknowledged, batch by batch. Refused (CentralAhead)
    when the server or the till's cache acknowledges more than the log holds."""
    report = SyncReport()
    server = push_repo.watermark(conn, till)
    with ctx.uow(read_only=True) as uow:
        local = uow.sync.pushed_seq()
        head = uow.sync.last_seq()
    if max(server, local) > head:
        raise CentralAhead(max(server, local), head)
    mark = min(server, local) if local else 0
    acknowledged_before = mark
    while True:
        with ctx.uow(read_only=True) as uow:
            rows = uow.sync.entries_after(mark, batch_size)
        if not rows:
            break
        result = push_repo.push_batch(
            conn, till=till, batch_id=batch_id(till, rows), rows=rows, till_time=(now or ctx.now)(),
        )
        report.batches += 1
        report.inserted += result.inserted
        report.quarantined += result.quarantined
        mark = rows[-1][0]
        _record(ctx, pushed_seq=mark)
    report.watermark = mark
    report.quarantined += recheck(ctx, conn, till, acknowledged_before, batch_size=batch_size, now=now)
    return report


def recheck(ctx: TillContext, conn: psycopg.Connection, till: str, watermark: int, *,
            batch_size: int = DEFAULT_BATCH, now: Callable[[], datetime] | None = None) -> int:
    """Re-send one rolling window of entries acknowledged before this round.

    Identical rows land as nothing; an entry altered on the till after it synced arrives as a
    second version (a fork, flagged by `hq import`) or, if only its body was changed, is
    quarantined by the server's hash check. Round after round the window covers the whole log,
    so local tampering is caught even when later checkpoints were built on the saved frontier.
    """
    if watermark <= 0:
        return 0
    with ctx.uow(read_only=True) as uow:
        cursor = int(uow.sync.state().get("recheck_seq", 0))
        if cursor >= watermark:
            cursor = 0
        rows = [r for r in uow.sync.entries_after(cursor, batch_size) if r[0] <= watermark]
    if not rows:
        return 0
    result = push_repo.push_batch(
        conn, till=till, batch_id=batch_id(till, rows), rows=rows, till_time=(now or ctx.now)(),
    )
    _record(ctx, recheck_seq=rows[-1][0])
    return result.quarantined


def sync_once(ctx: TillContext, settings: CentralSettings, *, batch_size: int = DEFAULT_BATCH,
              pull: bool = True, on_connect: Callable[[psycopg.Connection], None] | None = None) -> SyncReport:
    """One round: push, then pull master data. Records success or the error in the till.
    `on_connect` sees the open connection, so a stopping service can cancel the statement in flight."""
    _record(ctx, state="syncing")
    apply_due_prices(ctx)  # by the till's own clock, whether or not the store answers
    try:
        with open_central(settings) as conn:
            if on_connect is not None:
                on_connect(conn)
            report = push(ctx, conn, settings.till, batch_size=batch_size)
            if pull:
                report.pulled = pull_master(ctx, conn)
    except CentralAhead as exc:
        _record(ctx, state="error", last_error=str(exc)[:300], last_attempt=ctx.now_iso())
        raise
    except (CentralUnavailable, psycopg.Error, OSError) as exc:
        _record(ctx, state="error", last_error=_one_line(exc), last_attempt=ctx.now_iso())
        raise
    _record(ctx, state="ok", last_error="", last_success=ctx.now_iso(), last_attempt=ctx.now_iso())
    return report


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


class SyncService:
    """Loop with backoff until stopped; reports each state change to `on_status` (with
    `report_start`, also a "syncing" status as each round begins, for the till's status bar)."""

    def __init__(self, ctx: TillContext, settings: CentralSettings, *, interval_s: float = 30.0,
                 on_status: Callable[[SyncStatus], None] | None = None, backoff: Backoff | None = None,
                 report_start: bool = False) -> None:
        self.ctx, self.settings, self.interval_s = ctx, settings, interval_s
        self.on_status = on_status or (lambda _s: None)
        self.backoff = backoff or Backoff()
        self.report_start = report_start
        self.stop_event = threading.Event()
        self._conn: psycopg.Connection | None = None

    def run(self, *, rounds: int | None = None) -> None:
        done = 0
        while not self.stop_event.is_set() and (rounds is None or done < rounds):
            if self.report_start:
                self.on_status(replace(status(self.ctx), state="syncing"))
            try:
                sync_once(self.ctx, self.settings, on_connect=self._connected)
                self.backoff.reset()
                wait = self.interval_s
            except (CentralAhead, CentralUnavailable, psycopg.Error, OSError):
                wait = self.backoff.next_delay()
                if self.stop_event.is_set():  # cancelled by stop(): nothing went wrong with the store
                    _record(self.ctx, state="idle", last_error="")
            finally:
                self._conn = None
            self.on_status(status(self.ctx))
            done += 1
            if rounds is None or done < rounds:
                self.stop_event.wait(wait)

    def _connected(self, conn: psycopg.Connection) -> None:
        self._conn = conn

    def stop(self) -> None:
        """Stop looping and cancel the statement in flight (its batch rolls back and lands once on a
        later round), so a till closing mid-round does not wait for it. The cancel request goes from
        its own thread: it opens a connection, which must not block the caller."""
        self.stop_event.set()
        conn = self._conn
        if conn is not None:
            threading.Thread(target=_cancel, args=(conn,), name="tillstone-sync-cancel", daemon=True).start()


def _cancel(conn: psycopg.Connection) -> None:
    # closed meanwhile, or the server is gone: then the round's own timeouts end it
    with contextlib.suppress(psycopg.Error, OSError):
        if hasattr(conn, "cancel_safe"):  # psycopg >= 3.2
            conn.cancel_safe(timeout=10)
        else:
            conn.cancel()
