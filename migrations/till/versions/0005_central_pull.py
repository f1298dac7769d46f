"""central pull: the audit entry of each stock movement, head office's stock figures, countersignatures

Revision ID: 0005_central_pull
Revises: 0001_core
Create Date: 2026-11-21 20:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_central_pull"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Movements written before this revision get their entry from the record that caused them (the
# record and its entry were written in the movement's own transaction); a delivery from the
# stock.received entry written with it. Anything else stays unaudited.
BACKFILL = (
    "INSERT OR IGNORE INTO stock_movement_entries (movement_id, audit_seq) "
    "SELECT m.id, s.audit_seq FROM stock_movements m JOIN sales s ON s.id = m.ref_id WHERE m.reason = 'sale'",
    "INSERT OR IGNORE INTO stock_movement_entries (movement_id, audit_seq) "
    "SELECT m.id, r.audit_seq FROM stock_movements m JOIN refunds r ON r.id = m.ref_id WHERE m.reason = 'refund'",
    "INSERT OR IGNORE INTO stock_movement_entries (movement_id, audit_seq) "
    "SELECT m.id, v.audit_seq FROM stock_movements m JOIN sale_voids v ON v.sale_id = m.ref_id "
    "WHERE m.reason = 'void'",
    "INSERT OR IGNORE INTO stock_movement_entries (movement_id, audit_seq) "
    "SELECT id, seq FROM (SELECT m.id, (SELECT min(a.seq) FROM audit_log a JOIN products p ON p.id = m.product_id "
    "                                   WHERE a.type = 'stock.received' AND a.ts = m.created_at "
    "                                   AND json_extract(CAST(a.body AS TEXT), '$.data.sku') = p.sku) AS seq "
    "                     FROM stock_movements m WHERE m.reason = 'delivery' AND m.ref_id IS NULL) "
    "WHERE seq IS NOT NULL",
)


def upgrade() -> None:
    op.create_table(
        "stock_movement_entries",
        sa.Column("movement_id", sa.Integer,
                  sa.ForeignKey("stock_movements.id", name="fk_stock_movement_entries_movement_id_stock_movements"),
                  primary_key=True),
        sa.Column("audit_seq", sa.Integer, nullable=False),
    )
    with op.batch_alter_table("stock_movement_entries") as batch_op:
        batch_op.create_index("ix_stock_movement_entries_audit_seq", ["audit_seq"])
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER stock_movement_entries_no_{action.lower()} BEFORE {action} ON stock_movement_entries "
            "BEGIN SELECT RAISE(ABORT, 'stock_movement_entries is append-only: corrections are new records'); END"
        )
    for statement in BACKFILL:
        op.execute(statement)
    op.create_table(
        "stock_central",
        sa.Column("product_id", sa.String(36),
                  sa.ForeignKey("products.id", name="fk_stock_central_product_id_products"), primary_key=True),
        sa.Column("on_hand_milli", sa.Integer, nullable=False),
        sa.Column("counted_seq", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("pulled_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "checkpoint_witnesses",
        sa.Column("tree_size", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("entry_seq", sa.Integer, nullable=False),
        sa.Column("root", sa.String(64), nullable=False),
        sa.Column("head", sa.String(64), nullable=False),
        sa.Column("till_key_id", sa.String(16), nullable=False),
        sa.Column("till_signature", sa.String(100), nullable=False),
        sa.Column("witness_key_id", sa.String(16), nullable=False),
        sa.Column("witness_signature", sa.String(100), nullable=False),
        sa.Column("witness_public_key", sa.String(64), nullable=False),
        sa.Column("accepted_at", sa.String(40), nullable=False),
        sa.Column("stored_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("checkpoint_witnesses")
    op.drop_table("stock_central")
    for action in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS stock_movement_entries_no_{action}")
    with op.batch_alter_table("stock_movement_entries") as batch_op:
        batch_op.drop_index("ix_stock_movement_entries_audit_seq")
    op.drop_table("stock_movement_entries")
