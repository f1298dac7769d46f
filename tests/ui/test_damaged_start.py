"""The till window on a damaged database file: the sentence that says so, not a crash."""

from __future__ import annotations

import os

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.bootstrap import DB_NAME
from tests.support.till import make_till
from ui.main import run


def test_a_damaged_file_shows_the_sentence_instead_of_crashing(qtbot, tmp_path):
    till = make_till(tmp_path / "till")
    till.ctx.close()
    os.truncate(till.data_dir / DB_NAME, 8192)
    shown: list[str] = []
    waiting = [True]

    def answer_the_box() -> None:  # the box runs its own event loop: read it and close it from there
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if waiting[0]:
                QTimer.singleShot(20, answer_the_box)
            return
        shown.append(box.text())
        box.done(QMessageBox.StandardButton.Ok)

    QTimer.singleShot(0, answer_the_box)
    try:
        assert run(str(till.data_dir), demo=False) == 2
    finally:
        waiting[0] = False  # no later test's box gets answered by this one
    assert len(shown) == 1
    assert shown[0].startswith("The till database is damaged: ") and shown[0].endswith("restore the last backup.")
