"""Catalogue, stock on hand, stock movements and reservations."""

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class TaxRate(Base):
    __tablename__ = "tax_rates"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    rate_bp: Mapped[int] = mapped_column(Integer)  # basis points: 2000 = 20.00 %


class Category(Base):
    __tablename__ = "categories"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Product(Base):
    __tablename__ = "products"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    category_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"), index=True)
    unit: Mapped[str] = mapped_column(String(4), default="each")  # each | kg
    price: Mapped[int] = mapped_column(Integer)  # minor units, listed basis
    cost: Mapped[int | None] = mapped_column(Integer, nullable=True)  # minor units; None unknown, 0 free
    tax_code: Mapped[str] = mapped_column(ForeignKey("tax_rates.code"))
    allow_negative_stock: Mapped[bool] = mapped_column(Boolean, default=False)
    reorder_level_milli: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: the store default
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[str] = mapped_column(String(32))


class Barcode(Base):
    __tablename__ = "barcodes"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)


class Stock(Base):
    __tablename__ = "stock"
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), primary_key=True)
    on_hand_milli: Mapped[int] = mapped_column(Integer, default=0)


class StockMovement(Base):
    """Insert-only history of stock changes; `stock.on_hand_milli` is kept in step with it."""

    __tablename__ = "stock_movements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    delta_milli: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))  # sale | refund | adjust | import
    ref_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[str] = mapped_column(String(32))


class StockReservation(Base):
    __tablename__ = "stock_reservations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    cart_line_id: Mapped[str] = mapped_column(String(36), index=True)
    cart_id: Mapped[str] = mapped_column(String(36), index=True)
    qty_milli: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # ACTIVE | COMMITTED | RELEASED
    created_at: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[str] = mapped_column(String(32))
    released_at: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (Index("ix_reservations_product_status", "product_id", "status"),)

