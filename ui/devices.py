"""The GUI's door to hardware: a thin Qt bridge over `devices.till_devices.TillDevices`.

The devices package does the work on its own worker thread (print spool, drawer, scale,
display); this class only turns its observer events and Futures into queued Qt signals, keeps
the printer state the banner and status bar show, and hands spool reads and writes (short
SQLite calls) to the database worker, never the GUI thread. A sale's receipt, a refund or cash
slip is stored by the use case in the action's own transaction; after the commit the screen
calls `spooled()`, which only wakes the spool and follows the jobs until they are printed.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future

from PySide6.QtCore import QObject, Qt, Signal, Slot

from app.bootstrap import print_store
from app.context import TillContext
from app.usecases import printing
from devices.escpos_status import PrinterStatus
from devices.events import DeviceEvent
from devices.receipt import render_report, render_test_page
from devices.scale import ScaleReading
from devices.till_devices import TillDevices
from devices.urls import DeviceSettings
from ui.worker import DbWorker

log = logging.getLogger(__name__)

PROBLEMS = ("paper_out", "cover_open", "offline", "unreachable", "error")
IDLE = ("ready", "paper_near_end", "unknown")


def device_settings(ctx: TillContext) -> tuple[DeviceSettings, str]:
    """The till's `device.*` settings; a malformed one leaves every device off and says why."""
    with ctx.uow(read_only=True) as uow:
        return printing.device_settings(uow.settings.all())


class DeviceHub(QObject):
    """Signals arrive on the GUI thread. `printer_state(state, sentence)`: state is `ready`,
    `printing`, `paper_near_end`, one of PROBLEMS, or `not_configured`."""

    device_event = Signal(object)  # every DeviceEvent
    printer_state = Signal(str, str)
    printed = Signal(int)
    weight = Signal(int)  # thousandths of a kg, stable and above zero
    weight_error = Signal(str)
    _from_worker = Signal(object)  # a DeviceEvent, ScaleReading or the scale's exception: device thread to ours

    def __init__(self, worker: DbWorker, settings: DeviceSettings, *, problem: str = "", io_timeout: float = 3.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker, self.settings = worker, settings
        self.devices = TillDevices(settings, print_store(worker.ctx), clock=worker.ctx.clock, io_timeout=io_timeout)
        self._from_worker.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self.devices.add_observer(self._from_worker.emit)
        self.problem = problem
        self.condition = "ready" if settings.printer.enabled else "not_configured"
        self.message = problem or ("" if settings.printer.enabled else "No receipt printer is set up.")
        self.pending: set[int] = set()
        self._printed: set[int] = set()
        self.last_receipt: str | None = None
        self.started = False

    @classmethod
    def for_till(cls, worker: DbWorker, *, io_timeout: float = 3.0) -> DeviceHub:
        settings, problem = worker.call(device_settings)  # on the database thread, before the window shows
        return cls(worker, settings, problem=problem, io_timeout=io_timeout)

    @property
    def state(self) -> str:
        if self.condition in IDLE and self.pending:
            return "printing"
        return self.condition

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Start the device worker and ask the printer how it is (the answer comes as an event)."""
        self.devices.start()
        self.started = True
        if self.settings.printer.enabled:
            self.devices.printer_status().add_done_callback(self._status_read)

    def stop(self) -> None:
        """Stop the device worker and wait for it (at most one I/O timeout)."""
        if self.started:
            self.devices.stop()
            self.started = False

    def _status_read(self, future: Future[PrinterStatus]) -> None:  # device thread
        if not future.cancelled() and future.exception() is None:
            status = future.result()
            self._from_worker.emit(DeviceEvent("printer", status.state, status.sentence()))

    # -- printing (spool writes run on the database worker) --------------------------------------
    def _profile(self) -> tuple[str, int]:
        return self.settings.printer_profile, self.settings.paper_width

    def spooled(self, receipt_no: str | None = None) -> None:
        """A committed action stored its print jobs (and drawer kick): send them now and show
        `printing` until the printer confirms them. `receipt_no` is then the one Reprint copies."""
        if receipt_no is not None:
            self.last_receipt = receipt_no
        self.devices.wake()
        self.worker.run(lambda _ctx: self.devices.spool.pending_ids(), self._track_all, label="follow print jobs")

    def reprint(self) -> None:
        """The last receipt of this session again, marked COPY (never opening the drawer)."""
        receipt_no = self.last_receipt
        if receipt_no is None:
            self.printer_state.emit(self.state, "There is no receipt to reprint yet.")
            return
        self.worker.run(lambda ctx: self.devices.print_job(printing.copy_job(ctx, receipt_no)), self._track,
                        label="reprint receipt")

    def print_report(self, lines: list[str], title: str = "") -> None:
        """X, Z and refund slips: lines already formatted."""
        profile, width = self._profile()
        job = render_report(lines, title=title, profile=profile, paper_width=width)
        self.worker.run(lambda _ctx: self.devices.print_job(job), self._track, label="print report")

    def test_page(self) -> None:
        profile, width = self._profile()
        job = render_test_page(profile=profile, paper_width=width, url=self.settings.printer.url)
        self.worker.run(lambda _ctx: self.devices.print_job(job), self._track, label="print test page")

    def _track(self, job_id: int | None) -> None:
        self._track_all([] if job_id is None else [job_id])

    def _track_all(self, job_ids: list[int]) -> None:
        new = set(job_ids) - self._printed - self.pending
        if new:
            self.pending |= new
            self._emit_state()

    # -- drawer and scale -----------------------------------------------------------------------
    def open_drawer(self) -> Future[bool]:
        return self.devices.open_drawer()

    def weigh(self) -> None:
        """Ask the scale once; `weight` or `weight_error` follows on the GUI thread."""
        self.devices.weigh().add_done_callback(
            lambda f: self._from_worker.emit(f.result() if f.exception() is None else f.exception()))

    # -- events ---------------------------------------------------------------------------------
    @Slot(object)
    def _on_event(self, item: DeviceEvent | ScaleReading | BaseException) -> None:
        if not isinstance(item, DeviceEvent):
            self._reading(item)
            return
        self.device_event.emit(item)
        if item.device != "printer":
            return
        if item.state == "printed" and item.job_id is not None:
            self._printed.add(item.job_id)
            self.pending.discard(item.job_id)
            self.printed.emit(item.job_id)
        elif item.job_id is None:
            self.condition, self.message = item.state, item.message
        self._emit_state()

    def _emit_state(self) -> None:
        self.printer_state.emit(self.state, self.message)

    def _reading(self, reading: ScaleReading | BaseException) -> None:
        if isinstance(reading, BaseException):
            log.error("scale read failed: %s", reading)
            self.weight_error.emit("The scale could not be read; try again.")
        elif reading.usable:
            self.weight.emit(reading.milli_kg)
        else:
            self.weight_error.emit(reading.message or "The scale gave no weight.")
