"""`tillstone simulate --days N --sales-per-day M [--seed K]`."""

from __future__ import annotations

import argparse
import sys
import time

from app.cli.context import domain_errors_as_cli, print_json, till_from_args
from app.cli.errors import CliError
from app.simulate.day import REASONS, DayStats
from app.simulate.runner import simulate
from app.usecases import audit


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("simulate", help="run business days of realistic activity through the real use cases")
    p.add_argument("--days", type=int, required=True)
    p.add_argument("--sales-per-day", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--promotions", action="store_true",
                   help="first give the till the simulation's promotions and price lists")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=domain_errors_as_cli(run))


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.days <= 3650 or not 1 <= args.sales_per_day <= 100_000:
        raise CliError("--days is 1 to 3650 and --sales-per-day 1 to 100000.")
    ctx = till_from_args(args)
    audit.check_database(ctx)  # days of new data do not go into a damaged file
    started = time.perf_counter()
    show = sys.stdout.isatty() and not args.json
    if show:
        from rich.progress import Progress

        with Progress() as bar:
            task = bar.add_task("Simulating", total=args.days)
            days = simulate(ctx, args.days, args.sales_per_day, args.seed, progress=lambda _s: bar.advance(task),
                            promotions=args.promotions)
    else:
        days = simulate(ctx, args.days, args.sales_per_day, args.seed, promotions=args.promotions)
    summary = [
        {"business_date": d.business_date, "sales": d.sales, "asked": d.asked, "refunds": d.refunds,
         "voids": d.voids, "refused": d.refused, "reasons": dict(sorted(d.reasons.items()))}
        for d in days
    ]
    if args.json:
        print_json({"days": summary, "seconds": round(time.perf_counter() - started, 2)})
    else:
        for d in days:
            print(day_line(d))
    return 0


def day_line(d: DayStats) -> str:
    """One day in words: what was sold of what was asked, and every refusal by its reason, so a
    day short of sales says why."""
    line = f"{d.business_date}: {d.sales} of {d.asked} sales, {d.refunds} refunds, {d.voids} voids"
    if d.reasons:
        why = "; ".join(f"{n} × {REASONS.get(k, k)}" for k, n in sorted(d.reasons.items()))
        line += f"; not as asked: {why}"
    return line
