"""Till settings and the gap-free receipt counters."""

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReceiptCounter(Base):
    """Last receipt number used per business date; bumped only inside a completing transaction."""

    __tablename__ = "receipt_counters"
    business_date: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_no: Mapped[int] = mapped_column(Integer)
