"""Shift: open with a counted float, cash in/out, no-sale, lock, blind close, X/Z preview.

The close is blind: the cashier counts the drawer by denomination and only learns the
expected figure after the count is committed, so the count cannot be bent to match.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.context import TillContext
from app.domain.permissions import Approval, allowed
from app.queries import people
from app.queries.people import TillUser
from app.reports.daily import x_report
from app.usecases import cash_count, discrepancies
from app.usecases import shifts as uc
from app.usecases.discrepancies import DiscrepancyInfo
from app.usecases.shifts import ShiftClosed
from kernel.records import ShiftInfo
from ui.fmt import tr
from ui.ops import Change, ChangeOp, QueryOp
from ui.screens.day_close import DayClosePanel
from ui.screens.export_dialog import ExportDialog
from ui.widgets import Keypad, application, button, heading, named

if TYPE_CHECKING:
    from ui.shell import Shell


class ShiftScreen(QWidget):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.counts: dict[int, QLineEdit] = {}
        self.open_discrepancies: list[str] = []
        denoms = cash_count.denominations(shell.worker.ctx)  # pure: the currency's built-in list
        count_grid = QGridLayout()
        count_grid.setSpacing(4)
        for i, value in enumerate(denoms):
            field = named(QLineEdit(), f"count_{value}")
            field.setPlaceholderText("0")
            field.setProperty("role", "count")  # compact: eight rows fit a 600 px tall till
            field.textChanged.connect(self._recount)
            self.counts[value] = field
            count_grid.addWidget(QLabel(shell.money(value)), i % 8, (i // 8) * 2)
            count_grid.addWidget(field, i % 8, (i // 8) * 2 + 1)
        self.count_total = named(QLabel(), "countTotal")
        self.amount = named(QLineEdit(), "shiftAmount")
        self.amount.setPlaceholderText(tr("Amount"))
        self.reason = named(QLineEdit(), "shiftReason")
        self.reason.setPlaceholderText(tr("Reason"))
        self.scan_field = self.counts[denoms[0]]
        self.keypad = Keypad(self.amount, decimal=True)
        application().focusChanged.connect(self._focus)
        self.state = named(QLabel(), "shiftState")
        self.state.setWordWrap(True)
        self.preview = named(QPlainTextEdit(), "reportPreview")
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # a 42-column printout
        self.preview.setMinimumHeight(0)  # it gives way first on a 600 px panel; the report view is full-size
        self.open_btn = button(tr("Open shift"), self.open_shift, key="F2", parent=self, role="primary", name="shOpen")
        self.close_btn = button(
            tr("Close shift (blind)"), self.close_shift, key="F9", parent=self, role="danger", name="shClose"
        )
        self.action_buttons = [
            button(tr("Cash in"), lambda: self.cash("in"), key="F3", parent=self, name="shCashIn"),
            button(tr("Cash out"), lambda: self.cash("out"), key="F4", parent=self, name="shCashOut"),
            button(tr("No sale"), self.no_sale, key="F5", parent=self, name="shNoSale"),
            button(tr("X report"), lambda: self.report("flash"), key="F6", parent=self, name="shX"),
            button(tr("Lock till"), shell.lock, key="F11", parent=self, name="shLock"),
            button(tr("Back to sale"), lambda: shell.go("sale"), key="Esc", parent=self, name="shBack"),
        ]
        self.x_full_btn = button(tr("Supervisor X"), self.reveal_x, parent=self, name="shXFull")
        self.z_btn = button(tr("Z report"), self.ask_z, key="F7", parent=self, name="shZ")
        self.day_panel = DayClosePanel(shell, self._report_ready)
        self.print_btn = button(tr("Print report"), self.print_report, key="F8", parent=self, name="shPrint")
        self.resolve_btn = button(tr("Resolve difference"), self.resolve, key="F10", parent=self, name="shResolve")
        self.settings_btn = button(
            tr("Settings"), lambda: shell.go("settings"), key="F12", parent=self, name="shSettings"
        )
        self.export_dialog = ExportDialog(shell)
        self.export_btn = button(tr("Export"), self.export_dialog.ask, parent=self, name="shExport")
        left = QVBoxLayout()
        left.addWidget(heading(tr("Count the drawer")))
        left.addLayout(count_grid)
        left.addWidget(self.count_total)
        left.addStretch(1)
        mid = QVBoxLayout()
        mid.addWidget(self.state)
        mid.addWidget(self.amount)
        mid.addWidget(self.reason)
        mid.addWidget(self.keypad, 1)
        right = QVBoxLayout()
        acts = QGridLayout()
        acts.setSpacing(6)
        every = [
            self.open_btn,
            self.close_btn,
            *self.action_buttons,
            self.z_btn,
            self.print_btn,
            self.resolve_btn,
            self.settings_btn,
            self.export_btn,
        ]
        cols = 3  # 13 keys in five rows: the screen fits a 600 px panel with the Z question open
        for c in range(cols):
            acts.setColumnStretch(c, 1)
            acts.setColumnMinimumWidth(c, 0)
        for i, b in enumerate(every):
            b.setSizePolicy(QSizePolicy.Policy.Ignored, b.sizePolicy().verticalPolicy())  # equal columns
            acts.addWidget(b, i // cols, i % cols)
        # one cell: a cashier sees "Supervisor X" where a supervisor sees "Z report"
        acts.addWidget(self.x_full_btn, every.index(self.z_btn) // cols, every.index(self.z_btn) % cols)
        right.addLayout(acts)
        right.addWidget(self.day_panel)
        right.addWidget(self.preview, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 4)
        row.addLayout(mid, 3)
        row.addLayout(right, 4)
        self._recount()

    def _focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, QLineEdit) and self.isAncestorOf(new):
            self.keypad.target = new

    def count_map(self) -> dict[int, int]:
        """Pieces per denomination as typed (the core checks them and records them)."""
        return {value: int(f.text()) for value, f in self.counts.items() if f.text().strip().isdigit()}

    def counted(self) -> int:
        return sum(value * pieces for value, pieces in self.count_map().items())

    def _recount(self) -> None:
        self.count_total.setText(tr("Counted {0}").format(self.shell.money(self.counted())))

    def clear_count(self) -> None:
        for field in self.counts.values():
            field.clear()

    def entered(self) -> None:
        QueryOp(self.shell, uc.current_shift, self._show).run()

    def reset(self) -> None:
        """Logout: nothing typed or shown here waits for the next person (a Z preview included);
        the differences still to resolve stay, they are the till's, not the person's."""
        self.clear_count()
        self.amount.clear()
        self.reason.clear()
        self.preview.clear()
        self.day_panel.reset()

    def user_id(self) -> str:
        assert self.shell.user is not None
        return self.shell.user.id

    def _show(self, shift: ShiftInfo | None) -> None:
        self.shell.set_shift(shift)
        is_open = shift is not None
        self.open_btn.setEnabled(not is_open)
        self.close_btn.setEnabled(is_open)
        for b in self.action_buttons[:3]:
            b.setEnabled(is_open)
        self.action_buttons[5].setEnabled(is_open)
        self.resolve_btn.setVisible(bool(self.open_discrepancies))
        user = self.shell.user
        self.settings_btn.setVisible(user is not None and user.role == "admin")
        self.export_btn.setVisible(user is not None and allowed(user.role, "export"))
        self.z_btn.setVisible(user is not None and allowed(user.role, "z_report"))
        self.x_full_btn.setVisible(user is not None and not allowed(user.role, "expected_cash"))
        if shift is not None:
            self.state.setText(
                tr("Shift {0} open since {1}, float {2}.").format(
                    shift.open_counter, shift.opened_at[11:16], self.shell.money(shift.opening_float)
                )
            )
        else:
            self.state.setText(tr("No shift is open. Count the float, then Open shift."))

    def open_shift(self) -> None:
        uid, counts = self.user_id(), self.count_map()
        ChangeOp(self.shell, lambda ctx, _ap: uc.open_shift(ctx, uid, counts=counts), Change.SHIFT).success(
            self._opened
        ).run()

    def _opened(self, shift: ShiftInfo) -> None:
        self.clear_count()
        self.shell.info(tr("Shift open with a float of {0}.").format(self.shell.money(shift.opening_float)))
        self._show(shift)
        self.shell.go("sale")

    def cash(self, kind: str) -> None:
        amount = self.shell.parse_money(self.amount.text())
        reason = self.reason.text().strip()
        if not amount:
            self.shell.show_error(tr("Type the amount first."))
            return
        uid = self.user_id()

        def move(ctx: TillContext, ap: Approval | None) -> str:
            if kind == "in":
                return uc.cash_in(ctx, uid, amount, reason)
            return uc.cash_out(ctx, uid, amount, reason, approval=ap)

        ChangeOp(self.shell, move, Change.SHIFT).success(lambda _: self._moved(kind, amount)).approvable(
            tr("Take cash out"), reason
        ).run()

    def _moved(self, kind: str, amount: int) -> None:
        self.amount.clear()
        self.reason.clear()
        self.shell.devices.spooled()  # the slip and the drawer kick were stored with the movement
        word = tr("Cash in") if kind == "in" else tr("Cash out")
        self.shell.info(tr("{0}: {1} recorded.").format(word, self.shell.money(amount)))

    def no_sale(self) -> None:
        uid, reason = self.user_id(), self.reason.text().strip() or tr("change for customer")

        def opened(_audit_id: str) -> None:
            self.reason.clear()
            self.shell.devices.open_drawer()
            self.shell.info(tr("Drawer opened (no sale)."))

        ChangeOp(self.shell, lambda ctx, ap: uc.no_sale(ctx, uid, reason, approval=ap), Change.SHIFT).success(
            opened
        ).approvable(tr("Open the drawer without a sale"), reason).run()

    def close_shift(self) -> None:
        uid, counts = self.user_id(), self.count_map()
        note = self.reason.text().strip() or None
        ChangeOp(
            self.shell, lambda ctx, ap: uc.close_shift(ctx, uid, None, note, approval=ap, counts=counts), Change.SHIFT
        ).success(self._closed).approvable(tr("Close another cashier's shift")).run()

    def _closed(self, result: ShiftClosed) -> None:
        self.shell.devices.spooled()  # the close slip
        self.clear_count()
        self.amount.clear()
        self.reason.clear()  # the note went with the close
        self.shell.set_shift(None)
        self.open_discrepancies = list(result["discrepancies"])
        self._show(None)
        money, diff = self.shell.money, result["difference"]
        text = tr("Shift closed. Expected {0}, counted {1}, difference {2}.").format(
            money(result["expected"]), money(result["counted"]), money(diff)
        )
        if self.open_discrepancies:
            text += " " + tr("A supervisor must resolve the difference (Resolve difference).")
        self.state.setText(text)
        self.shell.banner.show_message(text, "warn" if diff else "ok")

    def report(self, scope: str = "flash") -> None:
        """The X report (the till's day when no shift is open); "daily" asks before the Z."""
        if scope != "flash":
            self.ask_z()
            return
        day, uid = self._day(), self.user_id()
        # blind for a cashier: the core leaves the expected cash out
        QueryOp(self.shell, lambda ctx: str(x_report(ctx, day, user_id=uid)["receipt_text"]), self._x_ready).run()

    def _day(self) -> str | None:
        return self.shell.shift.business_date if self.shell.shift else None

    def ask_z(self) -> None:
        self.day_panel.ask()

    def reveal_x(self) -> None:
        """The full X (expected cash) during a cashier's session: a supervisor approves it."""
        day, uid = self._day(), self.user_id()
        ChangeOp(
            self.shell,
            lambda ctx, ap: str(x_report(ctx, day, user_id=uid, reveal=True, approval=ap)["receipt_text"]),
            Change.SESSION,
        ).success(self._x_ready).approvable(tr("Show the expected cash")).run()

    def _report_ready(self, receipt_text: str) -> None:
        self.preview.setPlainText(receipt_text)

    def _x_ready(self, receipt_text: str) -> None:
        """The X report opens in the full-window view to be read (the small preview keeps a copy)."""
        self.preview.setPlainText(receipt_text)
        view = self.shell.screens["report"]
        show = getattr(view, "show_report", None)
        if show is not None:
            show(receipt_text)

    def print_report(self) -> None:
        text = self.preview.toPlainText()
        if text:
            lines = text.splitlines()
            self.shell.devices.print_report(lines[1:], title=lines[0].strip())

    def resolve(self) -> None:
        if not self.open_discrepancies:
            return
        ident, uid = self.open_discrepancies[0], self.user_id()
        note = self.reason.text().strip()
        ChangeOp(
            self.shell,
            lambda ctx, ap: discrepancies.resolve(ctx, uid, ident, note or (ap.reason if ap else ""), approval=ap),
            Change.SHIFT,
        ).success(self._resolved).approvable(tr("Resolve the cash difference"), note).run()

    def _resolved(self, info: DiscrepancyInfo) -> None:
        self.reason.clear()
        self.open_discrepancies.remove(info.id)
        self.resolve_btn.setVisible(bool(self.open_discrepancies))

        def said(users: list[TillUser]) -> None:
            name = next((u.name for u in users if u.id == info.resolved_by), info.resolved_by)
            self.shell.banner.show_message(tr("Difference resolved by {0}.").format(name), "ok")

        QueryOp(self.shell, people.users, said).run()
