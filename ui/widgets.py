"""Touch widgets shared by the screens: big buttons with their F-key, the banner, keypads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from ui.fmt import tr

MIN_TOUCH = 56  # px: above the 48 px minimum so a thumb at arm's length still hits it
W = TypeVar("W", bound=QObject)


def named(widget: W, name: str) -> W:
    """`widget` with its object name set: the name the tests and the style sheet find it by."""
    widget.setObjectName(name)
    return widget


def one_shot(parent: QObject, on_timeout: Callable[[], None], interval_ms: int = 0) -> QTimer:
    """A single-shot timer calling `on_timeout`; `start()` (again) restarts the wait."""
    timer = QTimer(parent, singleShot=True, interval=interval_ms)
    timer.timeout.connect(on_timeout)
    return timer


def application() -> QApplication:
    """The running QApplication: every window is built after it exists."""
    app = QApplication.instance()
    assert isinstance(app, QApplication), "a QApplication must exist before a window is built"
    return app


def clear_layout(layout: QLayout) -> None:
    """Take every item out; its widget is deleted later (the click that got here may be its own)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


def buttons_in(layout: QLayout) -> list[QAbstractButton]:
    items = (layout.itemAt(i) for i in range(layout.count()))
    return [w for w in (item.widget() for item in items if item is not None) if isinstance(w, QAbstractButton)]


def button(
    text: str,
    on_click: Callable[[], None] | None = None,
    *,
    key: str | None = None,
    role: str = "",
    parent: QWidget | None = None,
    name: str = "",
) -> QPushButton:
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
    btn.clicked.connect(lambda _=False: acted(btn))  # first: the window clears the last action's message
    if on_click:
        btn.clicked.connect(lambda _=False: on_click())
    if key and parent is not None:
        shortcut = QShortcut(QKeySequence(key), parent)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        def fire() -> None:
            if btn.isEnabled() and btn.isVisible():
                btn.click()

        shortcut.activated.connect(fire)
    return btn


def acted(source: QWidget) -> None:
    """A person did something with `source`: its window (the shell) forgets the message the
    previous action left, so a sentence never outlives the action that caused it."""
    hook = getattr(source.window(), "user_acted", None)
    if hook is not None:
        hook(source)


def grid(buttons: Sequence[QWidget], columns: int, spacing: int = 8) -> QGridLayout:
    layout = QGridLayout()
    layout.setSpacing(spacing)
    for i, b in enumerate(buttons):
        layout.addWidget(b, i // columns, i % columns)
    return layout


class Banner(QFrame):
    """Non-modal message line. A message belongs to the action that caused it: the next action
    clears it (`clear_transient`), info also fades; a sticky one (the printer's state) stays until
    its cause is gone. The line keeps its height when empty, so a message never moves the screen."""

    HEIGHT = 64  # two lines of the banner's type next to its 48 px buttons

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self._action: Callable[[], None] | None = None
        self.action = button(tr("Reprint"), lambda: self._action and self._action(), role="small", name="bannerAction")
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
        self._timer = one_shot(self, self.clear)
        self.kind = ""
        self.sticky = False
        self.setFixedHeight(self.HEIGHT)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.hide()

    def show_message(
        self,
        text: str,
        kind: str = "error",
        *,
        action: tuple[str, Callable[[], None]] | None = None,
        sticky: bool = False,
    ) -> None:
        self.kind, self.sticky = kind, sticky
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

    def clear_transient(self) -> None:
        """The next action began: its own message replaces this one, or none is shown."""
        if not self.sticky:
            self.clear()

    def clear(self) -> None:
        self.kind, self.sticky = "", False
        self.label.setText("")
        self.hide()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class Keypad(QWidget):
    """Digits, decimal mark, back and clear, typing into `target`."""

    entered = Signal()

    def __init__(
        self, target: QLineEdit, *, decimal: bool = True, enter: str = "", parent: QWidget | None = None,
        columns: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.target = target
        if decimal:  # four columns keep the money keypads one row shorter (fits 1024x768)
            keys = ["7", "8", "9", "C", "4", "5", "6", "⌫", "1", "2", "3", "00", "0", ","]
        else:
            keys = ["7", "8", "9", "4", "5", "6", "1", "2", "3", "C", "0", "⌫"]
        buttons = [button(k, partial(self.press, k), name=f"key_{k}") for k in keys]
        if enter:
            buttons.append(button(enter, self.entered.emit, role="primary", name="key_enter"))
        for b in buttons:
            b.setProperty("role", b.property("role") or "key")
        self.setLayout(grid(buttons, columns or (4 if decimal else 3)))  # 5 columns: three rows (800x600)

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
