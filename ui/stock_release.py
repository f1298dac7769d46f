"""The GUI's periodic release of expired stock holds: a parked or abandoned sale must not keep
stock from the next customer until someone runs the cron command."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from app.usecases import cart_lifecycle
from ui.worker import DbWorker

RELEASE_INTERVAL_MS = 5 * 60 * 1000
TIMER_NAME = "stock-release-timer"


def start_release_timer(parent: QObject, worker: DbWorker, interval_ms: int = RELEASE_INTERVAL_MS) -> QTimer:
    """Every few minutes the database worker releases lapsed holds (audited as `stock.released`)."""
    timer = QTimer(parent, interval=interval_ms)
    timer.setObjectName(TIMER_NAME)
    timer.timeout.connect(lambda: worker.run(cart_lifecycle.release_expired, label="release expired stock"))
    timer.start()
    return timer
