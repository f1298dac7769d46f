"""prices head office scheduled: kept until their time, then applied by the till's own clock

Revision ID: 0009_master_versions
Revises: 0007_drop_outbox
Create Date: 2026-12-03 20:05:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_master_versions"
down_revision: str | Sequence[str] | None = "0007_drop_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Products now travel with their barcodes: forgetting the products watermark makes the next pull
# fetch every product again, with them.
PRODUCTS_WATERMARK = "md_version.products"


def upgrade() -> None:
    op.create_table(
        "price_schedule",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),  # head office's md_prices id
        sa.Column("product_id", sa.String(36),
                  sa.ForeignKey("products.id", name="fk_price_schedule_product_id_products"), nullable=False),
        sa.Column("price", sa.Integer, nullable=False),
        sa.Column("effective_from", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_price_schedule_product", "price_schedule", ["product_id", "effective_from"])
    if sa.inspect(op.get_bind()).has_table("sync_state"):
        op.execute(sa.text("DELETE FROM sync_state WHERE key = :k").bindparams(k=PRODUCTS_WATERMARK))


def downgrade() -> None:
    op.drop_index("ix_price_schedule_product", "price_schedule")
    op.drop_table("price_schedule")
