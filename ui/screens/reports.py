"""X/Z report glue for the shift screen: who may build a Z, and rows for the preview."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain.errors import StateError
from app.usecases.auth import authorize
from ui import queries
from ui.fmt import tr


def build(ctx: Any, scope: str, day: str, user_id: str, approval: Any) -> dict:  # type: ignore[type-arg]
    """A Z needs the z_report right (or a supervisor's one-shot approval) and every shift closed."""
    if scope == "daily":
        with ctx.uow() as uow:
            authorize(uow, ctx, user_id, "z_report", approval)
            uow.commit()
    report = queries.day_report(ctx, day, scope)
    if scope == "daily" and report["open_shifts"]:
        raise StateError("Close every shift of the day before the Z report.")
    return report


def approve_z(shell: Any, scope: str, day: str, done: Callable[[dict], None]) -> None:  # type: ignore[type-arg]
    uid = shell.user.id

    def make(ap: Any) -> Any:
        return lambda ctx: build(ctx, scope, day, uid, ap)

    shell.run_approvable(make, done, tr("Print the daily Z report"), tr("end of day"))


def report_rows(report: dict, money: Callable[[int], str]) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    rows = [(tr("Sales"), str(report["sales_count"])), (tr("Sales total"), money(report["sales_net"])),
            (tr("Discounts"), money(report["discounts"]))]
    rows += [(tr(method), money(amount)) for method, amount in sorted(report["payments"].items())]
    rows += [(tr("Cash expected"), money(report["logical_cash"])), (tr("Cash counted"), money(report["physical_cash"])),
             (tr("Open shifts"), str(report["open_shifts"]))]
    return rows
