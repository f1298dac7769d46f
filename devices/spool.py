"""The print spool: jobs persist in SQLite and the device worker sends them, oldest first.

Delivery rule, per job and attempt:
1. connect and ask DLE EOT; not ready (offline, cover open, paper out, no answer) -> the job
   waits, the state is reported, and we retry with backoff;
2. the drawer kick (if any, and not past its deadline) is sent once and marked done at once;
3. the body is written in full, recorded (`body_written`), then DLE EOT is asked again; only a
   valid answer, which the printer sends after it has received everything before it, marks the
   job done.
What remains (documented in docs/devices.md): if the printer received the body but the
connection died before it answered, we cannot know whether it printed, so we resend; the resent
copy carries a banner saying it may be a duplicate. We prefer a possible duplicate to a lost
receipt; the drawer never opens twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import Connection, Engine

from db.spool_repo import SpoolJob, SpoolRepo
from devices.escpos_status import PrinterStatus
from devices.events import DeviceEvent, Observer, Observers
from devices.printer_link import PrinterLink, PrinterLinkError
from devices.receipt import PrintJob
from devices.worker import DeviceWorker, Handle
from kernel.clock import Clock, SystemClock, iso_utc

RESEND_BANNER = b"\x1b@*** RESENT: the printer went away while printing; this may be a duplicate ***\n"
COPY_BANNER = b"\x1b@\x1ba\x01\x1bE\x01*** COPY ***\n\x1bE\x00\x1ba\x00"


class PrintSpool:
    """Persistent queue of print jobs for one printer, drained on a DeviceWorker."""

    def __init__(
        self, engine: Engine, connect: Callable[[], PrinterLink], *, clock: Clock | None = None,
        kick_ttl: float = 60.0, backoff: tuple[float, float] = (1.0, 30.0), idle_poll: float = 5.0,
    ) -> None:
        self.engine, self.connect = engine, connect
        self.clock: Clock = clock or SystemClock()
        self.kick_ttl, self.backoff, self.idle_poll = kick_ttl, backoff, idle_poll
        self.observers = Observers()
        self.state = "unknown"
        self._delay = backoff[0]
        self._handle: Handle | None = None

    def add_observer(self, observer: Observer) -> None:
        self.observers.add(observer)

    # --- any thread ------------------------------------------------------------------------
    def enqueue(self, job: PrintJob) -> int:
        """Store a job (durably) and wake the worker; returns the job id."""
        with self.engine.begin() as conn:
            job_id = self.add_in(conn, job)
        self.wake()
        return job_id

    def add_in(self, conn: Connection, job: PrintJob) -> int:
        """Add a job inside the caller's transaction (e.g. the checkout's), so a committed sale always
        has its receipt job; call `wake()` after the commit."""
        now = self.clock.now()
        deadline = iso_utc(now + timedelta(seconds=self.kick_ttl)) if job.kick else None
        return SpoolRepo(conn).add(created_at=iso_utc(now), kind=job.kind, ref=job.ref, body=job.body,
                                   kick=job.kick, kick_deadline=deadline)

    def reprint(self, job_id: int) -> int:
        """A new job with the same body, marked COPY, never opening the drawer."""
        with self.engine.begin() as conn:
            old = SpoolRepo(conn).get(job_id)
        if old is None:
            raise KeyError(f"There is no print job {job_id}.")
        return self.enqueue(PrintJob(COPY_BANNER + old.body, kind="reprint", ref=old.ref))

    def cancel(self, job_id: int) -> bool:
        with self.engine.begin() as conn:
            return SpoolRepo(conn).cancel(job_id)

    def pending_count(self) -> int:
        with self.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            return SpoolRepo(conn).count_pending()

    def recent(self, limit: int = 50) -> list[SpoolJob]:
        with self.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            return SpoolRepo(conn).recent(limit)

    def attach(self, worker: DeviceWorker) -> Handle:
        """Let the worker drain this spool; new jobs wake it."""
        self._handle = worker.every(self.pump, name="print spool")
        return self._handle

    def wake(self) -> None:
        if self._handle is not None:
            self._handle.wake()

    # --- the worker thread -----------------------------------------------------------------
    def pump(self) -> float:
        """Send the oldest pending job; returns the delay before the next call.

        One job per call, so a drawer kick or a scale reading queued on the worker waits for at
        most one receipt, and `stop()` is never held up by a long queue.
        """
        with self.engine.begin() as conn:
            job = SpoolRepo(conn).next_pending()
        if job is None:
            self._delay = self.backoff[0]
            return self.idle_poll
        if not self._send(job):
            delay, self._delay = self._delay, min(self._delay * 2, self.backoff[1])
            return delay
        self._delay = self.backoff[0]
        return 0.0

    def _report(self, state: str, message: str, job_id: int | None = None) -> None:
        """Job events always; printer states only when they change (the GUI banner)."""
        if job_id is None and state == self.state:
            return
        if job_id is None:
            self.state = state
        self.observers.emit(DeviceEvent("printer", state, message, job_id))

    def _fail(self, job: SpoolJob, status: PrinterStatus) -> bool:
        with self.engine.begin() as conn:
            SpoolRepo(conn).record_attempt(job.id, status.sentence())
        self._report(status.state, status.sentence())
        return False

    def _send(self, job: SpoolJob) -> bool:
        try:
            link = self.connect()
        except PrinterLinkError as exc:
            return self._fail(job, PrinterStatus(reachable=False, detail=str(exc)))
        try:
            status = link.query_status()
            if not status.ready:
                return self._fail(job, status)
            self._report(status.state, status.sentence())
            if job.kick and not job.kick_done:
                self._kick(job, link)
            link.write((RESEND_BANNER if job.body_written else b"") + job.body)
            with self.engine.begin() as conn:
                SpoolRepo(conn).mark_body_written(job.id)
            after = link.query_status()
            if not after.reachable:
                return self._fail(job, after)
            with self.engine.begin() as conn:
                SpoolRepo(conn).mark_done(job.id, iso_utc(self.clock.now()))
            self._report("printed", f"Printed {job.kind} {job.ref}.", job.id)
            if not after.ready or after.paper_near_end:
                self._report(after.state, after.sentence())
            return True
        except PrinterLinkError as exc:
            return self._fail(job, PrinterStatus(reachable=False, detail=str(exc)))
        finally:
            link.close()

    def _kick(self, job: SpoolJob, link: PrinterLink) -> None:
        """The drawer opens at most once, and never long after the sale (a drawer popping open later is worse)."""
        late = job.kick_deadline is not None and iso_utc(self.clock.now()) > job.kick_deadline
        if not late:
            try:
                link.write(job.kick)
            except PrinterLinkError as exc:
                if exc.written == 0:
                    raise
        with self.engine.begin() as conn:
            SpoolRepo(conn).mark_kick_done(job.id)
        if late:
            self._report("drawer_not_opened",
                         f"The drawer was not opened for {job.ref}: the printer came back too late.", job.id)
