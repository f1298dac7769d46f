"""What every use case is handed: a way to open a unit of work, the clock and the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from app.domain.settings import TillSettings
from kernel.clock import Clock, business_date, iso_utc


@dataclass
class TillContext:
    uow_factory: Callable[..., Any]  # (read_only: bool = False) -> a unit of work (db.uow.UnitOfWork)
    clock: Clock
    settings: TillSettings
    data_dir: Any = None
    engine: Any = None  # kept for tools that need raw access (benchmarks, verify)

    def uow(self, *, read_only: bool = False) -> Any:
        return self.uow_factory(read_only=read_only)

    def now(self) -> datetime:
        return self.clock.now()

    def now_iso(self) -> str:
        return iso_utc(self.clock.now())

    def later_iso(self, **delta: float) -> str:
        return iso_utc(self.clock.now() + timedelta(**delta))

    def business_date(self) -> str:
        return business_date(self.clock.now(), self.settings.timezone, self.settings.rollover_hour).isoformat()

    def with_settings(self, settings: TillSettings) -> TillContext:
        return replace(self, settings=settings)
