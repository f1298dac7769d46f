"""Export writers: a sales export's line items (15 columns of text, money, quantities, dates) to
xlsx through our writer against a bare openpyxl write-only loop writing the same cells, and to
CSV through our writer against the csv module writing the same rows. Each run is a fresh
subprocess, so its peak RSS (ru_maxrss) is its own. Targets (issue 12): speed ratio >= 0.5,
peak RSS < 200 MB at 1,000,000 rows.

    python3 -m bench --only export_bench [--quick]
    python3 -m bench.export_bench [--rows N] [--format xlsx|csv]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.timing import metric

FULL_ROWS = 1_000_000
QUICK_ROWS = 20_000
MODES = ("ours-xlsx", "raw-xlsx", "ours-csv", "raw-csv")
NAMES = ["Espresso beans 1kg", "Oat milk 1L", "Sourdough loaf", "Dark chocolate 70%", "Green tea 20 bags",
         "=HYPERLINK(\"x\")", "Пельмени домашние", "Apple juice 1L cloudy", "Butter 250g", "Eggs free range 10"]
TITLES = ["Receipt", "Store", "Till", "Business date", "Time (local)", "Cashier", "SKU", "Name", "Qty",
          "Unit price", "Discount", "Net", "Tax", "Gross", "Unit cost"]
MONEY_FMT = '#,##0.00 "EUR"'


def line_items(count: int) -> Iterator[tuple]:
    """Deterministic rows of the project's exact types: money int minor units, qty thousandths."""
    start_day, start = date(2026, 1, 1), datetime(2026, 1, 1, 8, 0)
    for i in range(count):
        qty = 1000 * (1 + i % 4) + (250 if i % 7 == 0 else 0)
        price = 99 + (i * 37) % 4900
        discount = 50 if i % 5 == 0 else 0
        net = price * qty // 1000 - discount
        tax = net * 19 // 119
        yield (f"S1-T{i % 3 + 1}-{i // 400:06d}", "S1", f"T{i % 3 + 1}", start_day + timedelta(days=i // 4000),
               start + timedelta(seconds=i * 9), "Maria Svensson", f"SKU{i % 5000:05d}", NAMES[i % len(NAMES)],
               qty, price, discount, net, tax, net, None if i % 11 == 0 else price // 2)


def _ours(kind: str, rows: int, out: Path) -> None:
    from app.exports.book import Book, Column, Kind, Sheet
    from app.exports.files import write_book

    kinds = [Kind.TEXT] * 3 + [Kind.DATE, Kind.DATETIME] + [Kind.TEXT] * 3 + [Kind.QTY] + [Kind.MONEY] * 6
    columns = [Column(t, k) for t, k in zip(TITLES, kinds, strict=True)]
    book = Book("Sales export", "S1", "EUR", 2, sheets=[Sheet("Line Items", columns, line_items(rows), wide=True)])
    write_book(book, kind, out)


def _raw_xlsx(rows: int, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Line Items")

    def fmt(value: object, number_format: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws)
        cell.number_format = number_format
        cell.value = value
        return cell

    ws.append(TITLES)
    for r in line_items(rows):
        ws.append([r[0], r[1], r[2], fmt(r[3], "yyyy-mm-dd"), fmt(r[4], "yyyy-mm-dd hh:mm:ss"), r[5], r[6], r[7],
                   fmt(r[8] / 1000, "0.000"), fmt(r[9] / 100, MONEY_FMT), fmt(r[10] / 100, MONEY_FMT),
                   fmt(r[11] / 100, MONEY_FMT), fmt(r[12] / 100, MONEY_FMT), fmt(r[13] / 100, MONEY_FMT),
                   None if r[14] is None else fmt(r[14] / 100, MONEY_FMT)])
    wb.save(out)


def _raw_csv(rows: int, out: Path) -> None:
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(TITLES)
        writer.writerows(line_items(rows))


def child(mode: str, rows: int, out: Path) -> dict:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    if mode == "raw-xlsx":
        _raw_xlsx(rows, out)
    elif mode == "raw-csv":
        _raw_csv(rows, out)
    else:
        _ours(mode.split("-")[1], rows, out)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"mode": mode, "rows": rows, "seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime - cpu0,
            "peak_rss_mb": usage.ru_maxrss / 1024, "bytes": out.stat().st_size}  # ru_maxrss: KiB on Linux


def _spawn(mode: str, rows: int, folder: Path) -> subprocess.Popen[str]:
    out = folder / f"{mode}.{mode.split('-')[1]}"
    return subprocess.Popen([sys.executable, "-m", "bench.export_bench", "--child", mode, "--rows", str(rows),
                             "--out", str(out)], stdout=subprocess.PIPE, text=True)


def measure(rows: int, formats: tuple[str, ...] = ("xlsx", "csv")) -> list[dict]:
    """The four runs go side by side (ours and the raw loop share the machine alike), each in a
    process of its own; the figures are each process's own wall time, CPU time and peak RSS."""
    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        procs = {mode: _spawn(mode, rows, Path(tmp)) for mode in MODES if mode.split("-")[1] in formats}
        got = {}
        for mode, proc in procs.items():
            stdout, _ = proc.communicate()
            if proc.returncode != 0:
                raise RuntimeError(f"the {mode} run failed (exit {proc.returncode})")
            got[mode] = json.loads(stdout.strip().splitlines()[-1])
    out = []
    for fmt in formats:
        ours, raw = got[f"ours-{fmt}"], got[f"raw-{fmt}"]
        speed = metric(f"export_{fmt}_rows_per_s", rows / ours["seconds"], "rows/s", rows / raw["seconds"],
                       higher_is_better=True)
        rss = metric(f"export_{fmt}_peak_rss", ours["peak_rss_mb"], "MB", raw["peak_rss_mb"])
        # Wall time is what a user waits; CPU time is the same comparison with other load on the machine.
        speed |= {"rows": rows, "seconds": round(ours["seconds"], 2), "baseline_seconds": round(raw["seconds"], 2),
                  "cpu_seconds": round(ours["cpu_seconds"], 2), "baseline_cpu_seconds": round(raw["cpu_seconds"], 2),
                  "cpu_ratio": round(raw["cpu_seconds"] / ours["cpu_seconds"], 3), "target": "ratio >= 0.5"}
        rss |= {"rows": rows, "target": "value < 200 MB", "bytes": ours["bytes"]}
        out += [speed, rss]
    return out


def run(quick: bool = False) -> list[dict]:
    return measure(QUICK_ROWS if quick else FULL_ROWS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export_bench")
    parser.add_argument("--rows", type=int, default=FULL_ROWS)
    parser.add_argument("--format", choices=("xlsx", "csv"), help="only this format")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.rows, args.out)), flush=True)
        return 0
    for result in measure(args.rows, (args.format,) if args.format else ("xlsx", "csv")):
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
