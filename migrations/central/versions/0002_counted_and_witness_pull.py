"""central store: what head office's stock figures include of each till; tills read their own countersignatures

Revision ID: 0002_counted_and_witness_pull
Revises: 0001_central
Create Date: 2026-11-21 20:00:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0002_counted_and_witness_pull"
down_revision: str | Sequence[str] | None = "0001_central"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TILL_GROUP = "tillstone_till"
OWN_TILL = "(SELECT t.till FROM tills t WHERE t.role_name = current_user)"

# A store's figure in md_stock is head office's level; for each till, `counted_seq` says up to
# which of that till's audit entries the figure already includes (sales, returns, voids,
# deliveries). A till adds on top only its own movements recorded by later entries, so it never
# counts a sale twice nor drops one. No row means the figure includes none of that till's entries.
COUNTED = """
CREATE TABLE md_stock_counted (
    store_id text NOT NULL,
    product_id text NOT NULL,
    till text NOT NULL REFERENCES tills,
    counted_seq bigint NOT NULL CHECK (counted_seq >= 0),
    version bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, product_id, till),
    FOREIGN KEY (store_id, product_id) REFERENCES md_stock ON DELETE CASCADE
);
CREATE INDEX md_stock_counted_till ON md_stock_counted (till, version);
CREATE TRIGGER md_stock_counted_version BEFORE INSERT OR UPDATE ON md_stock_counted
    FOR EACH ROW EXECUTE FUNCTION md_bump_version();
"""


def _security() -> list[str]:
    """A till reads its own counted marks and its own checkpoints with their countersignatures;
    head office's public witness keys are public. Nothing here may be written by a till."""
    return [
        "ALTER TABLE md_stock_counted ENABLE ROW LEVEL SECURITY",
        f"GRANT SELECT ON md_stock_counted TO {TILL_GROUP}",
        f"CREATE POLICY own_read ON md_stock_counted FOR SELECT TO {TILL_GROUP} USING (till = {OWN_TILL})",
        "ALTER TABLE checkpoints ENABLE ROW LEVEL SECURITY",
        f"GRANT SELECT ON checkpoints TO {TILL_GROUP}",
        f"CREATE POLICY own_read ON checkpoints FOR SELECT TO {TILL_GROUP} USING (till = {OWN_TILL})",
        "ALTER TABLE witness_keys ENABLE ROW LEVEL SECURITY",
        f"GRANT SELECT ON witness_keys TO {TILL_GROUP}",
        f"CREATE POLICY all_read ON witness_keys FOR SELECT TO {TILL_GROUP} USING (true)",
    ]


def upgrade() -> None:
    op.execute(COUNTED)
    for statement in _security():
        op.execute(statement)


def downgrade() -> None:
    for table in ("checkpoints", "witness_keys"):
        op.execute(f"DROP POLICY IF EXISTS own_read ON {table}")
        op.execute(f"DROP POLICY IF EXISTS all_read ON {table}")
        op.execute(f"REVOKE SELECT ON {table} FROM {TILL_GROUP}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP TABLE IF EXISTS md_stock_counted")
