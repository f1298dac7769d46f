"""The till's audit log as a source of rows for the audit export and the audit and activity
reports: each row with the store's local time of the entry. Head office has the same kind of
source over the central store (app/hq/audit_source.py), so the export and the reports cannot
count differently in the two places."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from app.context import TillContext
from app.reports.audit_entries import AuditRow, EntryFilter, ZoneTrack, local_time, parse_row, shift_users, utc_bounds
from db import audit_export_repo
from kernel.clock import iso_utc


@dataclass(frozen=True, slots=True)
class Scoped:
    """An entry with the zone in force at it and its local time there (None: no readable time)."""

    row: AuditRow
    zone: str
    local: datetime | None


class AuditSource(Protocol):
    """What the export and the reports read: the users' names, who opened each shift, and the rows."""

    names: dict[str, str]
    shift_users: dict[str, str]
    scope: str  # "till" or "head_office"
    label: str  # the till id, or the stores a head office report covers
    zone_note: str  # how local times were found

    def rows(self, flt: EntryFilter) -> Iterator[Scoped]: ...


def scoped(row: AuditRow, zone: str) -> Scoped:
    return Scoped(row, zone, local_time(row.ts, zone) if row.ts is not None else None)


class TillAuditSource:
    """Read once up front (names, time zone changes, shift openings, the head), then rows streamed
    up to that head, so two passes (the Summary, then the Audit Log sheet) see the same entries."""

    scope = "till"

    def __init__(self, ctx: TillContext) -> None:
        self.ctx = ctx
        self.store, self.label = ctx.settings.store_id, ctx.settings.audit_till
        with ctx.uow(read_only=True) as uow:
            self.head = audit_export_repo.head_seq(uow)
            self.names = audit_export_repo.user_names(uow)
            self.zones = ZoneTrack.from_bodies(audit_export_repo.bodies_of_type(uow, "settings.changed"),
                                               ctx.settings.timezone)
            self.shift_users = shift_users(body for _s, body in audit_export_repo.bodies_of_type(uow, "shift.opened"))
        self.zone_note = f"the till's time zone setting ({ctx.settings.timezone}) and its changes in the log"

    def rows(self, flt: EntryFilter) -> Iterator[Scoped]:
        flt = replace(flt, _sales=set())  # each pass learns sale ids afresh
        low, high = utc_bounds(flt.date_from, flt.date_to)
        history = flt.needs_history
        with self.ctx.uow(read_only=True) as uow:
            stream = audit_export_repo.entries(
                uow, ts_from=None if history or low is None else iso_utc(low),
                ts_to=None if high is None else iso_utc(high), max_seq=self.head,
                type_prefix=None if history else flt.type)
            for seq, body, digest in stream:
                row = parse_row(self.store, self.label, int(seq), bytes(body), str(digest))
                if not flt.matches(row):
                    continue
                item = scoped(row, self.zones.at(row.seq))
                if flt.in_dates(item.local):
                    yield item
