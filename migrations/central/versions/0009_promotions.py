"""central store: promotions and price lists head office publishes to the tills

Revision ID: 0009_promotions
Revises: 0007_web_users
Create Date: 2026-12-04 19:10:00

`md_promotions` holds one row per promotion (its id is head office's, as the file gives it), for
every store (`store_id` NULL) or one; `rule` is the till's stored form (JSON text, checked again by
every till that pulls it). A till reads only its own store's rows and those for every store.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0009_promotions"
down_revision: str | Sequence[str] | None = "0008_unit_cost"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TILL_GROUP = "tillstone_till"
CONSOLE = "tillstone_console"
OWN_STORE = "(SELECT t.store_id FROM tills t WHERE t.role_name = current_user)"

SCHEMA = """
CREATE TABLE md_promotions (
    id bigint PRIMARY KEY CHECK (id > 0),
    store_id text REFERENCES stores,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    kind text NOT NULL CHECK (kind IN ('multibuy', 'mixmatch', 'category', 'price_list')),
    rule text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    version bigint NOT NULL DEFAULT 0
);
CREATE INDEX md_promotions_version ON md_promotions (version);
CREATE TRIGGER md_promotions_version BEFORE INSERT OR UPDATE ON md_promotions
    FOR EACH ROW EXECUTE FUNCTION md_bump_version();
"""


def upgrade() -> None:
    op.execute(SCHEMA)
    op.execute("ALTER TABLE md_promotions ENABLE ROW LEVEL SECURITY")
    op.execute(f"GRANT SELECT ON md_promotions TO {TILL_GROUP}")
    op.execute(f"CREATE POLICY store_read ON md_promotions FOR SELECT TO {TILL_GROUP} "
               f"USING (store_id IS NULL OR store_id = {OWN_STORE})")
    op.execute(f"GRANT SELECT ON md_promotions TO {CONSOLE}")
    op.execute(f"CREATE POLICY console_read ON md_promotions FOR SELECT TO {CONSOLE} USING (true)")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS md_promotions")
