"""The outgoing mail queue (table of db/models/mail_queue.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from db.models.base import table
from db.models.mail_queue import MailMessage

MAIL = table(MailMessage)


class MailQueueRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def enqueue(self, **values: Any) -> None:
        self.conn.execute(insert(MAIL).values(attempts=0, **values))

    def pending(self) -> list[Any]:
        """Messages not sent yet, oldest first."""
        return list(self.conn.execute(select(MAIL).where(MAIL.c.sent_at.is_(None)).order_by(MAIL.c.created_at)))

    def mark(self, mail_id: str, *, sent_at: str | None, error: str | None) -> None:
        """Count one delivery attempt: sent (sent_at) or refused (error)."""
        self.conn.execute(update(MAIL).where(MAIL.c.id == mail_id)
                          .values(attempts=MAIL.c.attempts + 1, sent_at=sent_at, last_error=error))
