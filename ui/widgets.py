"""Touch widgets shared by the screens: big buttons with their F-key, the banner, keypads."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from ui.fmt import tr

MIN_TOUCH = 56  # px: above the 48 px minimum so a thumb at arm's length still hits it


def button(text: str, on_click: Callable[[], None] | None = None, *, key: str | None = None,
           role: str = "", parent: QWidget | None = None, name: str = "") -> QPushButton:
    """A touch button; `key` (e.g. "F2") is bound as a shortcut and shown on the button."""
    label = f"{text}\n{key}" if key else text
    btn = QPushButton(label, parent)
    btn.setMinimumHeight(MIN_TOUCH)
    btn.setMinimumWidth(MIN_TOUCH)
    btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the barcode field keeps the focus
    btn.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    if role:
        btn.setProperty("role", role)
    if name:
        btn.setObjectName(name)
    if on_click:
        btn.clicked.connect(lambda _=False: on_click())
    if key and parent is not None:
        shortcut = QShortcut(QKeySequence(key), parent)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: btn.isEnabled() and btn.isVisible() and btn.click())
    return btn


def grid(buttons: list[QWidget], columns: int, spacing: int = 8) -> QGridLayout:
    layout = QGridLayout()
    layout.setSpacing(spacing)
    for i, b in enumerate(buttons):
        layout.addWidget(b, i // columns, i % columns)
    return layout


class Banner(QFrame):
    """Non-modal message line: errors stay until dismissed or the next success, info fades."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self._action: Callable[[], None] | None = None
        self.action = button(tr("Reprint"), lambda: self._action and self._action(), role="small",
                             name="bannerAction")
        self.action.hide()
        close = button("✕", self.clear, role="small")
        close.setMaximumWidth(64)
        for b in (close, self.action):
            b.setMinimumHeight(48)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 2, 2, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.action)
        row.addWidget(close)
        self._timer = QTimer(self, singleShot=True, timeout=self.clear)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "error", *, action: tuple[str, Callable[[], None]] | None = None
                     ) -> None:
        self.kind = kind
        self.label.setText(text)
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self._action = action[1] if action else None
        if action:
            self.action.setText(action[0])
            self.action.show()
        else:
            self.action.hide()
        self.show()
        self._timer.stop()
        if kind in ("info", "ok"):
            self._timer.start(6000)

    def clear(self) -> None:
        self.kind = ""
        self.label.setText("")
        self.hide()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class Keypad(QWidget):
    """Digits, decimal mark, back and clear, typing into `target`."""

    entered = Signal()

    def __init__(self, target: QLineEdit, *, decimal: bool = True, enter: str = "", parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.target = target
        if decimal:  # four columns keep the money keypads one row shorter (fits 1024x768)
            keys = ["7", "8", "9", "C", "4", "5", "6", "⌫", "1", "2", "3", "00", "0", ","]
        else:
            keys = ["7", "8", "9", "4", "5", "6", "1", "2", "3", "C", "0", "⌫"]
        buttons = [button(k, (lambda k=k: self.press(k)), name=f"key_{k}") for k in keys]
        if enter:
            buttons.append(button(enter, self.entered.emit, role="primary", name="key_enter"))
        for b in buttons:
            b.setProperty("role", b.property("role") or "key")
        self.setLayout(grid(buttons, 4 if decimal else 3))

    def press(self, key: str) -> None:
        text = self.target.text()
        if key == "C":
            text = ""
        elif key == "⌫":
            text = text[:-1]
        elif key == ",":
            text += "," if "," not in text and "." not in text else ""
        else:
            text += key
        self.target.setText(text)


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "heading")
    return label
