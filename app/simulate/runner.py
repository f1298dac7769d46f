"""`simulate`: business days through the real use cases, continuing where the last run stopped."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from app.context import TillContext
from app.simulate import promotions as sim_promotions
from app.simulate.actors import ensure_cast
from app.simulate.day import DayStats, SimulatedDay, day_start
from kernel.clock import ManualClock
from kernel.errors import StateError

FIRST_DAY = date(2026, 1, 5)


def next_business_date(ctx: TillContext) -> date:
    with ctx.uow(read_only=True) as uow:
        shifts = uow.shifts.shifts()
    if not shifts:
        return FIRST_DAY
    return date.fromisoformat(max(s.business_date for s in shifts)) + timedelta(days=1)


def simulate(
    ctx: TillContext, days: int, sales_per_day: int, seed: int = 0,
    progress: Callable[[DayStats], None] | None = None, promotions: bool = False,
) -> list[DayStats]:
    """Run `days` business days of `sales_per_day` sales each; returns per-day figures. With
    `promotions`, the till first gets the simulation's promotions (app/simulate/promotions.py)."""
    if days < 1 or sales_per_day < 1:
        raise StateError("Simulate at least one day with at least one sale.")
    with ctx.uow(read_only=True) as uow:
        if uow.shifts.open_shift() is not None:
            raise StateError("A shift is open on this till: close it before simulating.")
    first = next_business_date(ctx)
    clock = ManualClock(day_start(first.isoformat(), ctx.settings.timezone))
    sim_ctx = replace(ctx, clock=clock)
    cast = ensure_cast(sim_ctx)
    if not cast.products:
        raise StateError("The till has no products to sell. Run `tillstone init --demo` or import a catalogue.")
    if promotions:
        sim_promotions.install(sim_ctx, cast)
    results: list[DayStats] = []
    for offset in range(days):
        business = first + timedelta(days=offset)
        rng = random.Random(f"{seed}:{business.isoformat()}")
        day = SimulatedDay(sim_ctx, clock, cast, rng)
        day.earlier_sales = _recent_receipts(sim_ctx, results)
        stats = day.run(day_start(business.isoformat(), ctx.settings.timezone), sales_per_day)
        results.append(stats)
        if progress:
            progress(stats)
    return results


def _recent_receipts(ctx: TillContext, results: list[DayStats]) -> list[str]:
    if not results:
        return []
    with ctx.uow(read_only=True) as uow:
        return uow.sales.receipts_of_day(results[-1].business_date)
