"""State changes devices report to whoever listens (the GUI banner, the CLI), without Qt.

Observers are called on the device worker thread; a GUI re-emits them as signals. An observer
that raises is logged and skipped: a broken listener must never stop the printer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeviceEvent:
    device: str  # printer | drawer | display | scale | scanner | spool | worker
    state: str  # one word, e.g. ready, unreachable, paper_out, printed, drawer_open_too_long
    message: str = ""  # a sentence a cashier understands
    job_id: int | None = None


Observer = Callable[[DeviceEvent], None]


class Observers:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[Observer] = []

    def add(self, observer: Observer) -> None:
        with self._lock:
            self._items.append(observer)

    def remove(self, observer: Observer) -> None:
        with self._lock:
            if observer in self._items:
                self._items.remove(observer)

    def emit(self, event: DeviceEvent) -> None:
        with self._lock:
            items = list(self._items)
        for observer in items:
            try:
                observer(event)
            except Exception:  # a listener's bug must not stop device I/O
                log.exception("device observer failed on %s", event)
