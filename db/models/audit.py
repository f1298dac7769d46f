"""The hash-chained audit log and the sync outbox."""

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class AuditEntry(Base):
    """One entry of format v1. `body` holds the exact canonical bytes that were hashed;
    the other columns are copies kept for queries and are not trusted by `audit verify`."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[str] = mapped_column(String(32))
    type: Mapped[str] = mapped_column(String(40), index=True)
    actor: Mapped[str | None] = mapped_column(String(40))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    prev: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class OutboxRow(Base):
    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    audit_seq: Mapped[int] = mapped_column(ForeignKey("audit_log.seq"), unique=True)
    topic: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(32))
