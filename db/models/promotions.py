"""Promotions and price lists the till prices carts with (a file's or head office's)."""

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class PromotionRow(Base):
    __tablename__ = "promotions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(12))
    rule: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(4))
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    stamp: Mapped[int] = mapped_column(Integer, index=True)  # ix_promotions_stamp
