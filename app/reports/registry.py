"""Every report the till makes, listed in one place (seed 001's report types): the CLI and the GUI
look a report up here by name. A new report is a module in app/reports and one line below."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from app.context import TillContext
from app.reports import activity, audit_report, commission, daily, shift_report

Maker = Callable[..., dict[str, Any]]

REPORTS: Mapping[str, Maker] = MappingProxyType({
    "x": daily.x_report,
    "z": daily.z_report,
    "shift": shift_report.shift_report,
    "commission": commission.commission_report,
    "audit": audit_report.audit_report,
    "activity": activity.activity_report,
})


def make_report(report_type: str, ctx: TillContext, **params: Any) -> dict[str, Any]:
    """Run the maker listed for `report_type` (x, z, shift, commission, audit, activity)."""
    try:
        maker = REPORTS[report_type]
    except KeyError:
        raise KeyError(f"no report called '{report_type}'; known: {', '.join(sorted(REPORTS))}") from None
    return maker(ctx, **params)
