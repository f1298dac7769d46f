"""The audit report (seed 000): totals, unique users, high-risk actions, actions by type and by
user with the last action, failed log-ins and the anomalies found at shift close. `AuditTally`
is also the audit export's Summary, so the report and the export count alike.

Keys are documented in docs/reports.md ("Audit and activity reports")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.context import TillContext
from app.exports import filters as export_filters
from app.exports.filters import Filter, FilterType
from app.reports.audit_describe import KNOWN_TYPES
from app.reports.audit_entries import HIGH_RISK, EntryFilter, zone
from app.reports.audit_source import AuditSource, Scoped, TillAuditSource
from kernel.clock import iso_utc

NO_USER = "(system)"  # entries without an actor: master data applied, expired holds released, ...
ANOMALY_TYPES = ("anomaly.flagged", "discrepancy.raised")

REPORT_FILTERS = (
    Filter("from", FilterType.DATE, "first local date (YYYY-MM-DD)"),
    Filter("to", FilterType.DATE, "last local date (YYYY-MM-DD)"),
    Filter("user", FilterType.TEXT, "only this user's entries (made, approved, or a failed log-in)"),
)


def local_iso(item: Scoped) -> str | None:
    """The entry's local time with its UTC offset, e.g. 2026-03-02T10:00:00+01:00."""
    if item.row.ts is None:
        return None
    return item.row.ts.astimezone(zone(item.zone)).isoformat(timespec="seconds")


def utc_iso(when: datetime | None) -> str | None:
    return iso_utc(when) if when is not None else None


@dataclass
class _User:
    count: int = 0
    high_risk: int = 0
    last: Scoped | None = None


class AuditTally:
    """Counts over a stream of entries, in one pass and constant memory per user and type."""

    def __init__(self, names: Mapping[str, str], shift_users: Mapping[str, str]) -> None:
        self.names, self.shift_users = names, shift_users
        self.total = 0
        self.by_type: Counter[str] = Counter()
        self.high_risk: Counter[str] = Counter()
        self.failed_logins: Counter[str] = Counter()
        self.users: dict[str | None, _User] = {}
        self.anomalies: list[dict[str, Any]] = []
        self.seqs: dict[str, tuple[int, int]] = {}  # till -> (first, last) seq counted
        self.first: Scoped | None = None
        self.last: Scoped | None = None

    def name(self, user: str | None) -> str:
        return NO_USER if user is None else self.names.get(user, user)

    def add(self, item: Scoped) -> None:
        row = item.row
        self.total += 1
        self.by_type[row.type] += 1
        user = self.users.setdefault(row.user, _User())
        user.count += 1
        if user.last is None or _later(item, user.last):
            user.last = item
        if row.type in HIGH_RISK:
            self.high_risk[row.type] += 1
            user.high_risk += 1
        if row.type == "user.login_failed" and row.user is not None:
            self.failed_logins[row.user] += 1
        if row.type in ANOMALY_TYPES:
            self.anomalies.append(anomaly(item, self.shift_users))
        first, last = self.seqs.get(row.till, (row.seq, row.seq))
        self.seqs[row.till] = (min(first, row.seq), max(last, row.seq))
        if self.first is None or _later(self.first, item):
            self.first = item
        if self.last is None or _later(item, self.last):
            self.last = item

    def add_all(self, items: Iterable[Scoped]) -> AuditTally:
        for item in items:
            self.add(item)
        return self

    @property
    def unique_users(self) -> int:
        return sum(1 for user in self.users if user is not None)

    def summary(self) -> dict[str, Any]:
        return {
            "total_actions": self.total, "unique_users": self.unique_users,
            "high_risk_actions": sum(self.high_risk.values()), "failed_logins": sum(self.failed_logins.values()),
            "anomalies": len(self.anomalies),
            "first_action": local_iso(self.first) if self.first else None,
            "last_action": local_iso(self.last) if self.last else None,
        }

    def by_user_rows(self) -> list[dict[str, Any]]:
        rows = []
        for user, tally in sorted(self.users.items(), key=lambda kv: (-kv[1].count, kv[0] or "")):
            last = tally.last
            rows.append({
                "user_id": user, "user_name": self.name(user), "count": tally.count,
                "high_risk_actions": tally.high_risk, "failed_logins": self.failed_logins.get(user or "", 0),
                "last_action": local_iso(last) if last else None,
                "last_action_utc": utc_iso(last.row.ts) if last else None,
                "last_type": last.row.type if last else None,
            })
        return rows


def _later(a: Scoped, b: Scoped) -> bool:
    """a after b: by time, then (one till) by seq."""
    ka = (a.row.ts is not None, a.row.ts or datetime.min, a.row.seq)
    kb = (b.row.ts is not None, b.row.ts or datetime.min, b.row.seq)
    return ka > kb if (ka[0] and kb[0]) else a.row.seq > b.row.seq


def anomaly(item: Scoped, shift_users: Mapping[str, str]) -> dict[str, Any]:
    """A flagged anomaly or a raised discrepancy, attributed to the user whose shift it was."""
    data, row = item.row.data, item.row
    shift = data.get("shift_id")
    return {
        "till": row.till, "seq": row.seq, "time": local_iso(item), "type": row.type,
        "kind": str(data.get("kind", "?")), "amount": data.get("amount"), "detail": str(data.get("detail", "")),
        "shift_id": shift, "user_id": shift_users.get(shift, row.user) if isinstance(shift, str) else row.user,
    }


def build(source: AuditSource, checked: Mapping[str, Any], *, store_name: str, now: datetime) -> dict[str, Any]:
    """The report over any source (the till's log, or what head office holds)."""
    flt = EntryFilter.from_checked(dict(checked), KNOWN_TYPES)
    tally = AuditTally(source.names, source.shift_users).add_all(source.rows(flt))
    return {
        "report_type": "audit", "report_scope": source.scope, "scope_label": source.label, "store_name": store_name,
        "from": _day(checked.get("from")), "to": _day(checked.get("to")),
        "filters": {k: _day(v) for k, v in checked.items() if v is not None},
        "timezone_source": source.zone_note, "generate_date_time": iso_utc(now),
        "summary": tally.summary(),
        "actions_by_type": [{"type": t, "count": n, "high_risk": t in HIGH_RISK}
                            for t, n in sorted(tally.by_type.items(), key=lambda kv: (-kv[1], kv[0]))],
        "actions_by_user": tally.by_user_rows(),
        "high_risk_by_type": [{"type": t, "count": n} for t, n in sorted(tally.high_risk.items())],
        "failed_logins_by_user": [{"user_id": u, "user_name": tally.name(u), "count": n}
                                  for u, n in sorted(tally.failed_logins.items())],
        "anomalies": tally.anomalies,
    }


def _day(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def audit_report(ctx: TillContext, *, date_from: str | None = None, date_to: str | None = None,
                 user: str | None = None) -> dict[str, Any]:
    """`tillstone report audit`: the till's own log; dates are the store's local dates."""
    checked = export_filters.parse(REPORT_FILTERS, {"from": date_from, "to": date_to, "user": user},
                                   ctx.settings.exponent)
    return build(TillAuditSource(ctx), checked, store_name=ctx.settings.store_name, now=ctx.now())


def audit_text(report: Mapping[str, Any]) -> str:
    """The report as lines for a terminal."""
    s = report["summary"]
    span = f"{report['from'] or 'start'} to {report['to'] or 'now'}"
    lines = [f"Audit report {report['scope_label']} ({report['store_name']}), {span}",
             f"Actions {s['total_actions']}  users {s['unique_users']}  high-risk {s['high_risk_actions']}  "
             f"failed log-ins {s['failed_logins']}  anomalies {s['anomalies']}", "", "By type:"]
    lines += [f"  {r['type']:<24} {r['count']:>7}{'  high-risk' if r['high_risk'] else ''}"
              for r in report["actions_by_type"]]
    lines += ["", "By user:"]
    lines += [f"  {r['user_name'][:24]:<24} {r['count']:>7}  high-risk {r['high_risk_actions']:>4}  "
              f"last {r['last_action']} {r['last_type']}" for r in report["actions_by_user"]]
    if report["anomalies"]:
        lines += ["", "Anomalies:"]
        lines += [f"  {a['time']} {a['kind']:<15} {a['user_id'] or ''}: {a['detail']}" for a in report["anomalies"]]
    return "\n".join(lines) + "\n"
