"""The outgoing mail queue: a message is stored before it is sent, and stays until it is.

Mutable on purpose: a message's delivery state changes until it is sent.
"""

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class MailMessage(Base):
    __tablename__ = "mail_queue"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    recipients: Mapped[str] = mapped_column(Text)  # comma-separated
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[str | None] = mapped_column(String(32), index=True)
