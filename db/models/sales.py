"""Carts (mutable, until they complete) and the finalised, insert-only sale records."""

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class Cart(Base):
    __tablename__ = "carts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), index=True)  # DRAFT PENDING PARTIAL COMPLETED CANCELLED
    parked: Mapped[bool] = mapped_column(default=False)
    label: Mapped[str | None] = mapped_column(String(80))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    shift_id: Mapped[str | None] = mapped_column(String(36), index=True)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"))
    subtotal_discount_percent: Mapped[str] = mapped_column(String(8), default="0")
    subtotal_discount_amount: Mapped[int] = mapped_column(Integer, default=0)
    sale_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[str] = mapped_column(String(32))
    first_scan_at: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class CartLine(Base):
    __tablename__ = "cart_lines"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    cart_id: Mapped[str] = mapped_column(ForeignKey("carts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(4))
    qty_milli: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    price_overridden: Mapped[bool] = mapped_column(default=False)
    tax_code: Mapped[str] = mapped_column(String(8))
    tax_rate_bp: Mapped[int] = mapped_column(Integer)
    discount_percent: Mapped[str] = mapped_column(String(8), default="0")
    discount_amount: Mapped[int] = mapped_column(Integer, default=0)


class CartPayment(Base):
    __tablename__ = "cart_payments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    cart_id: Mapped[str] = mapped_column(ForeignKey("carts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(10))
    amount: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str | None] = mapped_column(String(80))


class Sale(Base):
    __tablename__ = "sales"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    business_date: Mapped[str] = mapped_column(String(10), index=True)
    shift_id: Mapped[str] = mapped_column(String(36), index=True)
    user_id: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[str | None] = mapped_column(String(40))
    completed_at: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[str | None] = mapped_column(String(32))
    line_discount: Mapped[int] = mapped_column(Integer)
    subtotal_discount: Mapped[int] = mapped_column(Integer)
    net: Mapped[int] = mapped_column(Integer)
    tax: Mapped[int] = mapped_column(Integer)
    rounding: Mapped[int] = mapped_column(Integer, default=0)
    gross: Mapped[int] = mapped_column(Integer)
    change: Mapped[int] = mapped_column(Integer)
    audit_seq: Mapped[int] = mapped_column(Integer, unique=True)


class SaleLine(Base):
    __tablename__ = "sale_lines"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    qty_milli: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    discount: Mapped[int] = mapped_column(Integer)
    subtotal_share: Mapped[int] = mapped_column(Integer)
    net: Mapped[int] = mapped_column(Integer)
    tax: Mapped[int] = mapped_column(Integer)
    gross: Mapped[int] = mapped_column(Integer)
    tax_code: Mapped[str] = mapped_column(String(8))
    tax_rate_bp: Mapped[int] = mapped_column(Integer)
    unit_cost: Mapped[int | None] = mapped_column(Integer, nullable=True)  # cost when sold; None unknown
    promotion_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    promotion_discount: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # part of discount


class SalePayment(Base):
    __tablename__ = "sale_payments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(10))
    amount: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str | None] = mapped_column(String(80))


class SaleVoid(Base):
    __tablename__ = "sale_voids"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), unique=True)
    shift_id: Mapped[str] = mapped_column(String(36))
    business_date: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[str] = mapped_column(String(40))
    approved_by: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))
    audit_seq: Mapped[int] = mapped_column(Integer, unique=True)


class Refund(Base):
    __tablename__ = "refunds"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    original_sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    business_date: Mapped[str] = mapped_column(String(10), index=True)
    shift_id: Mapped[str] = mapped_column(String(36), index=True)
    user_id: Mapped[str] = mapped_column(String(40))
    approved_by: Mapped[str] = mapped_column(String(40))
    net: Mapped[int] = mapped_column(Integer)
    tax: Mapped[int] = mapped_column(Integer)
    gross: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(32))
    audit_seq: Mapped[int] = mapped_column(Integer, unique=True)


class RefundLine(Base):
    __tablename__ = "refund_lines"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    refund_id: Mapped[str] = mapped_column(ForeignKey("refunds.id"), index=True)
    sale_line_id: Mapped[str] = mapped_column(ForeignKey("sale_lines.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    qty_milli: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    discount: Mapped[int] = mapped_column(Integer)
    subtotal_share: Mapped[int] = mapped_column(Integer)
    net: Mapped[int] = mapped_column(Integer)
    tax: Mapped[int] = mapped_column(Integer)
    gross: Mapped[int] = mapped_column(Integer)
    tax_code: Mapped[str] = mapped_column(String(8))
    unit_cost: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the sale line's
    __table_args__ = (UniqueConstraint("refund_id", "sale_line_id", name="uq_refund_lines_refund_line"),)


class RefundPayment(Base):
    __tablename__ = "refund_payments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    refund_id: Mapped[str] = mapped_column(ForeignKey("refunds.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(10))
    amount: Mapped[int] = mapped_column(Integer)
