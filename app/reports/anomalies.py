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

    @property
    def is_discrepancy(self) -> bool:
        return self.kind in ("VOID_ANOMALY", "REFUND_ANOMALY")


def _int(get: Callable[[str], str], key: str) -> int:
    try:
        return int(get(key))
    except (TypeError, ValueError):
        return int(THRESHOLDS[key])


def _after_hours(times: list[str], hours: str, tz: str) -> list[str]:
    try:
        start, end = (h.strip() for h in hours.split("-"))
    except ValueError:
        start, end = THRESHOLDS["business_hours"].split("-")
    late = []
    for ts in times:
        local = datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(ZoneInfo(tz)).strftime("%H:%M")
        if not start <= local < end:
            late.append(local)
    return late


def evaluate(q: ReportQueries, shift_id: str, opened_at: str, closed_at: str,
             get: Callable[[str], str], exp: int, tz: str) -> list[Finding]:
    """Findings for one shift; `get` reads a setting."""
    findings: list[Finding] = []
    sales = q.sale_times(shift_id)
    voided = [gross for _s, _c, gross, v in sales if v]
    void_total = sum(voided)
    if voided and (len(voided) > _int(get, "anomaly_void_count") or void_total > _int(get, "anomaly_void_amount")):
        findings.append(Finding("VOID_ANOMALY", void_total,
                                f"{len(voided)} sale(s) voided for {format_money(void_total, exp)}"))
    refund_limit = _int(get, "anomaly_refund_amount")
    big_refunds = [g for g in q.refund_grosses(shift_id) if g > refund_limit]
    if big_refunds:
        findings.append(Finding("REFUND_ANOMALY", sum(big_refunds),
                                f"{len(big_refunds)} refund(s) over {format_money(refund_limit, exp)}"))
    kept = [gross for _s, _c, gross, v in sales if not v]
    if len(kept) >= _int(get, "anomaly_min_sales"):
        average = sum(kept) // len(kept)
        multiple = _int(get, "anomaly_sale_multiple")
        for gross in kept:
            if average > 0 and gross > multiple * average:
                detail = (f"sale of {format_money(gross, exp)} is over {multiple}x the shift average "
                          f"{format_money(average, exp)}")
                findings.append(Finding("LARGE_SALE", gross, detail))
    late = _after_hours(q.activity_times(shift_id), get("business_hours") or THRESHOLDS["business_hours"], tz)
    if late:
        findings.append(Finding("AFTER_HOURS", 0, f"{len(late)} sale(s) outside business hours, first at {late[0]}"))
    for user, count in sorted(q.failed_logins_between(opened_at, closed_at).items()):
        if count >= _int(get, "anomaly_failed_logins"):
            findings.append(Finding("FAILED_LOGINS", 0, f"{count} failed log-ins for {user} during the shift"))
    return findings
