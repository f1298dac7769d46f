"""Users (with slow PIN hashes and lock-out state) and customers with their credit ledger."""

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(12))  # cashier | supervisor | admin
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    customer_type: Mapped[str] = mapped_column(String(10), default="retail")  # retail | wholesale
    credit_limit: Mapped[int] = mapped_column(Integer, default=0)
    terms_days: Mapped[int] = mapped_column(Integer, default=30)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    central_balance: Mapped[int] = mapped_column(Integer, default=0)  # as last pulled from head office
    updated_at: Mapped[str] = mapped_column(String(32))
    # Contact details the till keeps (revision 0013_customer_contact); head office's pull leaves them.
    contact_person: Mapped[str] = mapped_column(String(120), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")


class CustomerLedger(Base):
    """Insert-only account movements: charges (on-account sales) positive, payments negative."""

    __tablename__ = "customer_ledger"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # charge | payment | refund
    amount: Mapped[int] = mapped_column(Integer)
    ref_id: Mapped[str | None] = mapped_column(String(36))
    business_date: Mapped[str] = mapped_column(String(10))
    due_date: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[str] = mapped_column(String(32))
    audit_seq: Mapped[int] = mapped_column(Integer)
