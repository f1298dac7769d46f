"""The audit export of a till whose log holds N entries (scans and sales of a busy till), to CSV,
against a raw loop in the same run: sqlite3 reading the same rows, json parsing the bodies and
the csv module writing the same 14 cells (local time, indented JSON). Ours also verifies the
chain and counts a Summary first (two passes), so its share of the verify is measured alone too.
Each run is a fresh process, so its peak RSS is its own.

    python3 -m bench.audit_export_bench [--entries N]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.timing import metric

FULL_ENTRIES = 200_000
MODES = ("ours-csv", "raw-csv", "verify")


def build(data_dir: Path, entries: int) -> None:
    """A till with `entries` entries: every tenth a refused refund of 9 items (a body the size of a
sale's; no record, so the chain verifies without one), the rest scans."""
    from app.bootstrap import init_till
    from kernel.clock import ManualClock

    clock = ManualClock(datetime(2026, 1, 5, 7, 0, tzinfo=UTC))
    ctx = init_till(data_dir, store="S001", till="T01", clock=clock, timezone="Europe/Berlin")
    line = {"sku": "MILK1", "name": "Milk 1L", "qty": "1.000", "unit_price": "1.19", "discount": "0.00",
            "subtotal_share": "0.00", "net": "1.08", "tax": "0.11", "gross": "1.19", "tax_code": "B"}
    with ctx.uow() as uow:
        for i in range(entries):
            clock.advance(seconds=3)
            if i % 10 == 9:
                uow.audit.append(ts=ctx.now_iso(), type_="refund.rejected", actor="anna", data={
                    "sale_id": f"s{i}", "receipt_no": f"S001-T01-20260105-{i:06d}", "to": "cash", "items":
                    [{"sale_line_id": f"s{i}:{n}", "qty": "1.000", **line} for n in range(9)],
                    "reason": "More than was sold cannot come back."})
            else:
                uow.audit.append(ts=ctx.now_iso(), type_="cart.line_added", actor="anna", data={
                    "cart_id": "c", "line_id": f"l{i}", "sku": "MILK1", "qty": "1.000", "unit_price": "1.19"})
        uow.commit()
    ctx.close()


def _ours(data_dir: Path, out: Path) -> None:
    from app.bootstrap import open_till
    from app.usecases import exports as till_exports

    ctx = open_till(data_dir)
    till_exports.export(ctx, "audit", "csv", out, {})
    ctx.close()


def _raw(data_dir: Path, out: Path) -> None:
    zone = ZoneInfo("Europe/Berlin")
    con = sqlite3.connect(data_dir / "till.sqlite")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf, \
            zf.open("Audit Log.csv", "w") as raw:
        import io

        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(["Till", "Seq", "Time (UTC)", "Local time", "Time zone", "Type", "User", "User name",
                         "Approved by", "Sale / receipt", "Customer", "Description", "Data", "Hash"])
        for seq, body, digest in con.execute("SELECT seq, body, hash FROM audit_log ORDER BY seq"):
            e = json.loads(body)
            ts = datetime.fromisoformat(e["ts"].replace("Z", "+00:00"))
            d = e["data"]
            writer.writerow([e["till"], seq, ts.strftime("%Y-%m-%d %H:%M:%S"),
                             ts.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"), "Europe/Berlin", e["type"],
                             e["actor"], e["actor"], d.get("approved_by"), d.get("receipt_no"), d.get("customer_id"),
                             e["type"], json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False), digest])
        text.flush()
        text.detach()
    con.close()


def _verify(data_dir: Path) -> None:
    from app.bootstrap import open_till
    from app.usecases import audit

    ctx = open_till(data_dir)
    ok = audit.verify(ctx).ok
    ctx.close()
    if not ok:
        raise SystemExit("the bench till's chain does not verify")


def child(mode: str, data_dir: Path, out: Path) -> dict:
    start = time.perf_counter()
    if mode == "raw-csv":
        _raw(data_dir, out)
    elif mode == "verify":
        _verify(data_dir)
    else:
        _ours(data_dir, out)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "seconds": seconds, "peak_rss_mb": rss}


def measure(entries: int) -> list[dict]:
    """One after another (the verify reads the same file the export does)."""
    with tempfile.TemporaryDirectory(prefix="audit-bench-") as tmp:
        data_dir = Path(tmp) / "till"
        build(data_dir, entries)
        got = {}
        for mode in MODES:
            out = Path(tmp) / f"{mode}.zip"
            proc = subprocess.run([sys.executable, "-m", "bench.audit_export_bench", "--child", mode, "--data-dir",
                                   str(data_dir), "--out", str(out)], capture_output=True, text=True, check=True)
            got[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
    ours, raw, verify = got["ours-csv"], got["raw-csv"], got["verify"]
    speed = metric("audit_export_csv_entries_per_s", entries / ours["seconds"], "entries/s",
                   entries / raw["seconds"], higher_is_better=True)
    speed |= {"entries": entries, "seconds": round(ours["seconds"], 2), "baseline_seconds": round(raw["seconds"], 2),
              "verify_seconds": round(verify["seconds"], 2),
              "without_verify_ratio": round(raw["seconds"] / max(ours["seconds"] - verify["seconds"], 1e-9), 3)}
    rss = metric("audit_export_csv_peak_rss", ours["peak_rss_mb"], "MB", raw["peak_rss_mb"]) | {"entries": entries}
    return [speed, rss]


def run(quick: bool = False) -> list[dict]:
    return measure(20_000 if quick else FULL_ENTRIES)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=FULL_ENTRIES)
    parser.add_argument("--child")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.data_dir, args.out)))
    else:
        for result in measure(args.entries):
            print(json.dumps(result))
