"""What the till keeps from the central store: head office's stock figures and customer balances with
what they already include of this till, the audit entry behind each stock movement, and head
office's countersignatures of this till's checkpoints."""

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class StockMovementEntry(Base):
    """The audit entry that recorded a stock movement. Movements without one (a local catalogue
    import, a set-up count) are unaudited: head office cannot know them, a central figure replaces
    them. Insert-only, like the movements."""

    __tablename__ = "stock_movement_entries"
    movement_id: Mapped[int] = mapped_column(ForeignKey("stock_movements.id"), primary_key=True)
    audit_seq: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_stock_movement_entries_audit_seq", "audit_seq"),)


class StockCentral(Base):
    """Head office's level for the store, which includes this till's entries up to `counted_seq`.
    `stock.on_hand_milli` = `on_hand_milli` + this till's movements recorded after `counted_seq`."""

    __tablename__ = "stock_central"
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), primary_key=True)
    on_hand_milli: Mapped[int] = mapped_column(Integer)
    counted_seq: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    pulled_at: Mapped[str] = mapped_column(String(32))


class CheckpointWitness(Base):
    """A checkpoint of this till that head office accepted and countersigned (verified before it
    is stored); `audit verify` checks the local log still has exactly that history."""

    __tablename__ = "checkpoint_witnesses"
    tree_size: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    entry_seq: Mapped[int] = mapped_column(Integer)
    root: Mapped[str] = mapped_column(String(64))
    head: Mapped[str] = mapped_column(String(64))
    till_key_id: Mapped[str] = mapped_column(String(16))
    till_signature: Mapped[str] = mapped_column(String(100))
    witness_key_id: Mapped[str] = mapped_column(String(16))
    witness_signature: Mapped[str] = mapped_column(String(100))
    witness_public_key: Mapped[str] = mapped_column(String(64))  # hex of the raw 32 bytes
    accepted_at: Mapped[str] = mapped_column(String(40))
    stored_at: Mapped[str] = mapped_column(String(32))


class CustomerCounted(Base):
    """Up to which of this till's audit entries head office's `customers.central_balance` includes;
    the balance shown is that plus this till's ledger rows of later entries. No row means 0."""

    __tablename__ = "customer_counted"
    customer_id: Mapped[str] = mapped_column(String(40), ForeignKey("customers.id"), primary_key=True)
    counted_seq: Mapped[int] = mapped_column(Integer)


class PriceSchedule(Base):
    """A price head office set from a time on (pulled from `md_prices`). The till's price of a product
    is the newest of these in force by its own clock (later `effective_from`, then later `version`),
    else the catalogue's; applied in the transaction that writes `master.applied`."""

    __tablename__ = "price_schedule"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    price: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_price_schedule_product", "product_id", "effective_from"),)
