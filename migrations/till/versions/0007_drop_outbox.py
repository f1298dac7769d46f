"""drop the outbox: the sync push reads the audit log after its acknowledged mark, so a second
queue written with every entry was never read and only cost an insert per action

Revision ID: 0007_drop_outbox
Revises: 0001_core
Create Date: 2026-11-22 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_drop_outbox"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Code from before this revision wrote one row per entry, topic = the type up to its first dot;
# going back rebuilds those rows so such code finds the table as it would have left it.
BACKFILL = (
    "INSERT INTO outbox (audit_seq, topic, created_at) "
    "SELECT seq, CASE WHEN instr(type, '.') > 0 THEN substr(type, 1, instr(type, '.') - 1) ELSE type END, ts "
    "FROM audit_log ORDER BY seq"
)


def upgrade() -> None:
    op.drop_table("outbox")


def downgrade() -> None:
    # the same table 0001_core made, so the schema comes back identical
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('audit_seq', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['audit_seq'], ['audit_log.seq'], name=op.f('fk_outbox_audit_seq_audit_log')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('audit_seq', name=op.f('uq_outbox_audit_seq'))
    )
    op.execute(BACKFILL)
