"""central store: the import reads only what is new (arrival numbers, scanned position, checkpoint frontier)

Revision ID: 0012_import_positions
Revises: 0011_store_keys
Create Date: 2026-12-04 19:40:00

Two parts of `hq import` read a till's whole history on every run: the fork scan (every pushed row
at or below the accepted head, joined with the accepted entry) and the consistency proof between the
last accepted checkpoint and a new one (every leaf hash from 1). Now:

- `raw_entries.arrival` numbers each pushed row from one sequence as it lands; the import scans for
  forks only rows that arrived after `chain_state.scanned_arrival`, up to a horizon read while it
  holds the till's push lock (no push of that till in flight, so nothing below the horizon can still
  commit), and moves the position there. Rows pushed before this revision have no number: the first
  scan after it (position NULL) reads them all once.
- `chain_state.checkpoint_frontier` keeps the Merkle frontier at the last accepted checkpoint; a new
  checkpoint is checked by extending that frontier with the leaves after it (its root must be the old
  checkpoint's and the extension's the new one's), so only leaves after the last checkpoint are read.
  NULL (a checkpoint accepted before this revision) falls back once to the full proof.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0012_import_positions"
down_revision: str | Sequence[str] | None = "0011_store_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TILL_GROUP = "tillstone_till"


def upgrade() -> None:
    op.execute("CREATE SEQUENCE raw_entries_arrival")
    # no default on the ADD: existing rows stay NULL (no rewrite of the table); new rows are numbered
    op.execute("ALTER TABLE raw_entries ADD COLUMN arrival bigint")
    op.execute("ALTER TABLE raw_entries ALTER COLUMN arrival SET DEFAULT nextval('raw_entries_arrival')")
    op.execute(f"GRANT USAGE ON SEQUENCE raw_entries_arrival TO {TILL_GROUP}")
    op.execute("CREATE INDEX raw_entries_arrival_idx ON raw_entries (store_id, till, arrival)")
    op.execute("ALTER TABLE chain_state ADD COLUMN scanned_arrival bigint, ADD COLUMN checkpoint_frontier bytea[]")


def downgrade() -> None:
    op.execute("ALTER TABLE chain_state DROP COLUMN IF EXISTS scanned_arrival, "
               "DROP COLUMN IF EXISTS checkpoint_frontier")
    op.execute("DROP INDEX IF EXISTS raw_entries_arrival_idx")
    op.execute("ALTER TABLE raw_entries DROP COLUMN IF EXISTS arrival")
    op.execute("DROP SEQUENCE IF EXISTS raw_entries_arrival")
