"""Entry point of the touchscreen till: `tillstone` and `tillstone --demo` land here."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from app.bootstrap import forbid_database_on, init_till, is_initialised, machine_timezone, open_till, resolve_data_dir

if TYPE_CHECKING:
    from app.context import TillContext
    from app.sync.worker import Backoff
    from kernel.clock import Clock
    from ui.shell import Shell


def prepare(data_dir: str | None, demo: bool, clock: Clock | None = None) -> TillContext:
    """Open the till; with demo, set up S001/T01 with the demo data on first run."""
    from app.usecases import setup

    path = resolve_data_dir(data_dir)
    if demo and not is_initialised(path):
        ctx = init_till(path, store="S001", till="T01", clock=clock, timezone=machine_timezone())
        setup.load_demo(ctx)
        from app.bootstrap import reload_settings

        return demo_printer(reload_settings(ctx))
    if demo:
        ctx = open_till(path, clock)
        with ctx.uow(read_only=True) as uow:
            empty = uow.catalogue.count() == 0
        if empty:
            setup.load_demo(ctx)
        return demo_printer(ctx)
    return open_till(path, clock)


DEMO_PRINTER = "printer/receipts.escpos"


def demo_printer(ctx: TillContext) -> TillContext:
    """A demo till without a printer prints to the file DIR/printer/receipts.escpos (ESC/POS bytes,
    appended; `devices.escpos_decode` reads it back). The change is audited like any setting."""
    from app.usecases import settings

    target = Path(ctx.data_dir) / DEMO_PRINTER
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch()  # the file printer link writes to an existing file only (like a device node)
    with ctx.uow(read_only=True) as uow:
        current = uow.settings.devices().get("device.printer", "none")
    if current not in ("", "none"):
        return ctx
    with ctx.uow(read_only=True) as uow:
        admin = next((u.id for u in uow.people.users() if u.role == "admin"), None)
    if admin is None:
        return ctx
    return settings.update(ctx, admin, {"device.printer": f"escpos+file://{target}"})


SYNC_INTERVAL_ENV = "TILLSTONE_SYNC_INTERVAL"


def sync_interval(value: str | None) -> float:
    """Seconds between sync rounds from TILLSTONE_SYNC_INTERVAL (default 30); a bad value is refused
    with a sentence saying what is allowed."""
    from ui.sync_bridge import DEFAULT_INTERVAL_S

    if value is None or not value.strip():
        return DEFAULT_INTERVAL_S
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 1 <= seconds <= 86_400:  # also refuses nan and inf
        raise ValueError(f"{SYNC_INTERVAL_ENV} must be a number of seconds from 1 to 86400, not '{value[:20]}'; "
                         f"syncing every {DEFAULT_INTERVAL_S:g} s")
    return seconds


def build(ctx: TillContext, io_timeout: float = 3.0, *, sync_interval_s: float | None = None,
          sync_backoff: Backoff | None = None) -> Shell:
    """The window with its worker, devices (from the till's `device.*` settings), sync and scanner;
    the device and sync threads are running when this returns; the caller shows the window and
    calls `shutdown`. Sync runs only on a till connected with `tillstone central connect`.
    From here until `shutdown`, this thread is the GUI thread: with TILLSTONE_THREAD_CHECKS=1 any
    SQL issued on it raises (everything goes through the database worker)."""
    from PySide6.QtWidgets import QApplication

    from ui import i18n, theme
    from ui.devices import DeviceHub
    from ui.scanner import WedgeScanner
    from ui.screens.sale import SaleScreen
    from ui.shell import Shell
    from ui.stock_release import start_release_timer
    from ui.sync_bridge import DEFAULT_INTERVAL_S, SyncBridge
    from ui.worker import DbWorker

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication), "the window needs a QApplication, not a console QCoreApplication"
    forbid_database_on(threading.current_thread())
    theme.apply(app)
    i18n.install(app, ctx.settings.language)
    worker = DbWorker(ctx)
    devices = DeviceHub.for_till(worker, io_timeout=io_timeout)
    sync = SyncBridge(ctx, interval_s=sync_interval_s or DEFAULT_INTERVAL_S, backoff=sync_backoff)
    shell = Shell(worker, devices, sync)
    devices.start()
    sync.start()
    start_release_timer(shell, worker)

    def scanned(code: str) -> None:
        screen = shell.stack.currentWidget()
        if isinstance(screen, SaleScreen) and shell.user is not None:  # the only screen that takes a scan
            screen.scan(code)

    shell.scanner = WedgeScanner(shell.scan_field, scanned, shell.overlay.isVisible)
    app.installEventFilter(shell.scanner)
    return shell


def shutdown(shell: Shell) -> None:
    """Stop the threads before Qt tears the objects down (a running QThread must not be destroyed);
    the device worker is joined (at most one printer I/O timeout), the sync thread too (its round
    is cancelled; at most the bridge's join timeout)."""
    from PySide6.QtCore import QTimer

    from ui.stock_release import TIMER_NAME
    from ui.widgets import application

    application().removeEventFilter(shell.scanner)
    release_timer = shell.findChild(QTimer, TIMER_NAME)
    if release_timer is not None:  # no new job for a worker about to stop
        release_timer.stop()
    if shell.sync is not None:
        shell.sync.stop()
    shell.worker.stop()
    shell.devices.stop()
    forbid_database_on(None)


def run(data_dir: str | None, demo: bool) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from kernel.errors import DatabaseDamaged, DomainError

    app = QApplication.instance() or QApplication(sys.argv)
    try:
        ctx = prepare(data_dir, demo)
    except (DomainError, DatabaseDamaged) as exc:  # a corrupt file: the sentence, not a crash
        QMessageBox.critical(None, "Tillstone", str(exc))
        return 2
    try:
        interval, problem = sync_interval(os.environ.get(SYNC_INTERVAL_ENV)), ""
    except ValueError as exc:
        interval, problem = None, str(exc)
    shell = build(ctx, sync_interval_s=interval)
    if problem:
        shell.show_error(problem)
    if os.environ.get("TILLSTONE_FULLSCREEN"):
        shell.showFullScreen()
    else:
        shell.resize(1024, 768)
        shell.show()
    code = app.exec()
    shutdown(shell)
    return code
