"""Audit entries as the audit export and the audit and activity reports read them, the same at
the till and at head office: one parsed row per entry, the store's time zone in force at it, who
it is about, and the filters (`--from/--to`, `--type`, `--user`, `--sale`, `--customer`).

Everything is read from the entry's canonical body (the bytes `audit verify` checks), never from
the log's query columns. A body that is not readable JSON is still a row (type `(unreadable)`),
so a damaged log shows in the export instead of stopping it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kernel.errors import InvalidInput

UNREADABLE = "(unreadable)"
# Voids, refunds, overrides, cash out, no-sale openings, settings changes and price overrides.
HIGH_RISK = frozenset({
    "sale.voided", "cart.line_voided", "refund.completed", "override.granted", "cash.out", "drawer.opened",
    "settings.changed", "cart.price_override",
})
# The most a UTC offset can be: a local date is within this of the UTC date range.
_MAX_OFFSET = timedelta(hours=15)


@dataclass(frozen=True, slots=True)
class AuditRow:
    store: str
    till: str
    seq: int
    ts: datetime | None  # UTC, aware; None when the body does not hold a readable time
    type: str
    actor: str | None
    data: dict[str, Any]
    hash: str

    @property
    def user(self) -> str | None:
        """Who the entry is about: its actor, or for a failed log-in (actor null) the user whose
        PIN was wrong."""
        if self.actor is not None:
            return self.actor
        if self.type == "user.login_failed":
            user = self.data.get("user_id")
            return user if isinstance(user, str) else None
        return None


def parse_row(store: str, till: str, seq: int, body: bytes, digest: str) -> AuditRow:
    """One stored entry as a row; a damaged body is a row of type `(unreadable)`."""
    try:
        entry = json.loads(body)
    except (ValueError, RecursionError):
        entry = None
    if not isinstance(entry, dict):
        return AuditRow(store, till, seq, None, UNREADABLE, None, {}, digest)
    data = entry.get("data")
    actor = entry.get("actor")
    type_ = entry.get("type")
    return AuditRow(store, till, seq, parse_ts(entry.get("ts")), type_ if isinstance(type_, str) else UNREADABLE,
                    actor if isinstance(actor, str) else None, data if isinstance(data, dict) else {}, digest)


def parse_ts(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(UTC) if when.tzinfo is not None else None


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def valid_zone(name: Any) -> str | None:
    if not isinstance(name, str) or not name or len(name) > 64:
        return None
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def local_time(ts: datetime, zone_name: str) -> datetime:
    """Naive local time in `zone_name` (the Book's form of a time in a named zone)."""
    return ts.astimezone(zone(zone_name)).replace(tzinfo=None)


class ZoneTrack:
    """The till's time zone in force at each entry, from its `settings.changed` entries: before
    the first change of `timezone` the zone it changed from, after each change the zone it changed
    to; without any change, `fallback` (the till's setting at the till, UTC at head office)."""

    def __init__(self, changes: Iterable[tuple[int, Any, Any]], fallback: str) -> None:
        self.changes = sorted((seq, valid_zone(frm), valid_zone(to)) for seq, frm, to in changes)
        first = self.changes[0][1] if self.changes else None
        self.initial = first or fallback

    @classmethod
    def from_bodies(cls, bodies: Iterable[tuple[int, bytes]], fallback: str) -> ZoneTrack:
        """From (seq, body) of `settings.changed` entries."""
        changes = []
        for seq, body in bodies:
            change = timezone_change(body)
            if change is not None:
                changes.append((seq, *change))
        return cls(changes, fallback)

    def at(self, seq: int) -> str:
        current = self.initial
        for change_seq, _frm, to in self.changes:
            if change_seq > seq:
                break
            current = to or current
        return current


def timezone_change(body: bytes) -> tuple[Any, Any] | None:
    """(from, to) of the `timezone` change a `settings.changed` body records, or None."""
    try:
        entry = json.loads(body)
        change = entry["data"]["changes"]["timezone"]
        return change.get("from"), change.get("to")
    except (ValueError, RecursionError, LookupError, TypeError, AttributeError):
        return None


def shift_users(bodies: Iterable[bytes]) -> dict[str, str]:
    """shift_id -> the user who opened it, from `shift.opened` bodies (anomalies found at a shift's
    close are the shift's)."""
    out: dict[str, str] = {}
    for body in bodies:
        try:
            data = json.loads(body)["data"]
            shift, user = data["shift_id"], data.get("user_id")
        except (ValueError, RecursionError, LookupError, TypeError):
            continue
        if isinstance(shift, str) and isinstance(user, str):
            out[shift] = user
    return out


def utc_bounds(date_from: date | None, date_to: date | None) -> tuple[datetime | None, datetime | None]:
    """A UTC range surely holding every entry whose local date is in [date_from, date_to] whatever
    the zone: the database narrows with it, `EntryFilter.in_dates` decides exactly."""
    low = datetime.combine(date_from, datetime.min.time(), UTC) - _MAX_OFFSET if date_from else None
    high = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), UTC) + _MAX_OFFSET if date_to else None
    return low, high


@dataclass
class EntryFilter:
    """The checked filters of an audit export or report. `sale` matches an entry whose data names
    that sale id or receipt number (the sale, its void, refunds of it, a refused refund); `customer`
    the entries naming that customer and the voids and refunds of that customer's sales; `user` the
    entries the user made or is about (a failed log-in) or approved; `type` an entry type
    (`sale.voided`) or a family (`sale`)."""

    date_from: date | None = None
    date_to: date | None = None
    type: str | None = None
    user: str | None = None
    sale: str | None = None
    customer: str | None = None
    _sales: set[str] = field(default_factory=set)

    @classmethod
    def from_checked(cls, checked: dict[str, Any], known_types: Iterable[str]) -> EntryFilter:
        type_ = checked.get("type")
        if type_ is not None:
            known = set(known_types)
            families = {t.split(".", 1)[0] for t in known}
            if type_ not in known and type_ not in families:
                raise InvalidInput(f"--type: '{type_[:40]}' is not an audit entry type; give a type such as "
                                   "sale.voided or a family such as sale.")
        return cls(checked.get("from"), checked.get("to"), type_, checked.get("user"), checked.get("sale"),
                   checked.get("customer"))

    @property
    def needs_history(self) -> bool:
        """A sale or customer filter learns sale ids from entries before the range."""
        return self.sale is not None or self.customer is not None

    def in_dates(self, local: datetime | None) -> bool:
        if self.date_from is None and self.date_to is None:
            return True
        if local is None:
            return False
        day = local.date()
        return (self.date_from is None or day >= self.date_from) and (self.date_to is None or day <= self.date_to)

    def matches(self, row: AuditRow) -> bool:
        """Everything but the dates. Call for every entry in seq order (it learns sale ids)."""
        if self.sale is not None and not self._sale_match(row):
            return False
        if self.customer is not None and not self._customer_match(row):
            return False
        if self.type is not None and row.type != self.type and not row.type.startswith(self.type + "."):
            return False
        if self.user is not None:
            named = (row.user, row.data.get("approved_by"), row.data.get("resolved_by"))
            if self.user not in named:
                return False
        return True

    def _sale_ids(self, row: AuditRow) -> set[Any]:
        return {row.data.get("sale_id"), row.data.get("original_sale_id")} - {None}

    def _sale_match(self, row: AuditRow) -> bool:
        sale = self.sale
        if row.type == "sale.completed" and sale in (row.data.get("sale_id"), row.data.get("receipt_no")):
            self._sales.add(str(row.data.get("sale_id")))
            return True
        return sale == row.data.get("receipt_no") or bool(self._sale_ids(row) & ({sale} | self._sales))

    def _customer_match(self, row: AuditRow) -> bool:
        if row.data.get("customer_id") == self.customer:
            if row.type == "sale.completed":
                self._sales.add(str(row.data.get("sale_id")))
            return True
        return bool(self._sale_ids(row) & self._sales)
