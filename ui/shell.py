"""The main window: the screens in a stack, the banner above, the status bar below.

It holds the session (who is logged in, which cart is open) and is the host of the ops
(`ui.ops`) screens run use cases and queries with: errors land in the banner and the cart stays
as it was; `changed` tells the screens what a write changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from app.domain.permissions import Approval
from app.domain.settings import TillSettings
from app.usecases import auth, shifts
from kernel.records import ShiftInfo, UserInfo
from ui import fmt
from ui.alerts import SupervisorAlerts
from ui.approval import ApprovalOverlay
from ui.devices import PROBLEMS, DeviceHub
from ui.fmt import tr
from ui.ops import Change, ChangeOp, QueryOp
from ui.statusbar import StatusBar
from ui.sync_bridge import SyncBridge
from ui.widgets import Banner, application
from ui.worker import DbWorker

if TYPE_CHECKING:
    from ui.scanner import WedgeScanner
    from ui.screens.sale import CartRef, SaleScreen


class Shell(QMainWindow):
    user_changed = Signal(object)
    shift_changed = Signal(object)
    sync_state = Signal(object)  # a SyncStatus, or None when the till is not connected to a central store
    changed = Signal(object)  # a ui.ops.Change: what a write that just succeeded changed
    cart_ref: CartRef  # the open cart, set by the sale screen
    scanner: WedgeScanner

    def __init__(self, worker: DbWorker, devices: DeviceHub, sync: SyncBridge | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Tillstone")
        self.worker, self.devices, self.sync = worker, devices, sync
        self.user: UserInfo | None = None
        self.shift: ShiftInfo | None = None
        self.cart_id: str | None = None
        self.locked_by: str | None = None
        self.printer_problem: str | None = None
        self.worker.error.connect(self.show_error)
        central = QWidget()
        col = QVBoxLayout(central)
        col.setContentsMargins(8, 6, 8, 0)
        col.setSpacing(4)
        self.banner = Banner()
        self.alerts = SupervisorAlerts(self)
        self.stack = QStackedWidget()
        self.status = StatusBar(self)
        messages = QHBoxLayout()  # the supervisor's alert line sits beside the banner: no extra row
        messages.setSpacing(6)
        messages.addWidget(self.banner, 3)
        messages.addWidget(self.alerts, 2)
        col.addLayout(messages)
        col.addWidget(self.stack, 1)
        col.addWidget(self.status)
        self.setCentralWidget(central)
        self.overlay = ApprovalOverlay(self, central)
        self.screens: dict[str, QWidget] = {}
        devices.printer_state.connect(self._printer_state)
        if sync is not None:
            sync.status_changed.connect(self.sync_state)
        self._build_screens()
        application().installEventFilter(self)  # typing in a field is an action too (user_acted)
        self.go("login")

    def _build_screens(self) -> None:
        from ui.screens.customers import CustomersScreen
        from ui.screens.login import LoginScreen
        from ui.screens.payment import PaymentScreen
        from ui.screens.report_view import ReportView
        from ui.screens.returns import ReturnsScreen
        from ui.screens.sale import SaleScreen
        from ui.screens.settings import SettingsScreen
        from ui.screens.shift import ShiftScreen

        for name, cls in (
            ("login", LoginScreen),
            ("sale", SaleScreen),
            ("payment", PaymentScreen),
            ("returns", ReturnsScreen),
            ("shift", ShiftScreen),
            ("customers", CustomersScreen),
            ("settings", SettingsScreen),
            ("report", ReportView),
        ):
            screen = cls(self)
            self.screens[name] = screen
            self.stack.addWidget(screen)

    def sale_screen(self) -> SaleScreen:
        from ui.screens.sale import SaleScreen

        screen = self.screens["sale"]
        assert isinstance(screen, SaleScreen)
        return screen

    # -- settings and formatting -------------------------------------------------------------
    @property
    def settings(self) -> TillSettings:
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

    # -- the ops' host (ui.ops.OpHost) ----------------------------------------------------------
    def ask_approval(self, what: str, retry: Callable[[Approval], None], reason: str) -> None:
        self.overlay.ask(what, retry, reason)

    def notify_changed(self, changes: Change) -> None:
        self.changed.emit(changes)

    def show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")
        self.focus_scan()

    def user_acted(self, source: QWidget) -> None:
        """A button was touched or a field typed in (ui.widgets.acted, the key filter): the message
        of the previous action goes, unless it is about the banner itself or sticky."""
        if not self.banner.isAncestorOf(source):
            self.banner.clear_transient()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QLineEdit) and self.isAncestorOf(watched):
            self.user_acted(watched)
        return False

    def info(self, message: str) -> None:
        self.banner.show_message(message, "info")

    # -- session ----------------------------------------------------------------------------------
    def logged_in(self, user: UserInfo) -> None:
        self.user = user
        self.locked_by = None
        self.user_changed.emit(user)
        QueryOp(self, shifts.current_shift, self._after_login).run()

    def _after_login(self, shift: ShiftInfo | None) -> None:
        self.set_shift(shift)
        if shift is not None and shift.status == "SUSPENDED" and self.user is not None:
            uid = self.user.id
            ChangeOp(self, lambda ctx, ap: shifts.resume_shift(ctx, uid, approval=ap), Change.SHIFT).success(
                self._after_login
            ).approvable(tr("Resume another cashier's shift")).run()
        elif shift is None:
            self.info(tr("No shift is open. Count the float to open one."))
            self.go("shift")
        else:
            self.go("sale")

    def set_shift(self, shift: ShiftInfo | None) -> None:
        self.shift = shift
        self.shift_changed.emit(shift)

    def reset_screens(self) -> None:
        """The next person finds every screen clean: what was typed, looked up or shown goes."""
        for screen in self.screens.values():
            reset = getattr(screen, "reset", None)
            if reset is not None:
                reset()

    def logout(self) -> None:
        self.reset_screens()
        if self.user is not None:
            uid = self.user.id
            ChangeOp(self, lambda ctx, _ap: auth.logout(ctx, uid), Change.SESSION).run()
        self.user = None
        self.user_changed.emit(None)
        self.go("login")

    def lock(self) -> None:
        """Suspend the shift (a break): the till waits on the login screen and nothing sells until
        the shift's cashier or a supervisor logs in; the open cart stays as it is."""
        if self.user is None:
            return
        uid, name = self.user.id, self.user.name

        def locked(shift: ShiftInfo | None) -> None:
            self.reset_screens()
            self.set_shift(shift)
            self.locked_by = name
            self.user = None
            self.user_changed.emit(None)
            self.go("login")

        if self.shift is None:
            locked(None)
        else:
            ChangeOp(self, lambda ctx, _ap: shifts.suspend_shift(ctx, uid, "break"), Change.SHIFT).success(locked).run()

    def _printer_state(self, state: str, message: str) -> None:
        """A printer problem stays in the banner (with Reprint) until the printer is back; sales go on."""
        if state in PROBLEMS:
            self.printer_problem = state
            self.banner.show_message(
                tr("{0} Sales go on; receipts print when it is back.").format(message),
                "warn",
                action=(tr("Reprint"), self.devices.reprint),
                sticky=True,
            )
        elif state in ("ready", "printing") and self.printer_problem:
            self.printer_problem = None
            self.banner.show_message(tr("The receipt printer is back."), "ok")
        elif state == "paper_near_end":
            self.info(message)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        if self.overlay.isVisible():
            self.overlay.cover()
