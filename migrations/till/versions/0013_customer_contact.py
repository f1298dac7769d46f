"""customers: contact person, phone and e-mail, kept by the till (head office's pull leaves them)

Revision ID: 0013_customer_contact
Revises: 0009_master_versions
Create Date: 2026-12-04 19:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_customer_contact"
down_revision: str | Sequence[str] | None = "0012_promotions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("contact_person", 120), ("phone", 40), ("email", 254))


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        for name, length in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length), nullable=False, server_default=""))


def downgrade() -> None:
    # SQLite's own DROP COLUMN (3.35+) edits the table in place, so the table comes back as it was
    # built; a batch copy would rewrite its CREATE statement.
    for name, _length in reversed(COLUMNS):
        op.execute(f"ALTER TABLE customers DROP COLUMN {name}")
