"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def samples_ms(fn: Callable[[int], object], count: int) -> list[float]:
    out = []
    for i in range(count):
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 100 else max(values)


def p50(values: list[float]) -> float:
    return statistics.median(values)


def metric(name: str, value: float, unit: str, baseline: float, higher_is_better: bool = False) -> dict:
    """ratio: ours relative to the raw baseline (time: ours / raw; throughput: ours / raw)."""
    ratio = value / baseline if baseline else float("inf")
    return {"name": name, "value": round(value, 4), "unit": unit, "baseline": round(baseline, 4),
            "ratio": round(ratio, 3)}
