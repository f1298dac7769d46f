"""Log-in: a button per user and a PIN keypad. Wrong PINs and lock-outs are said plainly."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.queries import people
from app.queries.people import TillUser
from app.usecases import auth
from kernel.records import UserInfo
from ui.fmt import tr
from ui.ops import Change, ChangeOp, QueryOp
from ui.widgets import Keypad, button, buttons_in, clear_layout, heading, named

if TYPE_CHECKING:
    from ui.shell import Shell


class LoginScreen(QWidget):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.user_id = ""
        self.title = heading(tr("Who is at the till?"))
        self.message = named(QLabel(), "loginMessage")
        self.message.setWordWrap(True)
        self.users = QGridLayout()
        self.users.setSpacing(10)
        self.pin = named(QLineEdit(), "pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(tr("PIN"))
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.returnPressed.connect(self.submit)
        self.scan_field = self.pin
        keypad = Keypad(self.pin, decimal=False, enter=tr("Log in"))
        keypad.entered.connect(self.submit)
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addLayout(self.users)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.message)
        right.addWidget(self.pin)
        right.addWidget(keypad, 1)
        row = QHBoxLayout(self)
        row.addLayout(left, 3)
        row.addLayout(right, 2)

    def entered(self) -> None:
        self.pin.clear()
        locked = self.shell.locked_by
        self.title.setText(
            tr("Till locked by {0}: log in to carry on").format(locked) if locked else tr("Who is at the till?")
        )
        QueryOp(self.shell, people.users, self._fill).run()

    def _fill(self, users: list[TillUser]) -> None:
        clear_layout(self.users)
        for i, user in enumerate(users):
            b = button(
                f"{user.name}\n{tr(user.role)}", partial(self.choose, user), role="choice", name=f"user_{user.id}"
            )
            b.setCheckable(True)
            b.setMinimumHeight(80)
            self.users.addWidget(b, i // 3, i % 3)
        if len(users) == 1:
            self.choose(users[0])

    def choose(self, user: TillUser) -> None:
        self.user_id = user.id
        for b in buttons_in(self.users):
            b.setChecked(b.objectName() == f"user_{user.id}")
        self.message.setText(tr("{0}: type your PIN").format(user.name))
        self.pin.setFocus()

    def submit(self) -> None:
        if not self.user_id:
            self.message.setText(tr("Touch your name first."))
            return
        uid, pin = self.user_id, self.pin.text()
        self.pin.clear()
        ChangeOp(self.shell, lambda ctx, _ap: auth.login(ctx, uid, pin), Change.SESSION).success(self._ok).failure(
            self._failed
        ).run()

    def _ok(self, user: UserInfo) -> None:
        self.message.setText("")
        self.shell.banner.clear()
        self.shell.logged_in(user)

    def _failed(self, message: str) -> None:
        self.message.setText(message)  # said once, where the cashier is looking: above the PIN
