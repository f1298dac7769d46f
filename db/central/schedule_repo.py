"""SQL of scheduled exports and head office's mail queue (central revision 0013_export_schedules)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.types.json import Jsonb


@dataclass(frozen=True)
class Schedule:
    name: str
    kind: str
    format: str
    range: str | None
    filters: dict[str, Any]
    stores: list[str] | None
    recipients: list[str]
    created_by: str


@dataclass(frozen=True)
class QueuedMail:
    id: str
    recipients: list[str]
    subject: str
    body: str
    attachment_name: str | None
    attachment: bytes | None
    attempts: int


_COLUMNS = "name, kind, format, range, filters, stores, recipients, created_by"


def add(conn: psycopg.Connection, s: Schedule) -> bool:
    """False when a schedule of that name exists (nothing is replaced)."""
    row = conn.execute(
        f"INSERT INTO export_schedules ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (name) DO NOTHING RETURNING name",
        (s.name, s.kind, s.format, s.range, Jsonb(s.filters), s.stores, s.recipients, s.created_by)).fetchone()
    return row is not None


def remove(conn: psycopg.Connection, name: str) -> bool:
    return conn.execute("DELETE FROM export_schedules WHERE name = %s RETURNING name", (name,)).fetchone() is not None


def schedules(conn: psycopg.Connection, name: str | None = None) -> list[Schedule]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM export_schedules WHERE %s::text IS NULL OR name = %s ORDER BY name",
                        (name, name)).fetchall()
    return [Schedule(r[0], r[1], r[2], r[3], dict(r[4]), list(r[5]) if r[5] is not None else None, list(r[6]), r[7])
            for r in rows]


def enqueue(conn: psycopg.Connection, *, id: str, schedule: str | None, recipients: Sequence[str], subject: str,
            body: str, attachment_name: str, attachment: bytes, sha256: str) -> None:
    conn.execute(
        "INSERT INTO hq_mail_queue (id, schedule, recipients, subject, body, attachment_name, attachment, "
        "attachment_sha256) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (id, schedule, ",".join(recipients), subject, body, attachment_name, attachment, sha256))


def pending(conn: psycopg.Connection) -> list[QueuedMail]:
    rows = conn.execute("SELECT id, recipients, subject, body, attachment_name, attachment, attempts "
                        "FROM hq_mail_queue WHERE sent_at IS NULL ORDER BY created_at, id").fetchall()
    return [QueuedMail(r[0], r[1].split(","), r[2], r[3], r[4], bytes(r[5]) if r[5] is not None else None, r[6])
            for r in rows]


def mark(conn: psycopg.Connection, mail_id: str, error: str | None) -> None:
    """One attempt more; sent (its attachment dropped) when there was no error."""
    if error is None:
        conn.execute("UPDATE hq_mail_queue SET attempts = attempts + 1, last_error = NULL, sent_at = now(), "
                     "attachment = NULL WHERE id = %s", (mail_id,))
    else:
        conn.execute("UPDATE hq_mail_queue SET attempts = attempts + 1, last_error = %s WHERE id = %s",
                     (error[:500], mail_id))
