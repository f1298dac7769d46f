"""central store: head office's web console users, sessions and its own read-mostly role

Revision ID: 0007_web_users
Revises: 0004_owned_locks
Create Date: 2026-12-03 20:10:00

`tillstone_console` is the role the web console's pages run under (`SET ROLE`): it reads what tills
sent and what the import made of it, and writes only its own users and sessions. It has no INSERT,
UPDATE or DELETE on any till row, so neither a bug nor an injected statement in the console can
alter them. Row-level security on till tables gets a read-only policy for it.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0007_web_users"
down_revision: str | Sequence[str] | None = "0006_master_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSOLE = "tillstone_console"
READ = ("stores", "tills", "witness_keys", "sync_batches", "raw_entries", "quarantine", "chain_state",
        "accepted_entries", "checkpoints", "problems", "sales_docs", "doc_lines", "doc_payments", "shift_events",
        "cash_events", "md_tax_rates", "md_products", "md_users", "md_customers", "md_stock", "md_prices",
        "hq_audit")
RLS = ("tills", "sync_batches", "raw_entries", "quarantine", "md_tax_rates", "md_products", "md_users",
       "md_customers", "md_stock")

TABLES = """
CREATE TABLE web_users (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    role text NOT NULL CHECK (role IN ('viewer', 'manager', 'admin')),
    password_hash text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    failed_logins integer NOT NULL DEFAULT 0,
    locked_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE web_sessions (
    token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id bigint NOT NULL REFERENCES web_users ON DELETE CASCADE,
    csrf text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
"""


def upgrade() -> None:
    op.execute(TABLES)
    op.execute(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{CONSOLE}') "
               f"THEN CREATE ROLE {CONSOLE} NOLOGIN; END IF; END $$")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {CONSOLE}")
    op.execute(f"GRANT SELECT ON {', '.join(READ)} TO {CONSOLE}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON web_users, web_sessions TO {CONSOLE}")
    op.execute(f"GRANT USAGE ON SEQUENCE web_users_id_seq TO {CONSOLE}")
    for table in RLS:
        op.execute(f"CREATE POLICY console_read ON {table} FOR SELECT TO {CONSOLE} USING (true)")


def downgrade() -> None:
    for table in RLS:
        op.execute(f"DROP POLICY IF EXISTS console_read ON {table}")
    op.execute(f"REVOKE ALL ON {', '.join(READ)} FROM {CONSOLE}")
    op.execute("DROP TABLE IF EXISTS web_sessions, web_users")
