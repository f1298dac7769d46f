"""Injected time. Rules never call datetime.now(): tests run business days, rollovers
and clocks set backwards by moving a ManualClock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, **kwargs: float) -> datetime:
        self._now += timedelta(**kwargs)
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(UTC)


def iso_utc(when: datetime) -> str:
    """The audit log's timestamp form: always 6 fraction digits and a Z."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def business_date(when: datetime, tz: str = "UTC", rollover_hour: int = 0) -> date:
    """The trading day a moment belongs to: before the rollover hour it is still yesterday."""
    local = when.astimezone(ZoneInfo(tz))
    return (local - timedelta(hours=rollover_hour)).date()
