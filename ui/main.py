"""Entry point of the touchscreen till: `tillstone` and `tillstone --demo` land here."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from app.bootstrap import init_till, is_initialised, open_till, resolve_data_dir


def prepare(data_dir: str | None, demo: bool, clock: Any = None) -> Any:
    """Open the till; with demo, set up S001/T01 with the demo data on first run."""
    from app.usecases import setup

    path = resolve_data_dir(data_dir)
    if demo and not is_initialised(path):
        ctx = init_till(path, store="S001", till="T01", clock=clock)
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


def demo_printer(ctx: Any) -> Any:
    """A demo till without a printer prints to the file DIR/printer/receipts.escpos (ESC/POS bytes,
    appended; `devices.escpos_decode` reads it back). The change is audited like any setting."""
    from app.usecases import settings
    from db.spool_repo import read_device_settings

    target = Path(ctx.data_dir) / DEMO_PRINTER
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch()  # the file printer link writes to an existing file only (like a device node)
    with ctx.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        current = read_device_settings(conn).get("device.printer", "none")
    if current not in ("", "none"):
        return ctx
    with ctx.uow(read_only=True) as uow:
        admin = next((u.id for u in uow.people.users() if u.role == "admin"), None)
    if admin is None:
        return ctx
    return settings.update(ctx, admin, {"device.printer": f"escpos+file://{target}"})


def build(ctx: Any, io_timeout: float = 3.0) -> Any:
    """The window with its worker, devices (from the till's `device.*` settings) and scanner; the
    device worker is running when this returns; the caller shows the window and calls `shutdown`."""
    from PySide6.QtWidgets import QApplication

    from ui import i18n, theme
    from ui.devices import DeviceHub
    from ui.scanner import WedgeScanner
    from ui.shell import Shell
    from ui.worker import DbWorker

    app = QApplication.instance() or QApplication(sys.argv)
    theme.apply(app)
    i18n.install(app, ctx.settings.language)
    worker = DbWorker(ctx)
    devices = DeviceHub.for_till(worker, io_timeout=io_timeout)
    shell = Shell(worker, devices)
    devices.start()

    def scanned(code: str) -> None:
        screen = shell.stack.currentWidget()
        if hasattr(screen, "scan") and shell.user is not None:
            screen.scan(code)

    shell.scanner = WedgeScanner(shell.scan_field, scanned, shell.overlay.isVisible)
    app.installEventFilter(shell.scanner)
    return shell


def shutdown(shell: Any) -> None:
    """Stop the threads before Qt tears the objects down (a running QThread must not be destroyed);
    the device worker is joined (at most one printer I/O timeout)."""
    from PySide6.QtWidgets import QApplication

    QApplication.instance().removeEventFilter(shell.scanner)
    shell.worker.stop()
    shell.devices.stop()


def run(data_dir: str | None, demo: bool) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.domain.errors import DomainError

    app = QApplication.instance() or QApplication(sys.argv)
    try:
        ctx = prepare(data_dir, demo)
    except DomainError as exc:
        QMessageBox.critical(None, "Tillstone", str(exc))
        return 2
    shell = build(ctx)
    if os.environ.get("TILLSTONE_FULLSCREEN"):
        shell.showFullScreen()
    else:
        shell.resize(1024, 768)
        shell.show()
    code = app.exec()
    shutdown(shell)
    return code
