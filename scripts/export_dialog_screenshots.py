"""Regenerate docs/screenshots/export-dialog-*.png: the shift screen's Export dialog over a demo
till, at 1024x768 and 800x600, before and after an export.

Run: QT_QPA_PLATFORM=offscreen python scripts/export_dialog_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kernel.clock import ManualClock  # noqa: E402
from scripts.screenshots import login, settle  # noqa: E402
from ui.main import build, prepare, shutdown  # noqa: E402


def composite(shell: Any, dialog: Any) -> QPixmap:
    """The window with the dialog painted where it stands (offscreen, it is a window of its own)."""
    picture = shell.grab()
    if dialog.isVisible():
        painter = QPainter(picture)
        painter.drawPixmap(dialog.mapToGlobal(dialog.rect().topLeft()) - shell.mapToGlobal(shell.rect().topLeft()),
                           dialog.grab())
        painter.end()
    return picture


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    _app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 - keeps the app alive
    for width, height in ((1024, 768), (800, 600)):
        with tempfile.TemporaryDirectory() as tmp:
            ctx = prepare(tmp, True, ManualClock(datetime(2026, 3, 2, 9, 30, tzinfo=UTC)))
            shell = build(ctx)
            shell.resize(width, height)
            shell.show()
            try:
                login(shell, "u-sofia")
                shift: Any = shell.screens["shift"]
                shift.counts[5000].setText("2")
                shift.open_shift()
                settle(shell)
                shell.go("shift")
                settle(shell)
                dialog = shift.export_dialog
                dialog.ask()
                settle(shell)
                dialog.move(shell.mapToGlobal(shell.rect().center()) - dialog.rect().center())
                settle(shell)
                name = out / f"export-dialog-{width}x{height}.png"
                composite(shell, dialog).save(str(name))
                print(name)
                dialog.start()
                settle(shell, 0.5)
                name = out / f"export-dialog-done-{width}x{height}.png"
                composite(shell, dialog).save(str(name))
                print(name)
            finally:
                shutdown(shell)
                shell.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
