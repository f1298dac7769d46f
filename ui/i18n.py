"""Loading the Qt translation for the till's language, with the locale for money and dates."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

I18N = Path(__file__).resolve().parent.parent / "resources" / "i18n"
LOCALES = {"en": "en_GB", "de": "de_DE"}


def install(app: QApplication, language: str) -> QTranslator | None:
    """Install tillstone_<lang>.qm if present; English needs none. Returns the translator
    (the caller keeps it alive: Qt does not own it)."""
    QLocale.setDefault(QLocale(LOCALES.get(language, "en_GB")))
    translator = QTranslator(app)
    if translator.load(str(I18N / f"tillstone_{language}.qm")):
        app.installTranslator(translator)
        return translator
    return None
