"""What the head-office web console reads (and its own users and sessions), all parameterised.

The console runs these under the `tillstone_console` role (migration 0007_web_users): reads of
till data, writes only to web_users and web_sessions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg

CONSOLE_ROLE = "tillstone_console"
EXPORT_ROLE = "tillstone_console_export"  # the download buttons: the console's reads, appends to hq_audit


def use_console_role(conn: psycopg.Connection) -> None:
    """Every statement after this runs with the console's grants, not the connecting login's."""
    conn.execute(f"SET ROLE {CONSOLE_ROLE}")


def use_export_role(conn: psycopg.Connection) -> None:
    """For a download only: the console's reads plus the `export.created` entry (0013_export_schedules)."""
    conn.execute(f"SET ROLE {EXPORT_ROLE}")


# -- web users and sessions -------------------------------------------------------------------
def add_user(conn: psycopg.Connection, name: str, role: str, password_hash: str) -> int:
    row = conn.execute("INSERT INTO web_users (name, role, password_hash) VALUES (%s, %s, %s) RETURNING id",
                       (name, role, password_hash)).fetchone()
    assert row is not None
    return int(row[0])


def user_exists(conn: psycopg.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM web_users WHERE name = %s", (name,)).fetchone() is not None


def user_for_login(conn: psycopg.Connection, name: str) -> dict[str, Any] | None:
    """The user's row, locked for the login attempt so concurrent failures all count."""
    row = conn.execute(
        """SELECT id, name, role, password_hash, active, failed_logins, locked_until > now()
           FROM web_users WHERE name = %s FOR UPDATE""", (name,)).fetchone()
    if row is None:
        return None
    keys = ("id", "name", "role", "password_hash", "active", "failed_logins", "locked")
    return dict(zip(keys, row, strict=True))


def record_failure(conn: psycopg.Connection, user_id: int, max_failures: int, lock_minutes: int) -> None:
    conn.execute(
        """UPDATE web_users SET failed_logins = failed_logins + 1,
                  locked_until = CASE WHEN failed_logins + 1 >= %s THEN now() + make_interval(mins => %s)
                                      ELSE locked_until END
           WHERE id = %s""", (max_failures, lock_minutes, user_id))


def record_success(conn: psycopg.Connection, user_id: int, password_hash: str | None) -> None:
    conn.execute("UPDATE web_users SET failed_logins = 0, locked_until = NULL, "
                 "password_hash = coalesce(%s, password_hash) WHERE id = %s", (password_hash, user_id))


def add_session(conn: psycopg.Connection, token_hash: str, user_id: int, csrf: str, hours: int) -> None:
    conn.execute("DELETE FROM web_sessions WHERE expires_at < now()")
    conn.execute("INSERT INTO web_sessions (token_hash, user_id, csrf, expires_at) "
                 "VALUES (%s, %s, %s, now() + make_interval(hours => %s))", (token_hash, user_id, csrf, hours))


def session(conn: psycopg.Connection, token_hash: str) -> dict[str, Any] | None:
    row = conn.execute(
        """SELECT u.id, u.name, u.role, s.csrf FROM web_sessions s JOIN web_users u ON u.id = s.user_id
           WHERE s.token_hash = %s AND s.expires_at > now() AND u.active""", (token_hash,)).fetchone()
    return None if row is None else dict(zip(("id", "name", "role", "csrf"), row, strict=True))


def drop_session(conn: psycopg.Connection, token_hash: str) -> None:
    conn.execute("DELETE FROM web_sessions WHERE token_hash = %s", (token_hash,))


def list_users(conn: psycopg.Connection) -> list[tuple[Any, ...]]:
    return conn.execute("SELECT name, role, active, failed_logins, locked_until FROM web_users ORDER BY name"
                        ).fetchall()


# -- tills ------------------------------------------------------------------------------------
def till_sync(conn: psycopg.Connection) -> dict[str, dict[str, Any]]:
    """Per enrolled till: store, enrolment, last push (server time), last import, what is waiting."""
    rows = conn.execute(
        """SELECT t.till, t.store_id, t.enrolled_at,
                  (SELECT max(b.server_time) FROM sync_batches b WHERE b.till = t.till),
                  cs.last_import, coalesce(cs.accepted_seq, 0),
                  coalesce((SELECT max(r.seq) FROM raw_entries r WHERE r.till = t.till), 0),
                  (SELECT count(*) FROM quarantine q WHERE q.till = t.till)
           FROM tills t LEFT JOIN chain_state cs USING (till) ORDER BY t.store_id, t.till""").fetchall()
    keys = ("till", "store", "enrolled_at", "last_sync", "last_import", "accepted_seq", "pushed_seq", "quarantined")
    return {r[0]: dict(zip(keys, r, strict=True)) for r in rows}


def problem_kinds(conn: psycopg.Connection) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for till, kind in conn.execute("SELECT DISTINCT till, kind FROM problems"):
        out.setdefault(till, set()).add(kind)
    return out


# -- days -------------------------------------------------------------------------------------
def store_days(conn: psycopg.Connection, limit: int, offset: int) -> tuple[list[tuple[str, date]], int]:
    """(store, business date) pairs with anything consolidated, newest first, and how many there are."""
    days = """SELECT DISTINCT store_id, business_date FROM (
                  SELECT store_id, business_date FROM shift_events UNION ALL
                  SELECT store_id, business_date FROM sales_docs UNION ALL
                  SELECT store_id, business_date FROM cash_events) d"""
    total = conn.execute(f"SELECT count(*) FROM ({days}) x").fetchone()
    rows = conn.execute(f"{days} ORDER BY business_date DESC, store_id LIMIT %s OFFSET %s", (limit, offset))
    return [(r[0], r[1]) for r in rows], int(total[0] if total else 0)


def till_days(conn: psycopg.Connection, store: str, day: date) -> list[tuple[Any, ...]]:
    """Per till of the store on the day: shifts opened, shifts closed, sales, their gross."""
    return conn.execute(
        """SELECT t.till,
                  (SELECT count(*) FROM shift_events e WHERE e.till = t.till AND e.business_date = %(d)s
                     AND e.event = 'opened'),
                  (SELECT count(*) FROM shift_events e WHERE e.till = t.till AND e.business_date = %(d)s
                     AND e.event = 'closed'),
                  (SELECT count(*) FROM sales_docs s WHERE s.till = t.till AND s.business_date = %(d)s
                     AND s.doc_kind = 'sale'),
                  (SELECT coalesce(sum(s.gross), 0) FROM sales_docs s WHERE s.till = t.till
                     AND s.business_date = %(d)s AND s.doc_kind = 'sale')
           FROM tills t WHERE t.store_id = %(s)s ORDER BY 1""", {"s": store, "d": day}).fetchall()


# -- sales ------------------------------------------------------------------------------------
_ACTOR = "(convert_from(r.body, 'UTF8')::jsonb ->> 'actor')"
SALES_FROM = f"""
    FROM sales_docs s
    JOIN accepted_entries a ON a.till = s.till AND a.seq = s.seq
    JOIN raw_entries r ON r.till = a.till AND r.seq = a.seq AND r.hash = a.hash
    WHERE s.business_date BETWEEN %(start)s AND %(end)s
      AND (%(till)s::text IS NULL OR s.till = %(till)s)
      AND (%(store)s::text IS NULL OR s.store_id = %(store)s)
      AND (%(cashier)s::text IS NULL OR {_ACTOR} = %(cashier)s)
"""


def sales(conn: psycopg.Connection, filters: dict[str, Any], limit: int, offset: int
          ) -> tuple[list[tuple[Any, ...]], int]:
    """Sales, refunds and voids in the filter, newest first; the cashier is the entry's actor."""
    total = conn.execute(f"SELECT count(*) {SALES_FROM}", filters).fetchone()
    rows = conn.execute(
        f"""SELECT s.business_date, s.store_id, s.till, s.doc_kind, s.receipt_no, {_ACTOR}, s.ts, s.net, s.tax,
                   s.gross {SALES_FROM} ORDER BY s.business_date DESC, s.ts DESC, s.till LIMIT %(limit)s
                   OFFSET %(offset)s""", {**filters, "limit": limit, "offset": offset}).fetchall()
    return rows, int(total[0] if total else 0)


def till_ids(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT till FROM tills ORDER BY 1")]


# -- discrepancies and anomalies --------------------------------------------------------------
ANOMALIES = """
    SELECT t.store_id, p.till, 'problem:' || p.kind, p.seq, p.detail, p.detected_at
      FROM problems p JOIN tills t USING (till)
    UNION ALL
    SELECT t.store_id, q.till, 'quarantine:' || q.stage, q.seq, q.reason, q.detected_at
      FROM quarantine q JOIN tills t USING (till)
    UNION ALL
    SELECT e.store_id, e.till, 'cash_difference', e.seq, 'shift ' || e.shift_id || ': counted ' || e.counted_cash
           || ', expected ' || e.expected_cash || ', difference ' || e.difference, e.ts
      FROM shift_events e WHERE e.event = 'closed' AND e.difference <> 0
    UNION ALL
    SELECT t.store_id, a.till, a.type, a.seq, coalesce(convert_from(r.body, 'UTF8')::jsonb -> 'data' ->> 'kind', '')
           || ' ' || coalesce(convert_from(r.body, 'UTF8')::jsonb -> 'data' ->> 'amount', '')
           || ' ' || coalesce(convert_from(r.body, 'UTF8')::jsonb -> 'data' ->> 'detail', ''), a.ts
      FROM accepted_entries a JOIN tills t USING (till)
      JOIN raw_entries r ON r.till = a.till AND r.seq = a.seq AND r.hash = a.hash
     WHERE a.type LIKE 'discrepancy.%%'
"""


def anomalies(conn: psycopg.Connection, store: str | None, limit: int, offset: int
              ) -> tuple[list[tuple[Any, ...]], int]:
    p = {"store": store, "limit": limit, "offset": offset}
    where = "WHERE (%(store)s::text IS NULL OR x.store_id = %(store)s)"
    total = conn.execute(f"SELECT count(*) FROM ({ANOMALIES}) x {where}", p).fetchone()
    rows = conn.execute(f"SELECT * FROM ({ANOMALIES}) x {where} ORDER BY 6 DESC, 2, 4 LIMIT %(limit)s "
                        "OFFSET %(offset)s", p).fetchall()
    return rows, int(total[0] if total else 0)
