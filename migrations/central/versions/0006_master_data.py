"""central store: master data head office publishes (scheduled prices, barcodes, reorder levels,
contact persons) and head office's own hash-chained audit log

Revision ID: 0006_master_data
Revises: 0004_owned_locks
Create Date: 2026-12-03 20:00:00

`md_prices` holds every price head office set, per store or for every store (`store_id` NULL), from a
time on; a till applies the newest one in force by its own clock. `hq_audit` is head office's log of
its own actions in audit format v1 (till `HQ`), written in the transaction of the change it records;
a trigger refuses UPDATE, DELETE and TRUNCATE, and till roles have no grant on it at all.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0006_master_data"
down_revision: str | Sequence[str] | None = "0004_owned_locks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TILL_GROUP = "tillstone_till"
OWN_STORE = "(SELECT t.store_id FROM tills t WHERE t.role_name = current_user)"

SCHEMA = """
ALTER TABLE md_products ADD COLUMN barcodes text[] NOT NULL DEFAULT '{}',
                        ADD COLUMN reorder_level_milli bigint,
                        ADD COLUMN category text;
ALTER TABLE md_customers ADD COLUMN contact_person text NOT NULL DEFAULT '';
CREATE TABLE md_prices (
    id bigserial PRIMARY KEY,
    product_id text NOT NULL REFERENCES md_products,
    store_id text REFERENCES stores,
    price bigint NOT NULL CHECK (price >= 0),
    effective_from timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT 0
);
CREATE INDEX md_prices_version ON md_prices (version);
CREATE TRIGGER md_prices_version BEFORE INSERT OR UPDATE ON md_prices
    FOR EACH ROW EXECUTE FUNCTION md_bump_version();
CREATE TABLE hq_audit (
    seq bigint PRIMARY KEY CHECK (seq > 0),
    ts timestamptz NOT NULL,
    type text NOT NULL,
    actor text,
    body bytea NOT NULL,
    prev text NOT NULL UNIQUE,
    hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE FUNCTION hq_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'hq_audit is append-only'; END $$;
CREATE TRIGGER hq_audit_no_change BEFORE UPDATE OR DELETE ON hq_audit
    FOR EACH ROW EXECUTE FUNCTION hq_audit_append_only();
CREATE TRIGGER hq_audit_no_truncate BEFORE TRUNCATE ON hq_audit
    FOR EACH STATEMENT EXECUTE FUNCTION hq_audit_append_only();
INSERT INTO hq_locks (name) VALUES ('hq_audit');
"""


def upgrade() -> None:
    op.execute(SCHEMA)
    op.execute("REVOKE ALL ON hq_audit FROM PUBLIC")
    op.execute("ALTER TABLE hq_audit ENABLE ROW LEVEL SECURITY")  # no policy for till roles: no rows
    op.execute("ALTER TABLE md_prices ENABLE ROW LEVEL SECURITY")
    op.execute(f"GRANT SELECT ON md_prices TO {TILL_GROUP}")
    op.execute(f"CREATE POLICY store_read ON md_prices FOR SELECT TO {TILL_GROUP} "
               f"USING (store_id IS NULL OR store_id = {OWN_STORE})")


def downgrade() -> None:
    op.execute("DELETE FROM hq_locks WHERE name = 'hq_audit'")
    op.execute("DROP TABLE IF EXISTS hq_audit, md_prices")
    op.execute("DROP FUNCTION IF EXISTS hq_audit_append_only()")
    op.execute("ALTER TABLE md_customers DROP COLUMN IF EXISTS contact_person")
    op.execute("ALTER TABLE md_products DROP COLUMN IF EXISTS barcodes, DROP COLUMN IF EXISTS reorder_level_milli, "
               "DROP COLUMN IF EXISTS category")
