"""The print spool: every receipt and report waits here until the printer confirmed it.

Kept in the till database so a job survives a crash, a power cut or a printer that is off for
hours; the device worker sends jobs in id order.
"""

from sqlalchemy import Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class PrintJob(Base):
    __tablename__ = "print_jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[str] = mapped_column(String(27))
    kind: Mapped[str] = mapped_column(String(16))  # receipt | reprint | report | test
    ref: Mapped[str] = mapped_column(String(80), default="")  # receipt number or report title
    body: Mapped[bytes] = mapped_column(LargeBinary)
    kick: Mapped[bytes] = mapped_column(LargeBinary, default=b"")  # drawer pulse, sent at most once
    kick_deadline: Mapped[str | None] = mapped_column(String(27), nullable=True)
    kick_done: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(12), default="pending")  # pending | done | cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    body_written: Mapped[int] = mapped_column(Integer, default=0)  # full writes not yet confirmed
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    done_at: Mapped[str | None] = mapped_column(String(27), nullable=True)

    __table_args__ = (Index("ix_print_jobs_state_id", "state", "id"),)
