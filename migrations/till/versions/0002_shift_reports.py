"""shift reports: cash counts, discrepancies and resolutions, Z reports, mail queue

Revision ID: 0002_shift_reports
Revises: 0001_core
Create Date: 2026-11-21 17:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_shift_reports"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IMMUTABLE = ("cash_counts", "discrepancies", "discrepancy_resolutions", "z_reports")


def upgrade() -> None:
    op.create_table(
        "cash_counts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("shift_id", sa.String(36), sa.ForeignKey("shifts.id", name="fk_cash_counts_shift_id_shifts"),
                  nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("denomination", sa.Integer, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.UniqueConstraint("shift_id", "kind", "denomination", name="uq_cash_counts_line"),
    )
    with op.batch_alter_table("cash_counts") as batch_op:
        batch_op.create_index("ix_cash_counts_shift_id", ["shift_id"])
    op.create_table(
        "discrepancies",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("shift_id", sa.String(36), sa.ForeignKey("shifts.id", name="fk_discrepancies_shift_id_shifts"),
                  nullable=False),
        sa.Column("business_date", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount", sa.Integer, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("detected_at", sa.String(32), nullable=False),
        sa.Column("audit_seq", sa.Integer, nullable=False, unique=True),
    )
    with op.batch_alter_table("discrepancies") as batch_op:
        batch_op.create_index("ix_discrepancies_shift_id", ["shift_id"])
        batch_op.create_index("ix_discrepancies_business_date", ["business_date"])
    op.create_table(
        "discrepancy_resolutions",
        sa.Column("discrepancy_id", sa.String(36),
                  sa.ForeignKey("discrepancies.id", name="fk_discrepancy_resolutions_discrepancy_id"),
                  primary_key=True),
        sa.Column("resolved_by", sa.String(40), nullable=False),
        sa.Column("resolved_at", sa.String(32), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("audit_seq", sa.Integer, nullable=False, unique=True),
    )
    op.create_table(
        "z_reports",
        sa.Column("business_date", sa.String(10), primary_key=True),
        sa.Column("business_counter", sa.Integer, nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(40)),
        sa.Column("report_json", sa.Text, nullable=False),
        sa.Column("checkpoint_root", sa.String(64), nullable=False),
        sa.Column("audit_seq", sa.Integer, nullable=False, unique=True),
    )
    op.create_table(
        "mail_queue",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("recipients", sa.Text, nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("sent_at", sa.String(32)),
    )
    with op.batch_alter_table("mail_queue") as batch_op:
        batch_op.create_index("ix_mail_queue_sent_at", ["sent_at"])
    for table in IMMUTABLE:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: corrections are new records'); END"
            )


def downgrade() -> None:
    for table in IMMUTABLE:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
    with op.batch_alter_table("mail_queue") as batch_op:
        batch_op.drop_index("ix_mail_queue_sent_at")
    op.drop_table("mail_queue")
    op.drop_table("z_reports")
    op.drop_table("discrepancy_resolutions")
    with op.batch_alter_table("discrepancies") as batch_op:
        batch_op.drop_index("ix_discrepancies_business_date")
        batch_op.drop_index("ix_discrepancies_shift_id")
    op.drop_table("discrepancies")
    with op.batch_alter_table("cash_counts") as batch_op:
        batch_op.drop_index("ix_cash_counts_shift_id")
    op.drop_table("cash_counts")
