"""central store: store_id in every key of the per-till tables, ready to be sharded by store (Citus)

Revision ID: 0011_store_keys
Revises: 0010_till_roles_per_database
Create Date: 2026-12-04 19:30:00

The growth path past one server is Citus, sharded by `store_id`: a store's tills, their pushed
entries, their import state and their consolidated rows then live on one node, and every statement
of the push, the import and the reports reaches one shard (or every shard in parallel, never a join
between two). Citus requires the distribution column in each primary key and unique constraint of a
distributed table and in each foreign key between two of them. This revision:

- adds `store_id` to the tables keyed by till alone (the till id is `STORE-TILL`, so it is filled in
  from the till id: a data migration, checked by `CHECK (store_id = split_part(till, '-', 1))`),
- puts `store_id` first in their primary keys and unique constraints, and in those of the consolidated
  tables, which carry it already,
- fills `store_id` in a trigger when a till of an older version pushes without it (`WHEN (NEW.store_id
  IS NULL)`: tills of this version send it and pay nothing),
- when, and only when, the `citus` extension is installed, marks master data and enrolment as reference
  tables and distributes the rest by `store_id`, co-located.

`docs/scaling.md` explains what runs where; `tests/central/test_citus_ready.py` checks these rules
against the catalog.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0011_store_keys"
down_revision: str | Sequence[str] | None = "0010_till_roles_per_database"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TILL_GROUP = "tillstone_till"

# table: its primary key after this revision (store_id first), and its unique constraints
KEYED_BY_TILL = {
    "push_locks": ("till",),
    "chain_state": ("till",),
    "sync_batches": ("till", "batch_id"),
    "raw_entries": ("till", "seq", "hash"),
    "accepted_entries": ("till", "seq"),
    "checkpoints": ("till", "tree_size"),
    "quarantine": ("id",),
    "problems": ("id",),
}
UNIQUES = {
    "quarantine": ("till", "seq", "hash", "stage", "reason"),
    "problems": ("till", "kind", "seq", "detail"),
}
CONSOLIDATED = {
    "sales_docs": ("till", "doc_kind", "doc_id", "business_date"),
    "doc_lines": ("till", "doc_kind", "doc_id", "line_no", "business_date"),
    "doc_payments": ("till", "doc_kind", "doc_id", "pay_no", "business_date"),
    "shift_events": ("till", "shift_id", "event", "business_date"),
    "cash_events": ("till", "seq", "business_date"),
}
TILL_WRITTEN = ("raw_entries", "sync_batches", "quarantine")

# Citus: reference tables are copied to every node; distributed ones are sharded by store_id.
REFERENCE = ("stores", "tills", "witness_keys", "md_tax_rates", "md_products", "md_users", "md_customers",
             "md_prices", "md_customer_counted", "md_promotions", "hq_locks", "central_identity")
DISTRIBUTED = ("push_locks", "chain_state", "sync_batches", "raw_entries", "accepted_entries", "checkpoints",
               "quarantine", "problems", "sales_docs", "doc_lines", "doc_payments", "shift_events", "cash_events",
               "md_stock", "md_stock_counted")
# on the coordinator only: head office's own log, its web users, the migration version
LOCAL = ("hq_audit", "web_users", "web_sessions", "tillstone_central_version",
         "export_schedules", "hq_mail_queue")  # the last two from 0013_export_schedules

FILL_STORE = """
CREATE FUNCTION fill_store_id() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN NEW.store_id := split_part(NEW.till, '-', 1); RETURN NEW; END $$;
"""

CITUS = f"""
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    {' '.join(f"PERFORM create_reference_table('{t}');" for t in REFERENCE)}
    PERFORM create_distributed_table('{DISTRIBUTED[0]}', 'store_id');
    {' '.join(f"PERFORM create_distributed_table('{t}', 'store_id', colocate_with => '{DISTRIBUTED[0]}');"
              for t in DISTRIBUTED[1:])}
END $$
"""


def _key_columns(table: str) -> str:
    return ", ".join(("store_id", *KEYED_BY_TILL.get(table, CONSOLIDATED.get(table, ()))))


def upgrade() -> None:
    op.execute("ALTER TABLE tills ADD CONSTRAINT tills_store_of_till CHECK (store_id = split_part(till, '-', 1))")
    op.execute(FILL_STORE)
    for table in KEYED_BY_TILL:
        op.execute(f"ALTER TABLE {table} ADD COLUMN store_id text")
        op.execute(f"UPDATE {table} SET store_id = split_part(till, '-', 1)")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN store_id SET NOT NULL, "
                   f"ADD CONSTRAINT {table}_store_of_till CHECK (store_id = split_part(till, '-', 1))")
    for table in (*KEYED_BY_TILL, *CONSOLIDATED):
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey, ADD PRIMARY KEY ({_key_columns(table)})")
    for table, columns in UNIQUES.items():
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_{'_'.join(columns)}_key, "
                   f"ADD CONSTRAINT {table}_store_unique UNIQUE (store_id, {', '.join(columns)})")
    for table in TILL_WRITTEN:
        op.execute(f"GRANT INSERT (store_id) ON {table} TO {TILL_GROUP}")
        op.execute(f"CREATE TRIGGER {table}_fill_store BEFORE INSERT ON {table} FOR EACH ROW "
                   f"WHEN (NEW.store_id IS NULL) EXECUTE FUNCTION fill_store_id()")
    op.execute(CITUS)


def downgrade() -> None:
    for table in TILL_WRITTEN:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_fill_store ON {table}")
    for table, columns in UNIQUES.items():
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_store_unique, "
                   f"ADD UNIQUE ({', '.join(columns)})")
    for table in CONSOLIDATED:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey, "
                   f"ADD PRIMARY KEY ({', '.join(CONSOLIDATED[table])})")
    for table in KEYED_BY_TILL:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey, "
                   f"ADD PRIMARY KEY ({', '.join(KEYED_BY_TILL[table])})")
        op.execute(f"ALTER TABLE {table} DROP COLUMN store_id")
    op.execute("DROP FUNCTION IF EXISTS fill_store_id()")
    op.execute("ALTER TABLE tills DROP CONSTRAINT IF EXISTS tills_store_of_till")
