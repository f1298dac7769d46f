"""central store: locks a till role cannot take against another till or head office

Revision ID: 0004_owned_locks
Revises: 0003_customer_counted
Create Date: 2026-12-03 14:40:00

Advisory locks live in one keyspace open to every role: a till role could take
`hashtext('push:OTHER-T01')` or the import's key and stop the others. These are row locks instead.
`push_locks` has one row per till and row-level security lets a till role see and lock only its own
(it can stop nobody but itself); `hq_locks` has no grant to till roles at all, so neither
`SELECT ... FOR UPDATE` nor `LOCK TABLE` on it is open to them.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0004_owned_locks"
down_revision: str | Sequence[str] | None = "0003_customer_counted"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TILL_GROUP = "tillstone_till"
OWN_TILL = "(SELECT t.till FROM tills t WHERE t.role_name = current_user)"


def upgrade() -> None:
    op.execute("CREATE TABLE hq_locks (name text PRIMARY KEY)")
    op.execute("INSERT INTO hq_locks (name) VALUES ('import'), ('enrol')")
    # no foreign key to tills: its check would take a share lock on the tills row
    op.execute("CREATE TABLE push_locks (till text PRIMARY KEY)")
    op.execute("INSERT INTO push_locks (till) SELECT till FROM tills")
    op.execute("ALTER TABLE push_locks ENABLE ROW LEVEL SECURITY")
    # FOR UPDATE needs the UPDATE privilege; the only column is the key, which the policy pins
    op.execute(f"GRANT SELECT, UPDATE (till) ON push_locks TO {TILL_GROUP}")
    op.execute(f"CREATE POLICY own_lock ON push_locks FOR ALL TO {TILL_GROUP} "
               f"USING (till = {OWN_TILL}) WITH CHECK (till = {OWN_TILL})")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS push_locks, hq_locks")
