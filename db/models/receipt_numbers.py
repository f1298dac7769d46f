"""The gap-free receipt number sequence, one per business date."""

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class ReceiptCounter(Base):
    """Last receipt number used per business date; bumped only inside a completing transaction."""

    __tablename__ = "receipt_counters"
    business_date: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_no: Mapped[int] = mapped_column(Integer)
