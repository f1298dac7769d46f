"""central store: scheduled exports and head office's mail queue

Revision ID: 0013_export_schedules
Revises: 0008_unit_cost
Create Date: 2026-12-04 20:10:00

`export_schedules` holds what `tillstone hq export-schedule run` writes: a kind, a format, the
filters as given (a relative range such as `yesterday` is resolved on each run), the stores, the
recipients. `hq_mail_queue` is head office's mail queue (the tills have their own `mail_queue`):
a run writes each file's message with its attachment here and commits it before any SMTP
connection, so a server that is down leaves the message queued with its error and the next run
sends it. A sent message keeps its row (`sent_at`) as the record of what left; its attachment is
dropped once sent.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0013_export_schedules"
down_revision: str | Sequence[str] | None = "0008_unit_cost"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("""
CREATE TABLE export_schedules (
    name text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$'),
    kind text NOT NULL,
    format text NOT NULL CHECK (format IN ('xlsx', 'csv', 'pdf')),
    range text,
    filters jsonb NOT NULL DEFAULT '{}'::jsonb,
    stores text[],
    recipients text[] NOT NULL CHECK (cardinality(recipients) > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL
)""")
    op.execute("""
CREATE TABLE hq_mail_queue (
    id text PRIMARY KEY,
    schedule text,
    recipients text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    attachment_name text,
    attachment bytea,
    attachment_sha256 text,
    created_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    sent_at timestamptz
)""")
    op.execute("CREATE INDEX hq_mail_queue_pending ON hq_mail_queue (created_at) WHERE sent_at IS NULL")


def downgrade() -> None:
    op.execute("DROP TABLE hq_mail_queue")
    op.execute("DROP TABLE export_schedules")
