"""Shifts, their closing counts, cash movements and no-sale drawer openings."""

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class Shift(Base):
    """The one mutable shift record (status moves ACTIVE -> CLOSED); its close is insert-only."""

    __tablename__ = "shifts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), index=True)  # ACTIVE | SUSPENDED | CLOSED
    business_date: Mapped[str] = mapped_column(String(10), index=True)
    opened_at: Mapped[str] = mapped_column(String(32))
    opening_float: Mapped[int] = mapped_column(Integer)
    open_counter: Mapped[int] = mapped_column(Integer)
    audit_seq: Mapped[int] = mapped_column(Integer)


class ShiftClose(Base):
    __tablename__ = "shift_closes"
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), primary_key=True)
    closed_at: Mapped[str] = mapped_column(String(32))
    closed_by: Mapped[str] = mapped_column(String(40))
    expected_cash: Mapped[int] = mapped_column(Integer)
    counted_cash: Mapped[int] = mapped_column(Integer)
    difference: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    audit_seq: Mapped[int] = mapped_column(Integer, unique=True)


class CashMovement(Base):
    __tablename__ = "cash_movements"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), index=True)
    business_date: Mapped[str] = mapped_column(String(10), index=True)
    kind: Mapped[str] = mapped_column(String(4))  # in | out
    amount: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(32))
    audit_seq: Mapped[int] = mapped_column(Integer, unique=True)


class DrawerOpening(Base):
    __tablename__ = "drawer_openings"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), index=True)
    business_date: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(32))
    audit_seq: Mapped[int] = mapped_column(Integer, unique=True)
