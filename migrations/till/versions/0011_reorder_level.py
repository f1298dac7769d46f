"""reorder levels: a product's own level at which its stock counts as low

Revision ID: 0011_reorder_level
Revises: 0010_unit_cost
Create Date: 2026-12-04 19:10:00

`products.reorder_level_milli` (thousandths, NULL: the store's default, setting
`reorder_level_default`) says when the inventory export calls a product's stock low: on hand at or
below it but above zero. Head office's master data carries the same figure
(`md_products.reorder_level_milli`), which the pull now brings. A plain nullable column: SQLite
adds and drops it in place, without rebuilding `products` (which would fire its foreign keys and
drop its search triggers).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_reorder_level"
down_revision: str | Sequence[str] | None = "0010_unit_cost"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Head office's products now travel with their reorder levels: forgetting the products watermark
# makes the next pull fetch every product again, with them.
PRODUCTS_WATERMARK = "md_version.products"


def upgrade() -> None:
    op.execute("ALTER TABLE products ADD COLUMN reorder_level_milli INTEGER")
    if sa.inspect(op.get_bind()).has_table("sync_state"):  # its own branch of the tree
        op.execute(sa.text("DELETE FROM sync_state WHERE key = :k").bindparams(k=PRODUCTS_WATERMARK))


def downgrade() -> None:
    op.execute("ALTER TABLE products DROP COLUMN reorder_level_milli")
