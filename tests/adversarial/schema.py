"""The finalised tables as the SQLite schema shows them, and the entry behind a row of each."""

from __future__ import annotations

import sqlite3
from typing import Any

# How to find the entry a row of each finalised table belongs to (SQL over the row's rowid).
ENTRY_OF_ROW = {
    "audit_log": "SELECT seq FROM audit_log WHERE rowid = ?",
    "sale_lines": "SELECT s.audit_seq FROM sale_lines c JOIN sales s ON s.id = c.sale_id WHERE c.rowid = ?",
    "sale_payments": "SELECT s.audit_seq FROM sale_payments c JOIN sales s ON s.id = c.sale_id WHERE c.rowid = ?",
    "refund_lines": "SELECT r.audit_seq FROM refund_lines c JOIN refunds r ON r.id = c.refund_id WHERE c.rowid = ?",
    "refund_payments": "SELECT r.audit_seq FROM refund_payments c JOIN refunds r ON r.id = c.refund_id "
                       "WHERE c.rowid = ?",
    "stock_movements": "SELECT e.audit_seq FROM stock_movements m JOIN stock_movement_entries e "
                       "ON e.movement_id = m.id WHERE m.rowid = ?",
    "cash_counts": "SELECT CASE c.kind WHEN 'open' THEN s.audit_seq ELSE x.audit_seq END FROM cash_counts c "
                   "JOIN shifts s ON s.id = c.shift_id LEFT JOIN shift_closes x ON x.shift_id = c.shift_id "
                   "WHERE c.rowid = ?",
}
# Which row to change: one with an entry behind it and, where there is one, a value in the column.
ROW_FILTER = {
    "stock_movements": "id IN (SELECT movement_id FROM stock_movement_entries)",
    "audit_log": "type = 'sale.completed'",
}


def finalised_tables(con: sqlite3.Connection) -> list[str]:
    """Tables with an audit_seq, append-only tables, and the log itself."""
    tables = [name for (name,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    with_seq = {t for t in tables if any(col[1] == "audit_seq" for col in con.execute(f'PRAGMA table_info("{t}")'))}
    append_only = {name.removesuffix("_no_update") for (name,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_no\\_update' ESCAPE '\\'")}
    return sorted(with_seq | append_only | {"audit_log"})


def entry_of_row(con: sqlite3.Connection, table: str, rowid: int) -> Any:
    """The seq of the entry that created this row (for a child row: its parent's)."""
    sql = ENTRY_OF_ROW.get(table, f'SELECT audit_seq FROM "{table}" WHERE rowid = ?')
    return con.execute(sql, (rowid,)).fetchone()[0]
