"""User activity over a window (seed 000, `analyze_user_activity`): per user the log-ins, failed
log-ins, actions outside business hours (in the store's time zone), high-risk actions, exports
made and reports read, voids and refunds relative to the user's own sales, and the anomalies
found at the close of the user's shifts (large sale, after hours, failed log-ins, void and
refund discrepancies). Default window: the 30 local days ending today.

Keys are documented in docs/reports.md ("Audit and activity reports")."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from app.context import TillContext
from app.exports import filters as export_filters
from app.exports.filters import Filter, FilterType
from app.reports.anomalies import THRESHOLDS
from app.reports.audit_entries import HIGH_RISK, EntryFilter, zone
from app.reports.audit_report import ANOMALY_TYPES, NO_USER, anomaly, local_iso
from app.reports.audit_source import AuditSource, Scoped, TillAuditSource
from kernel.clock import iso_utc
from kernel.errors import InvalidInput
from kernel.money import AmountError, format_money, parse_money

WINDOW_DAYS = 30
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")

ACTIVITY_FILTERS = (
    Filter("from", FilterType.DATE, "first local date (default: 29 days before --to)"),
    Filter("to", FilterType.DATE, "last local date (default: today)"),
    Filter("user", FilterType.TEXT, "only this user"),
    Filter("hours", FilterType.TEXT, "business hours HH:MM-HH:MM in the store's time zone "
                                     "(default: setting business_hours)"),
)


def parse_hours(text: str, option: str = "--hours") -> tuple[time, time]:
    """(start, end) of business hours; an end before the start spans midnight (22:00-06:00)."""
    m = _HOURS.match(text.strip())
    if not m or (m.group(3) == "24" and m.group(4) != "00"):
        raise InvalidInput(f"{option} must be HH:MM-HH:MM, e.g. 07:00-21:00.")
    start = time(int(m.group(1)), int(m.group(2)))
    end = time(0, 0) if m.group(3) == "24" else time(int(m.group(3)), int(m.group(4)))
    if start == end and m.group(3) != "24":
        raise InvalidInput(f"{option}: the day cannot start and end at the same time.")
    return start, end


def outside(local: datetime, hours: tuple[time, time]) -> bool:
    start, end = hours
    t = local.time()
    if end == time(0, 0):
        return t < start
    return not (start <= t < end) if start < end else (end <= t < start)


def window(checked: Mapping[str, Any], today: date) -> tuple[date, date]:
    to = checked.get("to") or today
    frm = checked.get("from") or to - timedelta(days=WINDOW_DAYS - 1)
    if frm > to:
        raise InvalidInput(f"--from {frm} is after --to {to}.")
    return frm, to


@dataclass
class _Amount:
    count: int = 0
    amount: int = 0

    def add(self, text: Any, exp: int) -> None:
        self.count += 1
        # a damaged amount is counted, not summed; audit verify names the entry
        with contextlib.suppress(AmountError, ValueError, ArithmeticError):
            self.amount += parse_money(str(text), exp)

    def out(self, exp: int) -> dict[str, Any]:
        return {"count": self.count, "amount": format_money(self.amount, exp)}


@dataclass
class UserActivity:
    counts: Counter[str] = field(default_factory=Counter)  # by ActivityTally.COUNTED key
    sales: _Amount = field(default_factory=_Amount)
    voids: _Amount = field(default_factory=_Amount)
    refunds: _Amount = field(default_factory=_Amount)
    anomalies: list[dict[str, Any]] = field(default_factory=list)
    first: Scoped | None = None
    last: Scoped | None = None


def percent(part: int, whole: int) -> str | None:
    """part/whole as a percentage with 2 decimals, rounded half up in integers; None without a whole."""
    if whole <= 0:
        return None
    hundredths = (part * 10_000 * 2 + whole) // (2 * whole)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


class ActivityTally:
    COUNTED = ("actions", "logins", "failed_logins", "after_hours_actions", "high_risk_actions", "exports",
               "reports_read")

    def __init__(self, hours: tuple[time, time], exp: int, shift_users: Mapping[str, str]) -> None:
        self.hours, self.exp, self.shift_users = hours, exp, shift_users
        self.users: dict[str | None, UserActivity] = {}
        self.anomalies: list[dict[str, Any]] = []

    def add(self, item: Scoped) -> None:
        row = item.row
        u = self.users.setdefault(row.user, UserActivity())
        counts = u.counts
        counts["actions"] += 1
        u.first = u.first or item
        u.last = item
        if item.local is not None and outside(item.local, self.hours):
            counts["after_hours_actions"] += 1
        if row.type in HIGH_RISK:
            counts["high_risk_actions"] += 1
        if row.type == "user.login":
            counts["logins"] += 1
        elif row.type == "user.login_failed":
            counts["failed_logins"] += 1
        elif row.type == "export.created":
            counts["reports_read" if str(row.data.get("kind", "")).startswith("report:") else "exports"] += 1
        elif row.type == "sale.completed":
            u.sales.add(row.data.get("gross"), self.exp)
        elif row.type == "sale.voided":
            u.voids.add(row.data.get("gross"), self.exp)
        elif row.type == "refund.completed":
            u.refunds.add(row.data.get("gross"), self.exp)
        if row.type in ANOMALY_TYPES:
            found = anomaly(item, self.shift_users)
            self.anomalies.append(found)
            self.users.setdefault(found["user_id"], UserActivity()).anomalies.append(found)

    def user_rows(self, names: Mapping[str, str], only: str | None) -> list[dict[str, Any]]:
        rows = []
        for user, a in sorted(self.users.items(), key=lambda kv: kv[0] or ""):
            if only is not None and user != only:
                continue
            row: dict[str, Any] = {"user_id": user, "user_name": NO_USER if user is None else names.get(user, user)}
            row |= {key: a.counts[key] for key in self.COUNTED}
            row |= {"sales": a.sales.out(self.exp), "voids": a.voids.out(self.exp), "refunds": a.refunds.out(self.exp),
                    "void_percent": percent(a.voids.count, a.sales.count),
                    "refund_percent": percent(a.refunds.amount, a.sales.amount),
                    "anomalies": a.anomalies,
                    "first_action": local_iso(a.first) if a.first else None,
                    "last_action": local_iso(a.last) if a.last else None}
            rows.append(row)
        return rows


def totals(rows: list[dict[str, Any]], exp: int) -> dict[str, Any]:
    out: dict[str, Any] = {key: sum(r[key] for r in rows) for key in ActivityTally.COUNTED}
    for key in ("sales", "voids", "refunds"):
        out[key] = {"count": sum(r[key]["count"] for r in rows),
                    "amount": format_money(sum(parse_money(r[key]["amount"], exp) for r in rows), exp)}
    out["anomalies"] = sum(len(r["anomalies"]) for r in rows)
    out["users"] = sum(1 for r in rows if r["user_id"] is not None)
    return out


def build(source: AuditSource, checked: Mapping[str, Any], *, hours_text: str, hours_from: str, today: date,
          exp: int, store_name: str, now: datetime) -> dict[str, Any]:
    """The activity report over any source; `hours_text` from --hours or the setting, `hours_from`
    says which."""
    frm, to = window(checked, today)
    hours = parse_hours(hours_text, "--hours" if hours_from == "--hours" else "setting business_hours")
    tally = ActivityTally(hours, exp, source.shift_users)
    for item in source.rows(EntryFilter(date_from=frm, date_to=to)):
        tally.add(item)
    rows = tally.user_rows(source.names, checked.get("user"))
    return {
        "report_type": "activity", "report_scope": source.scope, "scope_label": source.label,
        "store_name": store_name, "from": frm.isoformat(), "to": to.isoformat(), "window_days": (to - frm).days + 1,
        "business_hours": hours_text.strip(), "business_hours_source": hours_from,
        "timezone_source": source.zone_note, "generate_date_time": iso_utc(now),
        "filters": {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in checked.items() if v is not None},
        "totals": totals(rows, exp), "users": rows,
        "anomalies": [a for a in tally.anomalies if checked.get("user") in (None, a["user_id"])],
    }


def till_hours(ctx: TillContext, given: str | None) -> tuple[str, str]:
    """(hours, where from): --hours, else setting business_hours, else the anomaly rules' default
    (a malformed setting also falls back, as the anomaly rules do)."""
    if given:
        return given, "--hours"
    with ctx.uow(read_only=True) as uow:
        setting = uow.settings.get("business_hours")
    if setting:
        try:
            parse_hours(setting)
            return setting, "setting business_hours"
        except InvalidInput:
            pass
    return THRESHOLDS["business_hours"], "default"


def activity_report(ctx: TillContext, *, date_from: str | None = None, date_to: str | None = None,
                    user: str | None = None, hours: str | None = None) -> dict[str, Any]:
    """`tillstone report activity`: the till's own log."""
    checked = export_filters.parse(ACTIVITY_FILTERS, {"from": date_from, "to": date_to, "user": user,
                                                      "hours": hours}, ctx.settings.exponent)
    hours_text, hours_from = till_hours(ctx, checked.get("hours"))
    today = ctx.now().astimezone(zone(ctx.settings.timezone)).date()
    return build(TillAuditSource(ctx), checked, hours_text=hours_text, hours_from=hours_from, today=today,
                 exp=ctx.settings.exponent, store_name=ctx.settings.store_name, now=ctx.now())


def activity_text(report: Mapping[str, Any]) -> str:
    t = report["totals"]
    lines = [f"User activity {report['scope_label']} ({report['store_name']}), {report['from']} to {report['to']}, "
             f"business hours {report['business_hours']}",
             f"Users {t['users']}  log-ins {t['logins']}  failed {t['failed_logins']}  after hours "
             f"{t['after_hours_actions']}  high-risk {t['high_risk_actions']}  exports {t['exports']}  "
             f"anomalies {t['anomalies']}", ""]
    for r in report["users"]:
        lines.append(f"{r['user_name'][:30]} ({r['user_id'] or '-'}): {r['actions']} actions, {r['logins']} log-ins, "
                     f"{r['failed_logins']} failed, {r['after_hours_actions']} after hours, "
                     f"{r['high_risk_actions']} high-risk, {r['exports']} exports")
        lines.append(f"    sales {r['sales']['count']} ({r['sales']['amount']}), voids {r['voids']['count']} "
                     f"({r['void_percent'] or '-'} % of sales), refunds {r['refunds']['count']} "
                     f"({r['refunds']['amount']}, {r['refund_percent'] or '-'} % of sales)")
        lines += [f"    anomaly {a['kind']} at {a['time']}: {a['detail']}" for a in r["anomalies"]]
    return "\n".join(lines) + "\n"
