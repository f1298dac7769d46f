"""What the web console's pages show, from the same checks the CLI runs (`hq verify`, `hq report`).

Pages are paged on the server: every list takes a page number and returns one page and the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import psycopg

from app.hq import report as hq_report
from app.hq.verify import verify_all
from db.central import console_repo, report_repo

PAGE_SIZE = 50
# a till's chain status, worst first: fork, bad_checkpoint, gap, clock_skew, problems, never_synced,
# verified (the page colours them)


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _status(kinds: set[str], issues: list[str], sync: dict[str, Any]) -> str:
    if "fork" in kinds:
        return "fork"
    if kinds & {"bad_checkpoint", "inconsistent_checkpoint", "chain_break"} or any("checkpoint" in i for i in issues):
        return "bad_checkpoint"
    if sync["pushed_seq"] > sync["accepted_seq"] or any("skips" in i or "not accepted" in i for i in issues):
        return "gap"
    if "clock_skew" in kinds:
        return "clock_skew"
    if issues:
        return "problems"
    return "never_synced" if sync["last_sync"] is None else "verified"


def tills(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Every enrolled till with its sync state and chain status (hq verify's findings)."""
    report = verify_all(conn)
    with conn.transaction():
        sync = console_repo.till_sync(conn)
        kinds = console_repo.problem_kinds(conn)
    out = []
    for till, row in sync.items():
        found = report["tills"].get(till, {"issues": []})
        out.append({**row, "backlog": row["pushed_seq"] - row["accepted_seq"], "issues": found["issues"],
                    "status": _status(kinds.get(till, set()), found["issues"], row)})
    return out


def days(conn: psycopg.Connection, page: int) -> Page:
    """Per store and business date: whether the day is complete, and its consolidated report."""
    with conn.transaction():
        pairs, total = console_repo.store_days(conn, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    rows = [day_summary(conn, store, day) for store, day in pairs]
    return Page(rows, page, total)


def day_summary(conn: psycopg.Connection, store: str, day: date) -> dict[str, Any]:
    """The daily report or why it is refused, each till's side (shifts, sales), and silent tills."""
    with conn.transaction():
        per_till = console_repo.till_days(conn, store, day)
        silent = report_repo.silent_tills(conn, store, day)
    try:
        report: dict[str, Any] | None = hq_report.daily(conn, store, day)
        reasons: list[str] = []
    except hq_report.ReportRefused as exc:
        report, reasons = None, exc.reasons
    return {
        "store": store, "day": day, "report": report, "reasons": reasons, "silent": silent,
        "complete": report is not None,
        "tills": [{"till": t, "opened": o, "closed": c, "sales": n, "gross": g} for t, o, c, n, g in per_till],
    }


def sales(conn: psycopg.Connection, start: date, end: date, till: str | None, store: str | None,
          cashier: str | None, page: int) -> Page:
    filters = {"start": start, "end": end, "till": till, "store": store, "cashier": cashier}
    with conn.transaction():
        rows, total = console_repo.sales(conn, filters, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    keys = ("business_date", "store", "till", "kind", "receipt_no", "cashier", "ts", "net", "tax", "gross")
    return Page([dict(zip(keys, r, strict=True)) for r in rows], page, total)


def till_ids(conn: psycopg.Connection) -> list[str]:
    with conn.transaction():
        return console_repo.till_ids(conn)


def stores(conn: psycopg.Connection) -> list[str]:
    with conn.transaction():
        return report_repo.stores(conn)


def anomalies(conn: psycopg.Connection, store: str | None, page: int) -> Page:
    """Integrity problems, quarantined entries, cash differences at shift close and the tills'
    own discrepancy entries, across stores, newest first."""
    with conn.transaction():
        rows, total = console_repo.anomalies(conn, store, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    keys = ("store", "till", "kind", "seq", "detail", "at")
    return Page([dict(zip(keys, r, strict=True)) for r in rows], page, total)


def users(conn: psycopg.Connection) -> list[dict[str, Any]]:
    with conn.transaction():
        rows = console_repo.list_users(conn)
    now = datetime.now().astimezone()
    return [{"name": n, "role": r, "active": a, "failed": f, "locked": bool(lu and lu > now)}
            for n, r, a, f, lu in rows]
