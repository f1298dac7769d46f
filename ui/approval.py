"""The supervisor overlay: one PIN approves exactly one action, then is forgotten.

It sits over the screen (not a modal dialog) and is the only thing allowed to pause
scanning. The PIN travels inside a one-shot `Approval` to the single use-case call that
needs it; nothing stays unlocked afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.permissions import Approval
from app.queries import people
from app.queries.people import TillUser
from ui.fmt import tr
from ui.ops import QueryOp
from ui.widgets import Keypad, button, buttons_in, clear_layout, heading, named

if TYPE_CHECKING:
    from ui.shell import Shell


class ApprovalOverlay(QFrame):
    def __init__(self, shell: Shell, parent: QWidget) -> None:
        super().__init__(parent)
        self.shell = shell
        self.setObjectName("overlay")
        self._callback: Callable[[Approval], None] | None = None
        self.approver_id = ""
        panel = QFrame(self)
        panel.setObjectName("overlayPanel")
        panel.setMaximumWidth(640)
        self.title = heading(tr("Supervisor approval"))
        self.what = QLabel()
        self.what.setWordWrap(True)
        self.approvers = QHBoxLayout()
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(tr("Supervisor PIN"))
        self.pin.setObjectName("approvalPin")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("Reason"))
        self.reason.setObjectName("approvalReason")
        self.hint = named(QLabel(), "approvalHint")
        self.hint.setProperty("kind", "error")
        keypad = Keypad(self.pin, decimal=False)
        self.pin.returnPressed.connect(self.approve)
        # Approve is the big primary key (the theme makes it taller); Cancel is smaller, at the other end
        approve = button(tr("Approve"), self.approve, role="primary", name="approvalApprove")
        cancel = button(tr("Cancel"), self.cancel, key="Esc", parent=self, role="danger", name="approvalCancel")
        actions = QHBoxLayout()
        actions.setSpacing(24)  # a gap between the two, so a thumb does not hit both
        actions.addWidget(cancel, 1)
        actions.addWidget(approve, 2)
        col = QVBoxLayout(panel)
        for w in (self.title, self.what):
            col.addWidget(w)
        col.addLayout(self.approvers)
        col.addWidget(self.pin)
        col.addWidget(self.reason)
        col.addWidget(self.hint)
        col.addWidget(keypad, 1)
        col.addLayout(actions)
        outer = QVBoxLayout(self)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignCenter)
        self.hide()

    def ask(self, what: str, callback: Callable[[Approval], None], reason: str = "") -> None:
        """Show the overlay for one action; `callback` gets the Approval once, if given."""
        self._callback = callback
        self.approver_id = ""  # never preselected: the supervisor touches their own name
        for b in buttons_in(self.approvers):  # the last ask's names stay until the fresh list arrives
            b.setChecked(False)
        self.hint.setText("")
        self.what.setText(what)
        self.pin.clear()
        self.reason.setText(reason)
        self.cover()
        self.show()
        self.raise_()
        self.pin.setFocus()
        QueryOp(self.shell, people.approvers, self._fill).run()

    def cover(self) -> None:
        """Lie over the whole window area it was given as parent (again after a resize)."""
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())

    def _fill(self, users: list[TillUser]) -> None:
        clear_layout(self.approvers)
        for user in users:
            b = button(user.name, partial(self.choose, user.id), role="choice", name=f"approver_{user.id}")
            b.setCheckable(True)
            self.approvers.addWidget(b)

    def choose(self, user_id: str) -> None:
        self.approver_id = user_id
        self.hint.setText("")
        for b in buttons_in(self.approvers):
            b.setChecked(b.objectName() == f"approver_{user_id}")

    def approve(self) -> None:
        if not self.isVisible() or self._callback is None:
            return
        if not self.approver_id:
            self.hint.setText(tr("Choose the supervisor who approves."))  # on the overlay, where the eyes are
            return
        approval = Approval(self.approver_id, self.pin.text(), self.reason.text().strip() or tr("approved at till"))
        callback, self._callback = self._callback, None
        self.hide()
        self.pin.clear()
        self.shell.focus_scan()
        callback(approval)

    def cancel(self) -> None:
        self._callback = None
        self.pin.clear()
        self.hide()
        self.shell.banner.show_message(tr("Not approved. Nothing was changed."), "info")
        self.shell.focus_scan()
