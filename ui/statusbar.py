"""The status line: who is logged in, the shift, the business date, devices and sync."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QLocale, QTime
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from app.sync.worker import SyncStatus
from kernel.records import ShiftInfo, UserInfo
from ui import fmt
from ui.devices import PROBLEMS
from ui.fmt import tr
from ui.widgets import FitLabel, named

if TYPE_CHECKING:
    from ui.shell import Shell


class StatusBar(QFrame):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.setObjectName("statusbar")
        self.shell = shell
        self.user = named(QLabel(), "st_user")
        self.shift = named(QLabel(), "st_shift")
        self.date = named(QLabel(), "st_date")
        self.printer = named(QLabel(), "st_printer")
        self.sync = named(FitLabel(), "st_sync")  # a long line is cut ("…") rather than pushing the window wider
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        for w in (self.user, self.shift, self.date, self.printer):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.sync)
        shell.user_changed.connect(self.set_user)
        shell.shift_changed.connect(self.set_shift)
        shell.sync_state.connect(self.set_sync)
        shell.devices.printer_state.connect(self.set_printer)
        self.set_user(None)
        self.set_shift(None)
        self.set_printer(shell.devices.state, shell.devices.message)
        if shell.sync is None:
            self.set_sync(None)  # no bridge: nothing will sync; with one, its first status follows at start

    def set_user(self, user: UserInfo | None) -> None:
        self.user.setText(tr("User: {0}").format(user.name) if user else tr("Not logged in"))

    def set_shift(self, shift: ShiftInfo | None) -> None:
        if shift is None:
            self.shift.setText(tr("No shift open"))
            self.date.setText("")
        else:
            state = tr(" (suspended)") if shift.status == "SUSPENDED" else ""
            self.shift.setText(tr("Shift {0}{1}").format(shift.open_counter, state))
            self.date.setText(tr("Business date {0}").format(fmt.date(shift.business_date)))

    def set_printer(self, state: str, message: str = "") -> None:
        words = {"ready": tr("ready"), "printing": tr("printing"), "paper_near_end": tr("paper low"),
                 "paper_out": tr("out of paper"), "cover_open": tr("cover open"), "offline": tr("offline"),
                 "unreachable": tr("not answering"), "error": tr("error"), "not_configured": tr("not set up")}
        self.printer.setText(tr("Printer: {0}").format(words.get(state, state)))
        self.printer.setToolTip(message)
        self.printer.setProperty("kind", "error" if state in PROBLEMS else "")
        self.printer.style().polish(self.printer)

    def set_sync(self, state: SyncStatus | None) -> None:
        """`state` is a SyncStatus, or None when the till is not connected to a central store.
        What the cashier needs: did it sync, when, and how much waits; an error says so in red
        with the error itself as the tooltip."""
        kind = ""
        if state is None:
            text, tip = tr("Sync: not set up"), tr("This till is not connected to a central store.")
        else:
            waiting = QLocale().toString(int(state.unsynced))
            tip = state.last_error or ""
            if state.state == "error":
                text, kind = tr("Sync error – {0} waiting").format(waiting), "error"
            elif state.state == "syncing":
                text = tr("Syncing… {0} waiting").format(waiting)
            elif state.last_success:
                text = tr("Synced {0} · {1} waiting").format(self._when(state.last_success), waiting)
            else:
                text = tr("Not synced yet · {0} waiting").format(waiting)
        self.sync.setText(text)
        self.sync.setToolTip(tip)
        self.sync.setProperty("kind", kind)
        self.sync.style().polish(self.sync)

    def _when(self, iso: str) -> str:
        """The last success in the till's time zone: the time if today, else the date."""
        try:
            zone = ZoneInfo(self.shell.settings.timezone)
            at = datetime.fromisoformat(iso).astimezone(zone)
            today = self.shell.worker.ctx.now().astimezone(zone).date()
        except (ValueError, KeyError, AttributeError):
            return iso
        if at.date() != today:  # the day is what matters then, and it keeps the line short
            return fmt.date(at.date().isoformat())
        return QLocale().toString(QTime(at.hour, at.minute), QLocale.FormatType.ShortFormat)
