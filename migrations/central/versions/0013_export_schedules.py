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

`tillstone_console_export` is the role of the web console's download buttons: a member of
`tillstone_console` (the same reads, nothing more of till data) that may also append to `hq_audit`
only an `export.created` entry by a `web:` actor (row-level security), the entry of the file it
streams, and read the chain's head to link it. The table's triggers refuse UPDATE, DELETE and
TRUNCATE. It may take head office's audit lock (`SELECT ... FOR UPDATE` on `hq_locks` needs a
column's UPDATE right; a trigger now refuses every real UPDATE or DELETE of `hq_locks`, which
nothing does). The pages keep running as `tillstone_console`, which still writes no till row and
sees no `hq_audit` row.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0013_export_schedules"
down_revision: str | Sequence[str] | None = "0012_import_positions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXPORTER = "tillstone_console_export"


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
    op.execute(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{EXPORTER}') "
               f"THEN CREATE ROLE {EXPORTER} NOLOGIN IN ROLE tillstone_console; END IF; END $$")
    op.execute(f"GRANT INSERT ON hq_audit TO {EXPORTER}")
    op.execute(f"CREATE POLICY console_export_append ON hq_audit FOR INSERT TO {EXPORTER} "
               "WITH CHECK (type = 'export.created' AND actor LIKE 'web:%')")
    # the chain's head, to link the entry (the console itself still sees no hq_audit row)
    op.execute(f"CREATE POLICY console_export_head ON hq_audit FOR SELECT TO {EXPORTER} USING (true)")
    op.execute(f"GRANT SELECT, UPDATE (name) ON hq_locks TO {EXPORTER}")
    op.execute("""CREATE FUNCTION hq_locks_fixed() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'hq_locks rows are fixed'; END $$""")
    op.execute("CREATE TRIGGER hq_locks_no_change BEFORE UPDATE OR DELETE ON hq_locks "
               "FOR EACH ROW EXECUTE FUNCTION hq_locks_fixed()")


def downgrade() -> None:
    op.execute("DROP TRIGGER hq_locks_no_change ON hq_locks")
    op.execute("DROP FUNCTION hq_locks_fixed()")
    op.execute("DROP POLICY console_export_head ON hq_audit")
    op.execute("DROP POLICY console_export_append ON hq_audit")
    op.execute(f"REVOKE ALL ON hq_audit, hq_locks FROM {EXPORTER}")
    op.execute("DROP TABLE hq_mail_queue")
    op.execute("DROP TABLE export_schedules")
