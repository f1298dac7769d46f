"""an unknown cost is not a free product: products.cost nullable, sale and refund lines keep unit_cost

Revision ID: 0010_unit_cost
Revises: 0009_master_versions
Create Date: 2026-12-04 19:00:00

Until now `products.cost` was NOT NULL with 0 for "nobody said", so a product of unknown cost and
a free one looked the same. From here NULL is unknown and 0 is free. Existing zeros become NULL:
the catalogue import wrote 0 for an empty cost cell and nothing could write a deliberate 0 apart
from it, so a 0 on an existing row most likely means unknown; calling it free would show a full
margin on sales nobody costed. A product that really is free gets its 0 back by the next
catalogue import or head-office pull (an explicit "0" in the cost column).

Sale and refund lines get `unit_cost` (minor units, NULL = unknown): the product's cost at the
moment of sale, which a refund line takes over from the line it returns. Lines written before
this revision have NULL (their cost was never recorded).

SQLite cannot drop a NOT NULL in place, and batch mode would rebuild `products`: dropping the
table fires its foreign keys (barcodes, stock, price_schedule...) and drops its full-text search
triggers. So the column is replaced with SQLite's own ALTER TABLE (ADD, DROP and RENAME COLUMN,
no table rebuild); the append-only triggers of `sale_lines` and `refund_lines` stay as they are.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_unit_cost"
down_revision: str | Sequence[str] | None = "0009_master_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LINES = ("sale_lines", "refund_lines")
# A pull after the upgrade fetches every product again, so head office's costs (NULL or 0) arrive.
PRODUCTS_WATERMARK = "md_version.products"


def _replace_cost(definition: str, value: str) -> None:
    op.execute(f"ALTER TABLE products ADD COLUMN cost_new {definition}")
    op.execute(f"UPDATE products SET cost_new = {value}")
    op.execute("ALTER TABLE products DROP COLUMN cost")
    op.execute("ALTER TABLE products RENAME COLUMN cost_new TO cost")


def upgrade() -> None:
    _replace_cost("INTEGER", "NULLIF(cost, 0)")
    for table in LINES:
        op.execute(f"ALTER TABLE {table} ADD COLUMN unit_cost INTEGER")
    if sa.inspect(op.get_bind()).has_table("sync_state"):  # its own branch of the tree
        op.execute(sa.text("DELETE FROM sync_state WHERE key = :k").bindparams(k=PRODUCTS_WATERMARK))


def downgrade() -> None:
    for table in LINES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN unit_cost")
    _replace_cost("INTEGER NOT NULL DEFAULT 0", "coalesce(cost, 0)")
