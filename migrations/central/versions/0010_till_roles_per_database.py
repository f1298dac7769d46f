"""central store: a till's login role has power in the one database that enrolled it

Revision ID: 0010_till_roles_per_database
Revises: 0007_web_users
Create Date: 2026-12-04 19:10:00

Roles are cluster-wide, databases are not: with role names made from the till id alone, two central
databases on one server (production and training, two companies) shared `till_s001_t01`, and
enrolling S001-T01 in the second reset the first's password; every database grants CONNECT to PUBLIC
by default, and the group `tillstone_till` carries its grants into each database. Three rules now:

- `central_identity.tag`, random per database, is part of every new till role's name
  (`till_<tag>_s001_t01`), so the same till id enrolled in two databases gets two roles;
- CONNECT and TEMPORARY on this database are revoked from PUBLIC; enrolment grants them to the till's
  own role only, so a role enrolled elsewhere cannot log in here;
- every table a till role may touch gets a restrictive policy `enrolled_here`: rows only for a role
  this database's `tills` names. A role given CONNECT here by mistake still reads and writes nothing.

Tills enrolled before this revision keep their role names; a till id enrolled under the old naming in
two databases shares one role and must be enrolled again under a new id in one of them.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0010_till_roles_per_database"
down_revision: str | Sequence[str] | None = "0009_promotions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TILL_GROUP = "tillstone_till"
ENROLLED_HERE = "EXISTS (SELECT 1 FROM tills t WHERE t.role_name = current_user)"

IDENTITY = """
CREATE TABLE central_identity (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    tag text NOT NULL CHECK (tag ~ '^[a-z0-9]{8}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO central_identity (tag) VALUES (substr(md5(gen_random_uuid()::text), 1, 8));
"""

PUBLIC_OFF = """
DO $$ BEGIN
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END $$
"""

# `tills` itself is left out: its own policy (role_name = current_user) is this rule already, and a
# policy on tills that reads tills would recurse.
GUARDED = f"""
DO $$ DECLARE t text; BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'tills'
               AND (has_table_privilege('{TILL_GROUP}', c.oid, 'SELECT')
                    OR has_table_privilege('{TILL_GROUP}', c.oid, 'INSERT')
                    OR has_any_column_privilege('{TILL_GROUP}', c.oid, 'SELECT, INSERT, UPDATE'))
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY enrolled_here ON %I AS RESTRICTIVE FOR ALL TO {TILL_GROUP} '
                       'USING ({ENROLLED_HERE}) WITH CHECK ({ENROLLED_HERE})', t);
    END LOOP;
END $$
"""


def upgrade() -> None:
    op.execute(IDENTITY)
    op.execute(PUBLIC_OFF)
    op.execute(GUARDED)


def downgrade() -> None:
    op.execute("""
DO $$ DECLARE t text; BEGIN
    FOR t IN SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname = 'enrolled_here'
    LOOP EXECUTE format('DROP POLICY enrolled_here ON %I', t); END LOOP;
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO PUBLIC', current_database());
END $$
""")
    op.execute("DROP TABLE IF EXISTS central_identity")
