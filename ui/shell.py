"""The main window: the screens in a stack, the banner above, the status bar below.

It holds the session (who is logged in, which cart is open) and the one way screens run
use cases: `run` and `run_approvable` hand them to the database worker; errors land in the
banner and the cart stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from app.domain.permissions import Approval
from app.usecases import shifts
from ui import fmt
from ui.approval import ApprovalOverlay
from ui.devices import PROBLEMS, DeviceHub
from ui.fmt import tr
from ui.statusbar import StatusBar
from ui.sync_bridge import SyncBridge
from ui.widgets import Banner
from ui.worker import DbWorker, Failure


class Shell(QMainWindow):
    user_changed = Signal(object)
    shift_changed = Signal(object)
    sync_state = Signal(object)  # a SyncStatus, or None when the till is not connected to a central store

    def __init__(self, worker: DbWorker, devices: DeviceHub, sync: SyncBridge | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Tillstone")
        self.worker, self.devices, self.sync = worker, devices, sync
        self.user: Any = None
        self.shift: Any = None
        self.cart_id: str | None = None
        self.locked_by: str | None = None
        self.printer_problem: str | None = None
        self.worker.error.connect(self.show_error)
        central = QWidget()
        col = QVBoxLayout(central)
        col.setContentsMargins(8, 8, 8, 0)
        col.setSpacing(6)
        self.banner = Banner()
        self.stack = QStackedWidget()
        self.status = StatusBar(self)
        col.addWidget(self.banner)
        col.addWidget(self.stack, 1)
        col.addWidget(self.status)
        self.setCentralWidget(central)
        self.overlay = ApprovalOverlay(self, central)
        self.screens: dict[str, QWidget] = {}
        devices.printer_state.connect(self._printer_state)
        if sync is not None:
            sync.status_changed.connect(self.sync_state)
        self._build_screens()
        self.go("login")

    def _build_screens(self) -> None:
        from ui.screens.customers import CustomersScreen
        from ui.screens.login import LoginScreen
        from ui.screens.payment import PaymentScreen
        from ui.screens.returns import ReturnsScreen
        from ui.screens.sale import SaleScreen
        from ui.screens.settings import SettingsScreen
        from ui.screens.shift import ShiftScreen

        for name, cls in (("login", LoginScreen), ("sale", SaleScreen), ("payment", PaymentScreen),
                          ("returns", ReturnsScreen), ("shift", ShiftScreen), ("customers", CustomersScreen),
                          ("settings", SettingsScreen)):
            screen = cls(self)
            self.screens[name] = screen
            self.stack.addWidget(screen)

    # -- settings and formatting -------------------------------------------------------------
    @property
    def settings(self) -> Any:
        return self.worker.ctx.settings

    def money(self, minor: int) -> str:
        return fmt.money(minor, self.settings.exponent, self.settings.currency)

    def parse_money(self, text: str) -> int | None:
        return fmt.parse_amount(text, self.settings.exponent)

    # -- navigation -----------------------------------------------------------------------------
    def go(self, name: str) -> None:
        screen = self.screens[name]
        self.stack.setCurrentWidget(screen)
        if hasattr(screen, "entered"):
            screen.entered()
        self.focus_scan()

    def current(self) -> str:
        return next(k for k, v in self.screens.items() if v is self.stack.currentWidget())

    def scan_field(self) -> QLineEdit | None:
        return getattr(self.stack.currentWidget(), "scan_field", None)

    def focus_scan(self) -> None:
        field = self.scan_field()
        if field is not None and not self.overlay.isVisible():
            field.setFocus()

    # -- running use cases ------------------------------------------------------------------------
    def run(self, fn: Callable[[Any], Any], on_ok: Callable[[Any], None] | None = None,
            on_err: Callable[[str], None] | None = None, label: str = "") -> None:
        self.worker.run(fn, on_ok, on_err or self.show_error, label)

    def run_approvable(self, make: Callable[[Approval | None], Callable[[Any], Any]],
                       on_ok: Callable[[Any], None] | None = None, what: str = "", reason: str = "") -> None:
        """Try the action as the cashier; if the core asks for a supervisor, show the overlay
        and retry exactly once with the Approval typed there."""

        def failed(message: str) -> None:
            if isinstance(message, Failure) and message.needs_approval:
                self.overlay.ask(message if not what else f"{what}\n{message}",
                                 lambda approval: self.run(make(approval), on_ok), reason)
            else:
                self.show_error(message)

        self.run(make(None), on_ok, failed)

    def show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")
        self.focus_scan()

    def info(self, message: str) -> None:
        self.banner.show_message(message, "info")

    # -- session ----------------------------------------------------------------------------------
    def logged_in(self, user: Any) -> None:
        self.user = user
        self.locked_by = None
        self.user_changed.emit(user)
        self.run(shifts.current_shift, self._after_login)

    def _after_login(self, shift: Any) -> None:
        self.set_shift(shift)
        if shift is not None and shift.status == "SUSPENDED":
            uid = self.user.id

            def make(approval: Any) -> Any:
                return lambda ctx: shifts.resume_shift(ctx, uid, approval=approval)

            self.run_approvable(make, self._after_login, tr("Resume another cashier's shift"))
        elif shift is None:
            self.info(tr("No shift is open. Count the float to open one."))
            self.go("shift")
        else:
            self.go("sale")

    def set_shift(self, shift: Any) -> None:
        self.shift = shift
        self.shift_changed.emit(shift)

    def logout(self) -> None:
        from app.usecases import auth

        if self.user is not None:
            uid = self.user.id
            self.run(lambda ctx: auth.logout(ctx, uid))
        self.user = None
        self.user_changed.emit(None)
        self.go("login")

    def lock(self) -> None:
        """Suspend the shift (a break): the till waits on the login screen and nothing sells until
        the shift's cashier or a supervisor logs in; the open cart stays as it is."""
        if self.user is None:
            return
        uid, name = self.user.id, self.user.name

        def locked(shift: Any) -> None:
            self.set_shift(shift)
            self.locked_by = name
            self.user = None
            self.user_changed.emit(None)
            self.go("login")

        if self.shift is None:
            locked(None)
        else:
            self.run(lambda ctx: shifts.suspend_shift(ctx, uid, "break"), locked)

    def _printer_state(self, state: str, message: str) -> None:
        """A printer problem stays in the banner (with Reprint) until the printer is back; sales go on."""
        if state in PROBLEMS:
            self.printer_problem = state
            self.banner.show_message(tr("{0} Sales go on; receipts print when it is back.").format(message), "warn",
                                     action=(tr("Reprint"), self.devices.reprint))
        elif state in ("ready", "printing") and self.printer_problem:
            self.printer_problem = None
            self.banner.show_message(tr("The receipt printer is back."), "ok")
        elif state == "paper_near_end":
            self.info(message)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        if self.overlay.isVisible():
            self.overlay.setGeometry(self.overlay.parentWidget().rect())
