"""The status line: who is logged in, the shift, the business date, devices and sync."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from ui import fmt
from ui.devices import PROBLEMS
from ui.fmt import tr


class StatusBar(QFrame):
    def __init__(self, shell: Any) -> None:
        super().__init__()
        self.setObjectName("statusbar")
        self.user = QLabel(objectName="st_user")
        self.shift = QLabel(objectName="st_shift")
        self.date = QLabel(objectName="st_date")
        self.printer = QLabel(objectName="st_printer")
        self.sync = QLabel(objectName="st_sync")
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
        self.set_sync(None)

    def set_user(self, user: Any) -> None:
        self.user.setText(tr("User: {0}").format(user.name) if user else tr("Not logged in"))

    def set_shift(self, shift: Any) -> None:
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

    def set_sync(self, unsynced: int | None) -> None:
        self.sync.setText(tr("Sync: not set up") if unsynced is None else tr("Unsynced: {0}").format(unsynced))
