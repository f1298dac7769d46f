"""Anomaly rules run at shift close (seed 000): each finding either raises a discrepancy that a
supervisor must resolve (voids, refunds) or is written as a flagged audit entry (large sales,
activity after hours, repeated failed log-ins). Thresholds are till settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from db.report_queries import ReportQueries
from kernel.money import format_money

# Setting key -> default. Money in minor units.
THRESHOLDS: dict[str, str] = {
    "anomaly_void_count": "3",
    "anomaly_void_amount": "10000",
    "anomaly_refund_amount": "5000",
    "anomaly_sale_multiple": "3",
    "anomaly_min_sales": "5",
    "business_hours": "06:00-22:00",
    "anomaly_failed_logins": "3",
}


@dataclass(frozen=True)
class Finding:
    kind: str  # VOID_ANOMALY | REFUND_ANOMALY raise discrepancies; the others are flagged entries
    amount: int
    detail: str
    ref: str | None = None  # what it is about (a sale, a refund, the shift, a user): one flag per kind and ref

    @property
    def is_discrepancy(self) -> bool:
        return self.kind in ("VOID_ANOMALY", "REFUND_ANOMALY")


Getter = Callable[[str], str]


def _int(get: Getter, key: str) -> int:
    try:
        return int(get(key))
    except (TypeError, ValueError):
        return int(THRESHOLDS[key])


def _hours(get: Getter) -> tuple[str, str]:
    try:
        start, end = (h.strip() for h in (get("business_hours") or THRESHOLDS["business_hours"]).split("-"))
    except ValueError:
        start, end = THRESHOLDS["business_hours"].split("-")
    return start, end


def local_time_outside(ts: str, get: Getter, tz: str) -> str | None:
    """The store's wall-clock time of `ts` ("HH:MM") when it is outside business hours, else None."""
    start, end = _hours(get)
    local = datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(ZoneInfo(tz)).strftime("%H:%M")
    return None if start <= local < end else local


def voids(count: int, total: int, get: Getter, exp: int, ref: str) -> Finding | None:
    """More voided sales, or more voided money, in one shift than the thresholds allow."""
    if count and (count > _int(get, "anomaly_void_count") or total > _int(get, "anomaly_void_amount")):
        return Finding("VOID_ANOMALY", total, f"{count} sale(s) voided for {format_money(total, exp)}", ref)
    return None


def large_refund(gross: int, get: Getter, exp: int, ref: str) -> Finding | None:
    limit = _int(get, "anomaly_refund_amount")
    if gross > limit:
        return Finding("REFUND_ANOMALY", gross,
                       f"refund of {format_money(gross, exp)} is over {format_money(limit, exp)}", ref)
    return None


def large_sale(gross: int, count: int, total: int, get: Getter, exp: int, ref: str) -> Finding | None:
    """A sale over `anomaly_sale_multiple` times the average of the shift's `count` kept sales
    (summing to `total`), once the shift has `anomaly_min_sales` of them."""
    if count < max(_int(get, "anomaly_min_sales"), 1):
        return None
    average, multiple = total // count, _int(get, "anomaly_sale_multiple")
    if average > 0 and gross > multiple * average:
        detail = (f"sale of {format_money(gross, exp)} is over {multiple}x the shift average "
                  f"{format_money(average, exp)}")
        return Finding("LARGE_SALE", gross, detail, ref)
    return None


def failed_logins(user: str, count: int, get: Getter) -> Finding | None:
    if count >= _int(get, "anomaly_failed_logins"):
        return Finding("FAILED_LOGINS", 0, f"{count} failed log-ins for {user} during the shift", user)
    return None


def evaluate(q: ReportQueries, shift_id: str, opened_at: str, closed_at: str,
             get: Getter, exp: int, tz: str) -> list[Finding]:
    """Findings for one shift at its close; `get` reads a setting. The rules are the ones
    app/usecases/live_anomalies.py runs as each event lands."""
    findings: list[Finding | None] = []
    findings.append(voids(*q.void_totals(shift_id), get, exp, shift_id))
    big_refunds = [g for g in q.refund_grosses(shift_id) if g > _int(get, "anomaly_refund_amount")]
    if big_refunds:
        limit = format_money(_int(get, "anomaly_refund_amount"), exp)
        findings.append(Finding("REFUND_ANOMALY", sum(big_refunds), f"{len(big_refunds)} refund(s) over {limit}",
                                shift_id))
    kept = q.kept_sales(shift_id)
    total = sum(gross for _id, gross in kept)
    findings += [large_sale(gross, len(kept), total, get, exp, sale_id) for sale_id, gross in kept]
    late = [t for t in (local_time_outside(ts, get, tz) for ts in q.activity_times(shift_id)) if t]
    if late:
        findings.append(Finding("AFTER_HOURS", 0, f"{len(late)} sale(s) outside business hours, first at {late[0]}",
                                shift_id))
    for user, count in sorted(q.failed_logins_between(opened_at, closed_at).items()):
        findings.append(failed_logins(user, count, get))
    return [f for f in findings if f is not None]
