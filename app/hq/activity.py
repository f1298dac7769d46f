"""`tillstone hq report audit|activity`: the audit report and the user activity report over what
head office holds (the tills' accepted chains and hq_audit, app/hq/audit_source.py), made by the
same code as the till's (app/reports/audit_report.py, activity.py), so for one till and window
the two agree. Reading one is an `export.created` entry in hq_audit.

Head office keeps no business hours per store: `--hours` or the anomaly rules' default
(06:00-22:00); no time zone either: local times as app/hq/audit_source.py says."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg

from app.exports import filters as export_filters
from app.hq import hq_audit
from app.hq.audit_source import HqAuditSource
from app.reports import activity, audit_report
from app.reports.anomalies import THRESHOLDS
from app.usecases.report_reads import read_entry_data
from kernel.errors import InvalidInput

CENTRAL_EXPONENT = 2  # the central store keeps no currency; master data is read with 2 decimals too


def make(conn: psycopg.Connection, report_type: str, *, stores: Sequence[str] | None, date_from: str | None = None,
         date_to: str | None = None, user: str | None = None, hours: str | None = None,
         now: datetime | None = None) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    if report_type == "audit":
        checked = export_filters.parse(audit_report.REPORT_FILTERS, {"from": date_from, "to": date_to, "user": user},
                                       CENTRAL_EXPONENT)
        source = HqAuditSource(conn, stores)
        return audit_report.build(source, checked, store_name=_names(source), now=now)
    if report_type == "activity":
        checked = export_filters.parse(activity.ACTIVITY_FILTERS, {"from": date_from, "to": date_to, "user": user,
                                                                   "hours": hours}, CENTRAL_EXPONENT)
        source = HqAuditSource(conn, stores)
        given = checked.get("hours")
        return activity.build(source, checked, hours_text=given or THRESHOLDS["business_hours"],
                              hours_from="--hours" if given else "default", today=now.date(), exp=CENTRAL_EXPONENT,
                              store_name=_names(source), now=now)
    raise InvalidInput(f"There is no '{report_type[:40]}' report at head office; choose audit or activity.")


def _names(source: HqAuditSource) -> str:
    stores = sorted(source.heads and {till.split("-", 1)[0] for till in source.heads} or ())
    return ", ".join(source.store_names.get(s) or s for s in stores) or "head office"


def record_read(conn: psycopg.Connection, kind: str, fmt: str, output: str, rows: int, filters: Mapping[str, Any], *,
                stores: Sequence[str] | None, actor: str, now: datetime | None = None) -> int:
    """The hq_audit entry of one report read, in its own transaction."""
    who = actor.strip()
    if not who or len(who) > 64 or not who.isprintable():
        raise InvalidInput("--by must be printable text of 1 to 64 characters.")
    data = read_entry_data(kind, fmt, output, rows, filters, "cli") | {
        "stores": sorted({s.strip().upper() for s in stores}) if stores else None}
    with conn.transaction():
        return hq_audit.append(conn, now=now or datetime.now(UTC), type_="export.created", actor=who, data=data)
