"""All of one till's devices behind one worker thread: the narrow interface the GUI and CLI use.

Every method returns at once: a job id (the spool write) or a Future that the worker completes.
State changes arrive through `add_observer` on the worker thread; a GUI re-emits them as signals.
Receipts and slips of business actions are not printed from here: the action's unit of work
stores them in the spool, and `wake()` lets the worker send them at once.
"""

from __future__ import annotations

from concurrent.futures import Future

from devices.display import CustomerDisplay
from devices.drawer import DEFAULT_PULSE, DrawerMonitor, kick_for, realtime_kick_bytes
from devices.escpos_status import PrinterStatus, unreachable
from devices.events import DeviceEvent, Observer
from devices.printer_link import PrinterLink, PrinterLinkError, open_link
from devices.receipt import PrintJob
from devices.scale import Scale, ScaleReading
from devices.serial_port import SERIAL_ERRORS, open_serial
from devices.spool import JobStore, PrintSpool
from devices.urls import DeviceSettings
from devices.worker import DeviceWorker
from kernel.clock import Clock


class TillDevices:
    def __init__(
        self, settings: DeviceSettings, store: JobStore, *, clock: Clock | None = None, io_timeout: float = 3.0,
        drawer_pulse: tuple[int, int] = DEFAULT_PULSE, drawer_open_when_high: bool = False,
        drawer_open_limit: float = 30.0, currency: str = "EUR",
    ) -> None:
        self.settings, self.io_timeout = settings, io_timeout
        self.worker = DeviceWorker("till-devices")
        self.kick = kick_for(settings.drawer, drawer_pulse)
        serial_drawer = settings.drawer.kind == "serial" and settings.drawer.serial is not None
        self.spool = PrintSpool(store, self._connect if settings.printer.enabled else None, clock=clock,
                                kick_apart=self._kick_serial if serial_drawer else None)
        self.spool.add_observer(self.worker.observers.emit)
        self.display = CustomerDisplay(settings.display, currency=currency) if settings.display.kind != "none" else None
        self.scale = Scale(settings.scale) if settings.scale.kind != "none" else None
        self.drawer_monitor = None
        if settings.drawer.kind == "printer" and settings.printer.kind in ("tcp", "serial", "usb"):
            self.drawer_monitor = DrawerMonitor(self._read_status, self.worker.observers.emit,
                                                open_when_high=drawer_open_when_high, limit=drawer_open_limit)

    def add_observer(self, observer: Observer) -> None:
        self.worker.add_observer(observer)

    def start(self) -> TillDevices:
        self.worker.start()
        if self.settings.printer.enabled or self.spool.kick_apart is not None:
            self.spool.attach(self.worker)
        if self.drawer_monitor is not None:
            self.worker.every(self.drawer_monitor.poll, name="drawer sensor", first_delay=1.0)
        return self

    def stop(self) -> None:
        """Stop the worker (joined), then close the serial ports it used."""
        self.worker.stop()
        for device in (self.display, self.scale):
            if device is not None:
                device.close()

    # --- printing --------------------------------------------------------------------------
    def wake(self) -> None:
        """Jobs were stored by a committed action: send them now rather than at the next poll."""
        self.spool.wake()

    def print_job(self, job: PrintJob) -> int | None:
        """Store a job of no business action (a reprint, a report, a test page) in the spool (a short
        SQLite write) and let the worker send it.

        Without a printer nothing is stored (None): a printer set up months later must not print
        a backlog of old receipts; reprints by hand remain possible.
        """
        if not self.settings.printer.enabled:
            self.worker.observers.emit(DeviceEvent("printer", "not_configured", "No receipt printer is set up."))
            return None
        return self.spool.enqueue(job)

    def printer_status(self) -> Future[PrinterStatus]:
        return self.worker.submit(self._read_status)

    # --- drawer, display, scale ------------------------------------------------------------
    def open_drawer(self) -> Future[bool]:
        """Kick the drawer now (not through the spool: a drawer must not open minutes later)."""
        return self.worker.submit(self._kick_now)

    def weigh(self) -> Future[ScaleReading]:
        if self.scale is None:
            future: Future[ScaleReading] = Future()
            future.set_result(ScaleReading("disconnected"))
            return future
        return self.worker.submit(self.scale.read)

    def show(self, method: str, *args: str) -> Future[bool]:
        """display method by name: item(name, price), total(amount), change(paid, change), idle(message)."""
        if self.display is None:
            future: Future[bool] = Future()
            future.set_result(False)
            return future
        return self.worker.submit(getattr(self.display, method), *args)

    # --- worker thread ---------------------------------------------------------------------
    def _connect(self) -> PrinterLink:
        return open_link(self.settings.printer, timeout=self.io_timeout)

    def _read_status(self) -> PrinterStatus:
        try:
            link = self._connect()
        except PrinterLinkError as exc:
            return unreachable(str(exc))
        try:
            return link.query_status()
        finally:
            link.close()

    def _kick_serial(self, kick: bytes) -> bool:
        drawer = self.settings.drawer
        assert drawer.serial is not None
        try:
            port = open_serial(drawer.serial, timeout=self.io_timeout)
            try:
                port.write(kick)
                port.flush()
            finally:
                port.close()
            return True
        except SERIAL_ERRORS as exc:
            self.worker.observers.emit(DeviceEvent("drawer", "unreachable", f"The drawer did not open: {exc}."))
            return False

    def _kick_now(self) -> bool:
        drawer = self.settings.drawer
        if drawer.kind == "serial" and drawer.serial is not None:
            return self._kick_serial(self.kick)
        if drawer.kind != "printer":
            return False
        try:
            link = self._connect()
            try:
                status = link.query_status()
                # An offline printer (paper out) ignores ESC p; DLE DC4 is a real-time command it still runs.
                link.write(self.kick if status.ready else realtime_kick_bytes(drawer.pin))
                confirmed = link.query_status().reachable  # answered only after it received the pulse
            finally:
                link.close()
        except PrinterLinkError as exc:
            confirmed, detail = False, str(exc)
        else:
            detail = "the printer did not confirm the pulse"
        if not confirmed:
            self.worker.observers.emit(DeviceEvent("drawer", "unreachable", f"The drawer did not open: {detail}."))
        return confirmed
