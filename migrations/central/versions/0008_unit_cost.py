"""central store: an unknown cost is not a free product; consolidated lines keep their unit cost

Revision ID: 0008_unit_cost
Revises: 0007_web_users
Create Date: 2026-12-04 19:05:00

`md_products.cost` was NOT NULL DEFAULT 0, so head office could not publish "unknown" apart from
"free". It becomes nullable with no default; existing zeros become NULL, as on the tills
(till revision 0010_unit_cost): the catalogue import wrote 0 for an empty cost cell. The update
bumps each changed row's version, so tills pull those products again. A free product gets its 0
back with the next catalogue import that says "0".

`doc_lines.unit_cost` is the `unit_cost` of the line in its `sale.completed` or
`refund.completed` entry (NULL: unknown, or an entry written before tills recorded it), so head
office's sales exports show cost of goods sold and profit. `sales_docs.actor` is the entry's actor
(the cashier of a sale or refund, who voided a void), for the same exports; rows consolidated
before this revision get it from their accepted entry's body (NULL where the body cannot be read
as JSON). The partitions get both columns with their parent.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0008_unit_cost"
down_revision: str | Sequence[str] | None = "0007_web_users"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A body jsonb refuses (a NUL in a string, say) leaves that row's actor NULL instead of the upgrade.
ACTOR_OF_BODY = """
CREATE FUNCTION pg_temp.actor_of(body bytea) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN RETURN convert_from(body, 'UTF8')::jsonb ->> 'actor'; EXCEPTION WHEN others THEN RETURN NULL; END $$
"""


def upgrade() -> None:
    op.execute("ALTER TABLE md_products ALTER COLUMN cost DROP NOT NULL, ALTER COLUMN cost DROP DEFAULT")
    op.execute("UPDATE md_products SET cost = NULL WHERE cost = 0")
    op.execute("ALTER TABLE doc_lines ADD COLUMN unit_cost numeric")
    op.execute("ALTER TABLE sales_docs ADD COLUMN actor text")
    op.execute(ACTOR_OF_BODY)
    op.execute("""UPDATE sales_docs s SET actor = pg_temp.actor_of(r.body)
                  FROM accepted_entries a JOIN raw_entries r ON r.till = a.till AND r.seq = a.seq AND r.hash = a.hash
                  WHERE a.till = s.till AND a.seq = s.seq""")


def downgrade() -> None:
    op.execute("ALTER TABLE sales_docs DROP COLUMN actor")
    op.execute("ALTER TABLE doc_lines DROP COLUMN unit_cost")
    op.execute("UPDATE md_products SET cost = 0 WHERE cost IS NULL")
    op.execute("ALTER TABLE md_products ALTER COLUMN cost SET DEFAULT 0, ALTER COLUMN cost SET NOT NULL")
