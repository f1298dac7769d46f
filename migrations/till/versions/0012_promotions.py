"""promotions and price lists, and the promotion each sale line got

Revision ID: 0012_promotions
Revises: 0009_master_versions
Create Date: 2026-12-04 19:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_promotions"
down_revision: str | Sequence[str] | None = "0011_reorder_level"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "promotions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("rule", sa.Text, nullable=False),  # the rule as JSON (app/usecases/promotion_rules.py)
        sa.Column("source", sa.String(4), nullable=False),  # file | hq
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),  # head office's, 0 from a file
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("stamp", sa.Integer, nullable=False),  # raised on every write: the pricing cache's key
    )
    # The pricing cache asks count(*) and max(stamp) on every cart change: both answered from this index.
    op.create_index("ix_promotions_stamp", "promotions", ["stamp"])
    # Plain ADD COLUMN (no batch copy): sale_lines keeps its insert-only triggers.
    op.add_column("sale_lines", sa.Column("promotion_id", sa.Integer, nullable=True))
    op.add_column("sale_lines", sa.Column("promotion_discount", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("sale_lines", recreate="never") as batch:
        batch.drop_column("promotion_discount")
        batch.drop_column("promotion_id")
    op.drop_index("ix_promotions_stamp", "promotions")
    op.drop_table("promotions")
