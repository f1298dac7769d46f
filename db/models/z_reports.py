"""Z reports: the daily report frozen when the business day was closed, with its business counter.

Insert-only, so the audit chain can vouch for them; later prints are marked copies.
"""

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


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
