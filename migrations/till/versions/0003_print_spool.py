"""print spool

Revision ID: 0003_print_spool
Revises: 0001_core
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_print_spool"
down_revision: str | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.String(27), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(80), nullable=False, server_default=""),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("kick", sa.LargeBinary(), nullable=False, server_default=sa.text("X''")),
        sa.Column("kick_deadline", sa.String(27), nullable=True),
        sa.Column("kick_done", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("state", sa.String(12), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("body_written", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("done_at", sa.String(27), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_jobs")),
    )
    with op.batch_alter_table("print_jobs") as batch:
        batch.create_index("ix_print_jobs_state_id", ["state", "id"])


def downgrade() -> None:
    with op.batch_alter_table("print_jobs") as batch:
        batch.drop_index("ix_print_jobs_state_id")
    op.drop_table("print_jobs")
