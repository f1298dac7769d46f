"""Changing a till's file behind the application's back, as someone with the file would: plain
sqlite3, the append-only triggers dropped first. And verifying it afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.audit.verify import VerifyReport
from app.bootstrap import DB_NAME, open_till
from app.usecases import audit
from kernel.clock import ManualClock
from tests.support.till import START


def drop_guards(con: sqlite3.Connection) -> None:
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_%'"):
        con.execute(f'DROP TRIGGER "{name}"')


def tamper(data_dir: Path, *statements: str, params: tuple = ()) -> None:
    """Run `statements` (each with `params`) on the file with every append-only trigger dropped."""
    con = sqlite3.connect(data_dir / DB_NAME)
    drop_guards(con)
    for statement in statements:
        con.execute(statement, params)
    con.commit()
    con.close()


def verify(data_dir: Path) -> VerifyReport:
    ctx = open_till(data_dir, clock=ManualClock(START))
    try:
        return audit.verify(ctx)
    finally:
        ctx.close()


# Finalised tables whose rows name the entry that wrote them.
_BY_SEQ = ("sales", "sale_voids", "refunds", "cash_movements", "drawer_openings", "shift_closes", "discrepancies",
           "discrepancy_resolutions", "z_reports", "customer_ledger", "shifts")
TRACES = ("receipt_counters", "carts", "print_jobs", "sync_marks", "shifts")


def cut_tail(data_dir: Path, after: int, *, leave: tuple[str, ...] = ()) -> None:
    """Cut the log after entry `after` as an attacker who knows the schema would: the entries, every
    record they wrote and the children of those records, the shift reopened, plus each local trace
    in TRACES not named in `leave` made to agree with the shorter log."""
    con = sqlite3.connect(data_dir / DB_NAME)
    drop_guards(con)
    con.execute("DELETE FROM audit_log WHERE seq > ?", (after,))
    con.execute("DELETE FROM stock_movements WHERE id IN (SELECT movement_id FROM stock_movement_entries "
                "WHERE audit_seq > ?)", (after,))
    con.execute("DELETE FROM stock_movement_entries WHERE audit_seq > ?", (after,))
    con.execute("DELETE FROM checkpoint_witnesses WHERE entry_seq > ?", (after,))
    for table in _BY_SEQ if "shifts" not in leave else _BY_SEQ[:-1]:
        con.execute(f"DELETE FROM {table} WHERE audit_seq > ?", (after,))
    for child, parent, key in (("sale_lines", "sales", "sale_id"), ("sale_payments", "sales", "sale_id"),
                               ("refund_lines", "refunds", "refund_id"), ("refund_payments", "refunds", "refund_id")):
        con.execute(f"DELETE FROM {child} WHERE {key} NOT IN (SELECT id FROM {parent})")
    con.execute("DELETE FROM cash_counts WHERE (kind = 'close' AND shift_id NOT IN (SELECT shift_id FROM "
                "shift_closes)) OR shift_id NOT IN (SELECT id FROM shifts)")
    con.execute("UPDATE shifts SET status = 'ACTIVE' WHERE id NOT IN (SELECT shift_id FROM shift_closes)")
    if "receipt_counters" not in leave:
        last: dict[str, int] = {}
        for (number,) in con.execute("SELECT receipt_no FROM sales UNION ALL SELECT receipt_no FROM refunds"):
            day = number.split("-")[2]
            key = f"{day[:4]}-{day[4:6]}-{day[6:]}"
            last[key] = max(last.get(key, 0), int(number.split("-")[3]))
        con.execute("DELETE FROM receipt_counters")
        con.executemany("INSERT INTO receipt_counters VALUES (?, ?)", sorted(last.items()))
    if "carts" not in leave:
        con.execute("DELETE FROM stock_reservations WHERE cart_id IN (SELECT id FROM carts WHERE "
                    "shift_id NOT IN (SELECT id FROM shifts) OR (sale_id IS NOT NULL AND sale_id NOT IN "
                    "(SELECT id FROM sales)))")
        for table in ("cart_lines", "cart_payments"):
            con.execute(f"DELETE FROM {table} WHERE cart_id IN (SELECT id FROM carts WHERE shift_id NOT IN "
                        "(SELECT id FROM shifts) OR (sale_id IS NOT NULL AND sale_id NOT IN (SELECT id FROM sales)))")
        con.execute("DELETE FROM carts WHERE shift_id NOT IN (SELECT id FROM shifts) OR (sale_id IS NOT NULL "
                    "AND sale_id NOT IN (SELECT id FROM sales))")
    if "print_jobs" not in leave:
        con.execute("DELETE FROM print_jobs")
    if "sync_marks" not in leave:
        con.execute("UPDATE sync_state SET value = ? WHERE key IN ('pushed_seq', 'recheck_seq') "
                    "AND CAST(value AS INTEGER) > ?", (str(after), after))
        con.execute("UPDATE stock_central SET counted_seq = ? WHERE counted_seq > ?", (after, after))
        con.execute("UPDATE customer_counted SET counted_seq = ? WHERE counted_seq > ?", (after, after))
    con.commit()
    con.close()
