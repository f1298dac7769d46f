"""The high-contrast theme: big type, thick focus, strong colours for errors and money."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

QSS = Path(__file__).resolve().parent.parent / "resources" / "theme" / "high_contrast.qss"


def apply(app: QApplication) -> None:
    font = QFont(app.font())
    font.setPointSize(13)
    app.setFont(font)
    if QSS.exists():
        app.setStyleSheet(QSS.read_text(encoding="utf-8"))
