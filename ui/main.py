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

        return reload_settings(ctx)
    if demo:
        ctx = open_till(path, clock)
        with ctx.uow(read_only=True) as uow:
            empty = uow.catalogue.count() == 0
        if empty:
            setup.load_demo(ctx)
        return ctx
    return open_till(path, clock)


def build(ctx: Any, printer: Any = None, scale: Any = None) -> Any:
    """The window with its worker, devices and scanner; the caller shows it and calls `shutdown`."""
    from PySide6.QtWidgets import QApplication

    from ui import i18n, theme
    from ui.devices import DeviceHub, FilePrinter
    from ui.scanner import WedgeScanner
    from ui.shell import Shell
    from ui.worker import DbWorker

    app = QApplication.instance() or QApplication(sys.argv)
    theme.apply(app)
    i18n.install(app, ctx.settings.language)
    worker = DbWorker(ctx)
    devices = DeviceHub(printer or FilePrinter(Path(ctx.data_dir) / "printer"), scale)
    shell = Shell(worker, devices)

    def scanned(code: str) -> None:
        screen = shell.stack.currentWidget()
        if hasattr(screen, "scan") and shell.user is not None:
            screen.scan(code)

    shell.scanner = WedgeScanner(shell.scan_field, scanned, shell.overlay.isVisible)
    app.installEventFilter(shell.scanner)
    return shell


def shutdown(shell: Any, release: Any = None) -> None:
    """Stop the threads before Qt tears the objects down (a running QThread must not be destroyed).
    `release` unblocks a hung printer backend so its thread can end."""
    from PySide6.QtWidgets import QApplication

    QApplication.instance().removeEventFilter(shell.scanner)
    shell.worker.stop()
    shell.devices.stop(release)


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
