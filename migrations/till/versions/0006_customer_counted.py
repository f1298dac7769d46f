"""customer balances: up to which of this till's audit entries head office's balance includes

Revision ID: 0006_customer_counted
Revises: 0001_core
Create Date: 2026-11-21 20:15:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_customer_counted"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The pull's watermark for customers (revision 0004_sync_state): forgetting it makes the next pull
# fetch every customer again, now with this till's counted mark. Without that, marks head office
# wrote before this revision would stay unseen until the customer next changed.
CUSTOMERS_WATERMARK = "md_version.customers"


def upgrade() -> None:
    op.create_table(
        "customer_counted",
        sa.Column("customer_id", sa.String(40),
                  sa.ForeignKey("customers.id", name="fk_customer_counted_customer_id_customers"),
                  primary_key=True),
        sa.Column("counted_seq", sa.Integer, nullable=False),
    )
    if sa.inspect(op.get_bind()).has_table("sync_state"):
        op.execute(sa.text("DELETE FROM sync_state WHERE key = :k").bindparams(k=CUSTOMERS_WATERMARK))


def downgrade() -> None:
    op.drop_table("customer_counted")
