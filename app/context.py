"""What every use case is handed: a way to open a unit of work, the clock and the settings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from app.domain.settings import TillSettings
from db.uow import UnitOfWork
from kernel.clock import Clock, business_date, iso_utc


class UowFactory(Protocol):
    """Opens a unit of work on the till database (db.uow.UnitOfWorkFactory)."""

    def __call__(self, *, read_only: bool = False, durable: bool = True) -> UnitOfWork: ...

    def close(self) -> None: ...


@dataclass
class TillContext:
    uow_factory: UowFactory
    clock: Clock
    settings: TillSettings
    data_dir: Any = None

    def uow(self, *, read_only: bool = False, durable: bool = True) -> UnitOfWork:
        """`durable=False` only for editing an unpaid cart: it commits without waiting for the disk
        (survives a killed process, not a power cut; docs/design.md, "Invariants")."""
        return self.uow_factory(read_only=read_only, durable=durable)

    def close(self) -> None:
        """Release the database's pooled connections, e.g. before the file is copied or migrated by hand;
        the context stays usable (the next unit of work connects again)."""
        self.uow_factory.close()

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
