"""Closing the business day: the Z report asks first, then offers the next business date.

One tap on "Z report" only asks: the panel names the day it closes, the shifts still open on it
and the parked sales, and closes nothing while a shift is open. After the Z it offers to open the
next business date on the till (`app.usecases.business_day`), so a Z in the evening does not
leave the till unable to open a shift until the calendar turns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from app.reports.daily import z_report
from app.usecases import business_day
from app.usecases.business_day import DayStatus
from ui import fmt
from ui.fmt import plural, tr
from ui.ops import Change, ChangeOp, QueryOp
from ui.widgets import button, named

if TYPE_CHECKING:
    from ui.shell import Shell


class DayClosePanel(QFrame):
    def __init__(self, shell: Shell, on_report: Callable[[str], None]) -> None:
        super().__init__()
        self.shell, self.on_report = shell, on_report
        self.setObjectName("dayPanel")
        self.status: DayStatus | None = None
        self.text = named(QLabel(), "dayText")
        self.text.setWordWrap(True)
        self.yes = button(tr("Close the day"), self.close_day, role="danger", name="zYes")
        self.no = button(tr("Cancel"), self.reset, name="zNo")
        self.next_btn = button(tr("Open next day"), self.open_next, role="primary", name="zNextDay")
        self.later = button(tr("Not now"), self.reset, name="zLater")
        row = QHBoxLayout()
        for b in (self.yes, self.no, self.next_btn, self.later):
            row.addWidget(b)
        col = QVBoxLayout(self)
        col.setContentsMargins(8, 8, 8, 8)
        col.addWidget(self.text)
        col.addLayout(row)
        self.hide()

    def ask(self) -> None:
        """The Z button: read what the day still holds, then ask."""
        QueryOp(self.shell, business_day.day_status, self._confirm).run()

    def _confirm(self, status: DayStatus) -> None:
        self.status = status
        if status.closed:
            self._offer_next(status)
            return
        day = fmt.date(status.business_date)
        text = tr("Close the business day {0} with the Z report? {1}, {2}.").format(
            day,
            plural(status.open_shifts, tr("{0} open shift"), tr("{0} open shifts")),
            plural(status.parked_carts, tr("{0} parked sale"), tr("{0} parked sales")),
        )
        if status.open_shifts:
            text += " " + tr("Close the open shift first.")
        self.text.setText(text)
        self.yes.setEnabled(status.open_shifts == 0)
        self._buttons(asking=True)
        self.show()

    def _buttons(self, *, asking: bool) -> None:
        for b in (self.yes, self.no):
            b.setVisible(asking)
        for b in (self.next_btn, self.later):
            b.setVisible(not asking)

    def close_day(self) -> None:
        if self.status is None or self.shell.user is None:
            return
        day, uid = self.status.business_date, self.shell.user.id
        ChangeOp(
            self.shell,
            lambda ctx, _ap: str(z_report(ctx, day, user_id=uid)["receipt_text"]),
            Change.SHIFT | Change.SALES,
        ).success(self._closed).run()

    def _closed(self, receipt_text: str) -> None:
        self.on_report(receipt_text)
        assert self.status is not None
        self._offer_next(self.status)

    def _offer_next(self, status: DayStatus) -> None:
        self.status = status
        self.text.setText(
            tr("The business day {0} is closed. Open the next business day, {1}, on this till?").format(
                fmt.date(status.business_date), fmt.date(status.next_date)
            )
        )
        self.next_btn.setText(tr("Open {0}").format(fmt.date(status.next_date)))
        self._buttons(asking=False)
        self.show()

    def open_next(self) -> None:
        if self.shell.user is None:
            return
        uid = self.shell.user.id
        ChangeOp(self.shell, lambda ctx, _ap: business_day.open_next_day(ctx, uid), Change.SHIFT).success(
            self._opened
        ).run()

    def _opened(self, status: DayStatus) -> None:
        self.reset()
        self.shell.info(
            tr("Business day {0} is open: shifts opened now belong to it.").format(fmt.date(status.business_date))
        )

    def reset(self) -> None:
        self.status = None
        self.hide()
