"""sync state: what the central store has acknowledged and how the last attempt went

Revision ID: 0004_sync_state
Revises: 0001_core
Create Date: 2026-11-21 17:25:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_sync_state"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("sync_state"):
        pass
    op.drop_table("sync_state")
