"""Discrepancies of a shift and their resolutions.

Both are insert-only (a resolution is a new row, never an edit of the discrepancy), so the
audit chain can vouch for them.
"""

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


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
