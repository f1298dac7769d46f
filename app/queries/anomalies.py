"""What the supervisor's alert line shows: anomalies flagged in the open shift as they landed."""

from __future__ import annotations

from dataclasses import dataclass

from app.context import TillContext
from kernel.money import parse_money


@dataclass(frozen=True)
class Flagged:
    seq: int
    kind: str
    detail: str
    ts: str
    amount: int  # minor units


def flagged_since(ctx: TillContext, after_seq: int) -> list[Flagged]:
    """The open shift's `anomaly.flagged` entries after `after_seq`, oldest first (none without a shift)."""
    with ctx.uow(read_only=True) as uow:
        shift = uow.shifts.open_shift()
        if shift is None:
            return []
        return [Flagged(int(f["seq"]), str(f.get("kind")), str(f.get("detail")), str(f["ts"]),
                        _minor(f.get("amount"), ctx.settings.exponent))
                for f in uow.reports.anomaly_flags(shift.id, after_seq)]


def _minor(text: object, exp: int) -> int:
    try:
        return parse_money(str(text), exp)
    except (ValueError, ArithmeticError):
        return 0
