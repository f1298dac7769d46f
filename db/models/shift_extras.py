"""Cash counts by denomination, discrepancies and their resolutions, Z reports, the mail queue.

Counts, discrepancies, resolutions and Z reports are insert-only (a resolution is a new row,
never an edit of the discrepancy), so the audit chain can vouch for them. The mail queue is the
one mutable table here: a message's delivery state changes until it is sent.
"""

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class CashCount(Base):
    """One denomination line of a drawer count (opening float or closing count) of a shift."""

    __tablename__ = "cash_counts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # open | close
    denomination: Mapped[int] = mapped_column(Integer)  # minor units
    quantity: Mapped[int] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("shift_id", "kind", "denomination", name="uq_cash_counts_line"),)


class Discrepancy(Base):
    __tablename__ = "discrepancies"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), index=True)
    business_date: Mapped[str] = mapped_column(String(10), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # CASH_OVER CASH_SHORT VOID_ANOMALY REFUND_ANOMALY
    amount: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text)
    detected_at: Mapped[str] = mapped_column(String(32))
    audit_seq: Mapped[int] = mapped_column(Integer, unique=True)


class DiscrepancyResolution(Base):
    __tablename__ = "discrepancy_resolutions"
    discrepancy_id: Mapped[str] = mapped_column(ForeignKey("discrepancies.id"), primary_key=True)
    resolved_by: Mapped[str] = mapped_column(String(40))
    resolved_at: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text)
    audit_seq: Mapped[int] = mapped_column(Integer, unique=True)


class ZReport(Base):
    """The daily report as it was when the day was closed; later prints are marked copies."""

    __tablename__ = "z_reports"
    business_date: Mapped[str] = mapped_column(String(10), primary_key=True)
    business_counter: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str | None] = mapped_column(String(40))
    report_json: Mapped[str] = mapped_column(Text)
    checkpoint_root: Mapped[str] = mapped_column(String(64))
    audit_seq: Mapped[int] = mapped_column(Integer, unique=True)


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
