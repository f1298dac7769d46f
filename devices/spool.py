"""The print spool: jobs persist in the till database and the device worker sends them, oldest first.

Jobs of a business action (a sale's receipt and drawer kick, a refund or cash slip) are added by
the action's own unit of work, so a committed action always has its job and a rolled-back one
never does; the spool only sends what is stored. It reaches the jobs through `JobStore`, a
narrow interface the database side implements (devices never import the database).

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
from typing import Protocol

from devices.escpos_status import PrinterStatus
from devices.events import DeviceEvent, Observer, Observers
from devices.printer_link import PrinterLink, PrinterLinkError
from devices.receipt import PrintJob
from devices.worker import DeviceWorker, Handle
from kernel.clock import Clock, SystemClock, iso_utc
from kernel.print_jobs import SpoolJob

KICK_TTL_S = 60.0  # a drawer kick older than this is dropped: a drawer popping open minutes later is worse
RESEND_BANNER = b"\x1b@*** RESENT: the printer went away while printing; this may be a duplicate ***\n"
COPY_BANNER = b"\x1b@\x1ba\x01\x1bE\x01*** COPY ***\n\x1bE\x00\x1ba\x00"


class JobStore(Protocol):
    """Where the jobs are kept; every call is its own short transaction (db.spool_repo.SpoolStore)."""

    def add(self, *, created_at: str, kind: str, ref: str, body: bytes, kick: bytes = b"",
            kick_deadline: str | None = None) -> int: ...
    def get(self, job_id: int) -> SpoolJob | None: ...
    def next_pending(self) -> SpoolJob | None: ...
    def next_unkicked(self) -> SpoolJob | None: ...
    def pending_ids(self) -> list[int]: ...
    def recent(self, limit: int = 50) -> list[SpoolJob]: ...
    def record_attempt(self, job_id: int, error: str | None) -> None: ...
    def mark_kick_done(self, job_id: int) -> None: ...
    def mark_body_written(self, job_id: int) -> None: ...
    def mark_done(self, job_id: int, done_at: str) -> None: ...
    def cancel(self, job_id: int) -> bool: ...


class PrintSpool:
    """Persistent queue of print jobs for one printer, drained on a DeviceWorker.

    `connect` is None when no printer is set up (jobs with a body wait for one); `kick_apart`
    pulses a drawer that is not on the printer (a serial drawer): its kicks go out before, and
    whatever, the printer's state, since the cash drawer belongs to the sale, not to the paper.
    """

    def __init__(
        self, store: JobStore, connect: Callable[[], PrinterLink] | None, *, clock: Clock | None = None,
        kick_apart: Callable[[bytes], bool] | None = None, kick_ttl: float = KICK_TTL_S,
        backoff: tuple[float, float] = (1.0, 30.0), idle_poll: float = 5.0,
    ) -> None:
        self.store, self.connect, self.kick_apart = store, connect, kick_apart
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
        """Store a job that belongs to no business action (a reprint, a report, a test page) and wake
        the worker; returns the job id."""
        now = self.clock.now()
        deadline = iso_utc(now + timedelta(seconds=self.kick_ttl)) if job.kick else None
        job_id = self.store.add(created_at=iso_utc(now), kind=job.kind, ref=job.ref, body=job.body,
                                kick=job.kick, kick_deadline=deadline)
        self.wake()
        return job_id

    def reprint(self, job_id: int) -> int:
        """A new job with the same body, marked COPY, never opening the drawer."""
        old = self.store.get(job_id)
        if old is None:
            raise KeyError(f"There is no print job {job_id}.")
        return self.enqueue(PrintJob(COPY_BANNER + old.body, kind="reprint", ref=old.ref))

    def cancel(self, job_id: int) -> bool:
        return self.store.cancel(job_id)

    def pending_ids(self) -> list[int]:
        return self.store.pending_ids()

    def pending_count(self) -> int:
        return len(self.store.pending_ids())

    def recent(self, limit: int = 50) -> list[SpoolJob]:
        return self.store.recent(limit)

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
        if self.kick_apart is not None and not self._kicks_apart():
            return self._backoff()
        job = self.store.next_pending()
        if job is None:
            self._delay = self.backoff[0]
            return self.idle_poll
        if not job.body and (job.kick_done or not job.kick):
            self.store.mark_done(job.id, iso_utc(self.clock.now()))  # a kick without a printer: sent
            return 0.0
        if self.connect is None:
            return self.idle_poll  # printed once a printer is set up
        if not self._send(job, self.connect):
            return self._backoff()
        self._delay = self.backoff[0]
        return 0.0

    def _backoff(self) -> float:
        delay, self._delay = self._delay, min(self._delay * 2, self.backoff[1])
        return delay

    def _report(self, state: str, message: str, job_id: int | None = None) -> None:
        """Job events always; printer states only when they change (the GUI banner)."""
        if job_id is None and state == self.state:
            return
        if job_id is None:
            self.state = state
        self.observers.emit(DeviceEvent("printer", state, message, job_id))

    def _fail(self, job: SpoolJob, status: PrinterStatus) -> bool:
        self.store.record_attempt(job.id, status.sentence())
        self._report(status.state, status.sentence())
        return False

    def _send(self, job: SpoolJob, connect: Callable[[], PrinterLink]) -> bool:
        try:
            link = connect()
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
            self.store.mark_body_written(job.id)
            after = link.query_status()
            if not after.reachable:
                return self._fail(job, after)
            self.store.mark_done(job.id, iso_utc(self.clock.now()))
            self._report("printed", f"Printed {job.kind} {job.ref}.", job.id)
            if not after.ready or after.paper_near_end:
                self._report(after.state, after.sentence())
            return True
        except PrinterLinkError as exc:
            return self._fail(job, PrinterStatus(reachable=False, detail=str(exc)))
        finally:
            link.close()

    def _late(self, job: SpoolJob) -> bool:
        return job.kick_deadline is not None and iso_utc(self.clock.now()) > job.kick_deadline

    def _kick(self, job: SpoolJob, link: PrinterLink) -> None:
        """The drawer opens at most once, and never long after the sale (a drawer popping open later is worse)."""
        late = self._late(job)
        if not late:
            try:
                link.write(job.kick)
            except PrinterLinkError as exc:
                if exc.written == 0:
                    raise
        self.store.mark_kick_done(job.id)
        if late:
            self._report("drawer_not_opened",
                         f"The drawer was not opened for {job.ref}: the printer came back too late.", job.id)

    def _kicks_apart(self) -> bool:
        """Pulse the separate drawer for every waiting job that asks for it; False when it did not answer."""
        assert self.kick_apart is not None
        while (job := self.store.next_unkicked()) is not None:
            late = self._late(job)
            if not late and not self.kick_apart(job.kick):
                self.store.record_attempt(job.id, "the cash drawer did not answer")
                return False
            self.store.mark_kick_done(job.id)
            if late:
                self._report("drawer_not_opened",
                             f"The drawer was not opened for {job.ref}: it answered too late.", job.id)
        return True
