"""Drawer counts by denomination: the opening float and the closing count of each shift.

Insert-only, so the audit chain can vouch for them.
"""

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
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
