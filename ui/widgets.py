"""Touch widgets shared by the screens: big buttons with their F-key, the banner, keypads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QKeySequence, QResizeEvent, QShortcut
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
    QStyle,
    QStyleOptionButton,
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
) -> TouchButton:
    """A touch button; `key` (e.g. "F2") is bound as a shortcut and shown under the text when
    there is room (and the till shows key labels)."""
    btn = TouchButton(text, key or "", parent=parent)
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


class TouchButton(QPushButton):
    """A touch key whose text is always read whole: on one line when it fits, else broken between
    words onto two; only a word too wide for the key is cut with "…", and then the whole text is
    the tooltip. The footer (an F-key, a price) goes on a line of its own when there is room: a
    key label is dropped first, a kept footer (a price) never."""

    show_keys = True  # the till's setting: key labels on the buttons (keyboard tills)

    def __init__(self, text: str, footer: str = "", *, keep_footer: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text, self._footer, self._keep = text.replace("&&", "&"), footer, keep_footer
        self._fit()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt name
        self._text = text.replace("&&", "&")
        _relayout(self)
        self._fit()

    def _footer_shown(self) -> str:
        return self._footer if (self._keep or TouchButton.show_keys) else ""

    def _room(self) -> tuple[int, int]:
        opt = QStyleOptionButton()
        opt.initFrom(self)
        rect = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, self)
        lines = max(1, rect.height() // max(1, self.fontMetrics().lineSpacing()))
        return min(rect.width(), self.contentsRect().width()) - 2, lines

    def _fit(self) -> None:
        if self.isHidden():  # hidden by its screen: the whole text, fitted when it is shown and laid out
            whole = "\n".join([self._text, *([self._footer_shown()] if self._footer_shown() else [])])
            super().setText(whole.replace("&", "&&"))
            return
        fm = self.fontMetrics()
        width, lines = self._room()
        footer = self._footer_shown()
        body, cut = fit_lines(fm, self._text, width, max(1, lines - 1)) if footer and lines >= 2 else ([], True)
        too_wide = bool(footer) and fm.elidedText(footer, Qt.TextElideMode.ElideRight, width) != footer
        if not footer or ((cut or too_wide) and not self._keep):  # a key label gives its line to the text
            footer = ""
            body, cut = fit_lines(fm, self._text, width, lines)
        last = fm.elidedText(footer, Qt.TextElideMode.ElideRight, width) if footer else ""
        cut = cut or last != footer
        shown = "\n".join(body + ([last] if footer else []))
        super().setText(shown.replace("&", "&&"))
        whole = f"{self._text} ({self._footer})" if self._footer and not self._keep else f"{self._text} {self._footer}"
        self.setToolTip(whole if cut or (self._footer and not footer) else "")

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        """What the whole text on one line (and its footer under it) would take: stable whatever
        the face shows now, so the layout does not chase its own wrapping."""
        fm = self.fontMetrics()
        footer = self._footer_shown()
        w = max(fm.horizontalAdvance(self._text), fm.horizontalAdvance(footer) if footer else 0)
        h = fm.lineSpacing() * (2 if footer else 1)
        opt = QStyleOptionButton()
        opt.initFrom(self)
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, opt, QSize(w, h), self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return QSize(MIN_TOUCH, MIN_TOUCH)


def _relayout(widget: QWidget) -> None:
    """A new text wants another size: the layout it sits in gives it now, before the text is fitted."""
    widget.updateGeometry()
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    if layout is not None:
        layout.activate()


def fit_lines(fm: QFontMetrics, text: str, width: int, lines: int) -> tuple[list[str], bool]:
    """`text` in at most `lines` lines of `width` px, broken between words (the most even break
    of two); the last line cut with "…" when it cannot fit. Returns the lines and whether it was cut."""
    if fm.horizontalAdvance(text) <= width or not text:
        return [text], False
    words = text.split()
    if lines >= 2 and len(words) > 1:
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        fitting = [s for s in splits if max(fm.horizontalAdvance(s[0]), fm.horizontalAdvance(s[1])) <= width]
        if fitting:
            best = min(fitting, key=lambda s: max(fm.horizontalAdvance(s[0]), fm.horizontalAdvance(s[1])))
            return list(best), False
        first: list[str] = []
        for word in words:
            if fm.horizontalAdvance(" ".join([*first, word])) > width:
                break
            first.append(word)
        if first:
            rest = " ".join(words[len(first):])
            return [" ".join(first), fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)], True
    return [fm.elidedText(text, Qt.TextElideMode.ElideRight, width)], True


class _PlaceholderFit(QObject):
    """Keeps a field's hint inside the field: cut with "…" when the field is narrow, whole as tooltip."""

    def __init__(self, field: QLineEdit, text: str) -> None:
        super().__init__(field)
        self.field, self.text = field, text
        field.installEventFilter(self)
        self.fit()

    def fit(self) -> None:
        field, fm = self.field, self.field.fontMetrics()
        frame = field.sizeHint().width() - fm.horizontalAdvance("x" * 17)  # the style's padding and border
        margins = field.textMargins()
        room = field.width() - max(frame, 0) - margins.left() - margins.right() - 2
        shown = fm.elidedText(self.text, Qt.TextElideMode.ElideRight, max(room, 0))
        field.setPlaceholderText(shown)
        field.setToolTip(self.text if shown != self.text else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit()
        return False


def placeholder(field: QLineEdit, text: str) -> None:
    """Set a field's hint so that it never shows cut off without its whole text as the tooltip."""
    fitter = field.findChild(_PlaceholderFit)
    if fitter is None:
        _PlaceholderFit(field, text)
    else:
        fitter.text = text
        fitter.fit()


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
        # a plain key: its one short word is never cut (the banner's label gives way instead)
        self.action = named(QPushButton(tr("Reprint")), "bannerAction")
        self.action.setProperty("role", "small")
        self.action.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.action.clicked.connect(lambda _=False: self._action and self._action())
        self.action.hide()
        close = button("✕", self.clear, role="small")
        close.setMaximumWidth(64)
        for b in (close, self.action):
            b.setMinimumHeight(48)
        self.action.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)  # never cut
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
        self.setLayout(grid(buttons, columns or (4 if decimal else 3), spacing=6))  # 5 columns: three rows (800x600)

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


class FitLabel(QLabel):
    """A one-line label that never pushes its screen wider: in a narrow window it is cut with
    "…" and the whole text is its tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = self._note = ""
        self.setMinimumWidth(1)
        self.setText(text)

    def setToolTip(self, note: str) -> None:  # noqa: N802 - Qt name
        """A tooltip of the caller's own (an error's detail) is kept, after the whole text when cut."""
        self._note = note
        self._fit()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt name
        self._text = text
        _relayout(self)
        self._fit()

    def _fit(self) -> None:
        if self.width() <= 1:  # not laid out yet: the whole text until it has a width
            super().setText(self._text)
            return
        room = self.contentsRect().width() - 2 * max(self.margin(), 0) - max(self.indent(), 0) - 2
        shown = self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, max(room, 0))
        super().setText(shown if self._text else "")
        parts = ([self._text] if shown != self._text else []) + ([self._note] if self._note else [])
        super().setToolTip("\n".join(parts))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        fm = self.fontMetrics()
        m = self.contentsMargins()
        return QSize(fm.horizontalAdvance(self._text) + m.left() + m.right() + 4, fm.height() + m.top() + m.bottom())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return QSize(1, self.sizeHint().height())


def heading(text: str) -> FitLabel:
    label = FitLabel(text)
    label.setProperty("role", "heading")
    return label
