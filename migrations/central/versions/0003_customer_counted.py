"""central store: what head office's customer balances include of each till

Revision ID: 0003_customer_counted
Revises: 0002_counted_and_witness_pull
Create Date: 2026-11-21 20:15:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0003_customer_counted"
down_revision: str | Sequence[str] | None = "0002_counted_and_witness_pull"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TILL_GROUP = "tillstone_till"
OWN_TILL = "(SELECT t.till FROM tills t WHERE t.role_name = current_user)"

# `md_customers.central_balance` includes, per till, that till's account movements (charges, voids
# and refunds of account sales, account payments) of its audit entries up to `counted_seq`, and
# none after. A till adds on top only its own ledger rows of later entries, so a charge is never
# counted twice nor dropped. No row means the balance includes none of that till's entries.
COUNTED = """
CREATE TABLE md_customer_counted (
    customer_id text NOT NULL REFERENCES md_customers ON DELETE CASCADE,
    till text NOT NULL REFERENCES tills,
    counted_seq bigint NOT NULL CHECK (counted_seq >= 0),
    version bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (customer_id, till)
);
CREATE INDEX md_customer_counted_till ON md_customer_counted (till, version);
CREATE TRIGGER md_customer_counted_version BEFORE INSERT OR UPDATE ON md_customer_counted
    FOR EACH ROW EXECUTE FUNCTION md_bump_version();
"""


def upgrade() -> None:
    """A till reads its own marks only, and writes none."""
    op.execute(COUNTED)
    op.execute("ALTER TABLE md_customer_counted ENABLE ROW LEVEL SECURITY")
    op.execute(f"GRANT SELECT ON md_customer_counted TO {TILL_GROUP}")
    op.execute(f"CREATE POLICY own_read ON md_customer_counted FOR SELECT TO {TILL_GROUP} "
               f"USING (till = {OWN_TILL})")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS md_customer_counted")
