"""Keyboard-wedge scanning: a scanner types fast and ends with Enter.

The sale screen's barcode field normally has the focus and gets the keys itself. When a
touch left the focus somewhere else (the search field, a list), this application event
filter notices a fast burst ending in Enter, takes the typed characters back out of that
field and hands the code to the screen, so a scan is never lost or typed into the wrong box.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

MAX_GAP = 0.1  # seconds between scanner keystrokes (hardware notes: ~100 ms)
MIN_LENGTH = 6


class WedgeScanner(QObject):
    def __init__(self, field: Callable[[], QLineEdit | None], on_scan: Callable[[str], None],
                 blocked: Callable[[], bool] = lambda: False) -> None:
        super().__init__()
        self._field, self._on_scan, self._blocked = field, on_scan, blocked
        self.buffer = ""
        self._last = 0.0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent) or obj is not \
                QApplication.focusWidget():
            return False
        now = monotonic()
        if now - self._last > MAX_GAP:
            self.buffer = ""
        self._last = now
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            code, self.buffer = self.buffer, ""
            target = self._field()
            if len(code) >= MIN_LENGTH and target is not None and obj is not target and not self._blocked():
                if isinstance(obj, QLineEdit) and obj.text().endswith(code):
                    obj.setText(obj.text()[: -len(code)])
                self._on_scan(code)
                return True
            return False
        text = event.text()
        if text and text.isprintable():
            self.buffer += text
        return False
