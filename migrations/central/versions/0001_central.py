"""central store: enrolment, pushed entries, import state, consolidated tables, master data, RLS

Revision ID: 0001_central
Revises:
Create Date: 2026-11-21 17:20:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0001_central"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TILL_GROUP = "tillstone_till"
OWN_TILL = "(SELECT t.till FROM tills t WHERE t.role_name = current_user)"
OWN_STORE = "(SELECT t.store_id FROM tills t WHERE t.role_name = current_user)"

ENROLMENT = """
CREATE TABLE stores (store_id text PRIMARY KEY CHECK (store_id ~ '^[A-Z0-9]{1,8}$'), name text NOT NULL DEFAULT '');
CREATE TABLE tills (
    till text PRIMARY KEY CHECK (till ~ '^[A-Z0-9]{1,8}-[A-Z0-9]{1,8}$'),
    store_id text NOT NULL REFERENCES stores,
    role_name text NOT NULL UNIQUE,
    public_key bytea NOT NULL CHECK (length(public_key) = 32),
    key_id text NOT NULL,
    enrolled_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE witness_keys (key_id text PRIMARY KEY, public_key bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
"""

PUSHED = """
CREATE TABLE sync_batches (
    till text NOT NULL REFERENCES tills,
    batch_id uuid NOT NULL,
    first_seq bigint NOT NULL,
    last_seq bigint NOT NULL,
    n_rows integer NOT NULL,
    n_quarantined integer NOT NULL DEFAULT 0,
    till_time timestamptz NOT NULL,
    server_time timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (till, batch_id)
);
CREATE INDEX sync_batches_last ON sync_batches (till, last_seq);
-- no foreign key on till: row-level security already pins it to the inserting till's own id,
-- and a per-row key check would cost more than the rest of the push.
CREATE TABLE raw_entries (
    till text NOT NULL,
    seq bigint NOT NULL CHECK (seq > 0),
    hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    body bytea NOT NULL,
    batch_id uuid NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (till, seq, hash)
);
CREATE TABLE quarantine (
    id bigserial PRIMARY KEY,
    till text NOT NULL,
    seq bigint NOT NULL DEFAULT 0,
    hash text NOT NULL DEFAULT '',
    body bytea,
    stage text NOT NULL CHECK (stage IN ('push', 'import')),
    reason text NOT NULL,
    batch_id uuid,
    detected_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (till, seq, hash, stage, reason)
);
"""

IMPORTED = """
CREATE TABLE chain_state (
    till text PRIMARY KEY REFERENCES tills,
    accepted_seq bigint NOT NULL DEFAULT 0,
    accepted_hash text NOT NULL DEFAULT repeat('0', 64),
    frontier bytea[] NOT NULL DEFAULT '{}',
    checkpoint_size bigint NOT NULL DEFAULT 0,
    checkpoint_root text,
    last_import timestamptz
);
CREATE TABLE accepted_entries (
    till text NOT NULL,
    seq bigint NOT NULL,
    hash text NOT NULL,
    leaf_hash bytea NOT NULL,
    type text NOT NULL,
    ts timestamptz NOT NULL,
    business_date date,
    PRIMARY KEY (till, seq)
);
CREATE TABLE checkpoints (
    till text NOT NULL,
    tree_size bigint NOT NULL,
    entry_seq bigint NOT NULL,
    root text NOT NULL,
    head text NOT NULL,
    key_id text NOT NULL,
    signature text NOT NULL,
    witness jsonb NOT NULL,
    accepted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (till, tree_size)
);
CREATE TABLE problems (
    id bigserial PRIMARY KEY,
    till text NOT NULL,
    kind text NOT NULL,
    seq bigint NOT NULL DEFAULT 0,
    detail text NOT NULL,
    detected_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (till, kind, seq, detail)
);
"""

# Consolidated business data: range-partitioned by business date, one partition per month,
# created by the import as months appear (the key is part of every primary key, as it must be).
CONSOLIDATED = """
CREATE TABLE sales_docs (
    till text NOT NULL, store_id text NOT NULL, business_date date NOT NULL,
    doc_kind text NOT NULL CHECK (doc_kind IN ('sale', 'refund', 'void')),
    doc_id text NOT NULL, ref_id text, receipt_no text, shift_id text, customer_id text,
    seq bigint NOT NULL, ts timestamptz NOT NULL,
    net numeric, tax numeric, gross numeric NOT NULL, subtotal_discount numeric, change numeric,
    PRIMARY KEY (till, doc_kind, doc_id, business_date)
) PARTITION BY RANGE (business_date);
CREATE INDEX sales_docs_store_day ON sales_docs (store_id, business_date, doc_kind);
CREATE TABLE doc_lines (
    till text NOT NULL, store_id text NOT NULL, business_date date NOT NULL,
    doc_kind text NOT NULL, doc_id text NOT NULL, line_no integer NOT NULL,
    sku text NOT NULL, name text, qty numeric NOT NULL, unit_price numeric, discount numeric NOT NULL,
    net numeric NOT NULL, tax numeric NOT NULL, gross numeric NOT NULL, tax_code text NOT NULL,
    PRIMARY KEY (till, doc_kind, doc_id, line_no, business_date)
) PARTITION BY RANGE (business_date);
CREATE INDEX doc_lines_store_day ON doc_lines (store_id, business_date);
CREATE TABLE doc_payments (
    till text NOT NULL, store_id text NOT NULL, business_date date NOT NULL,
    doc_kind text NOT NULL, doc_id text NOT NULL, pay_no integer NOT NULL,
    method text NOT NULL, amount numeric NOT NULL,
    PRIMARY KEY (till, doc_kind, doc_id, pay_no, business_date)
) PARTITION BY RANGE (business_date);
CREATE INDEX doc_payments_store_day ON doc_payments (store_id, business_date);
CREATE TABLE shift_events (
    till text NOT NULL, store_id text NOT NULL, business_date date NOT NULL,
    shift_id text NOT NULL, event text NOT NULL CHECK (event IN ('opened', 'closed')),
    seq bigint NOT NULL, ts timestamptz NOT NULL,
    opening_float numeric, expected_cash numeric, counted_cash numeric, difference numeric,
    PRIMARY KEY (till, shift_id, event, business_date)
) PARTITION BY RANGE (business_date);
CREATE INDEX shift_events_store_day ON shift_events (store_id, business_date);
CREATE TABLE cash_events (
    till text NOT NULL, store_id text NOT NULL, business_date date NOT NULL,
    seq bigint NOT NULL, kind text NOT NULL CHECK (kind IN ('in', 'out', 'drawer')),
    shift_id text, amount numeric, reason text,
    PRIMARY KEY (till, seq, business_date)
) PARTITION BY RANGE (business_date);
CREATE INDEX cash_events_store_day ON cash_events (store_id, business_date);
"""

# Master data head office maintains; `version` rises on every change so tills pull incrementally.
MASTER = """
CREATE SEQUENCE md_version;
CREATE FUNCTION md_bump_version() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN NEW.version := nextval('md_version'); RETURN NEW; END $$;
CREATE TABLE md_tax_rates (code text PRIMARY KEY, name text NOT NULL, rate_bp integer NOT NULL,
    version bigint NOT NULL DEFAULT 0);
CREATE TABLE md_products (id text PRIMARY KEY, store_id text REFERENCES stores, sku text NOT NULL UNIQUE,
    name text NOT NULL, unit text NOT NULL DEFAULT 'each', price bigint NOT NULL, cost bigint NOT NULL DEFAULT 0,
    tax_code text NOT NULL REFERENCES md_tax_rates, allow_negative_stock boolean NOT NULL DEFAULT false,
    active boolean NOT NULL DEFAULT true, version bigint NOT NULL DEFAULT 0);
CREATE TABLE md_users (id text PRIMARY KEY, store_id text REFERENCES stores, name text NOT NULL,
    role text NOT NULL, pin_hash text NOT NULL, active boolean NOT NULL DEFAULT true,
    version bigint NOT NULL DEFAULT 0);
CREATE TABLE md_customers (id text PRIMARY KEY, name text NOT NULL, customer_type text NOT NULL DEFAULT 'retail',
    credit_limit bigint NOT NULL DEFAULT 0, terms_days integer NOT NULL DEFAULT 30,
    blocked boolean NOT NULL DEFAULT false, central_balance bigint NOT NULL DEFAULT 0,
    version bigint NOT NULL DEFAULT 0);
CREATE TABLE md_stock (store_id text NOT NULL REFERENCES stores, product_id text NOT NULL REFERENCES md_products,
    on_hand_milli bigint NOT NULL, version bigint NOT NULL DEFAULT 0, PRIMARY KEY (store_id, product_id));
"""
MASTER_TABLES = ("md_tax_rates", "md_products", "md_users", "md_customers", "md_stock")


def _security() -> list[str]:
    """Till roles: add their own rows, read their watermark and their store's master data."""
    sql = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{TILL_GROUP}') "
        f"THEN CREATE ROLE {TILL_GROUP} NOLOGIN; END IF; END $$",
        f"GRANT USAGE ON SCHEMA public TO {TILL_GROUP}",
        f"GRANT SELECT ON tills TO {TILL_GROUP}",
        f"GRANT SELECT ON sync_batches TO {TILL_GROUP}",
        f"GRANT INSERT (till, batch_id, first_seq, last_seq, n_rows, n_quarantined, till_time) "
        f"ON sync_batches TO {TILL_GROUP}",
        f"GRANT INSERT (till, seq, hash, body, batch_id) ON raw_entries TO {TILL_GROUP}",
        f"GRANT INSERT (till, seq, hash, body, stage, reason, batch_id) ON quarantine TO {TILL_GROUP}",
        f"GRANT USAGE ON SEQUENCE quarantine_id_seq TO {TILL_GROUP}",
    ]
    for table in ("tills", "sync_batches", "raw_entries", "quarantine", *MASTER_TABLES):
        sql.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    sql += [
        f"CREATE POLICY own_till ON tills FOR SELECT TO {TILL_GROUP} USING (role_name = current_user)",
        f"CREATE POLICY own_read ON sync_batches FOR SELECT TO {TILL_GROUP} USING (till = {OWN_TILL})",
        f"CREATE POLICY own_add ON sync_batches FOR INSERT TO {TILL_GROUP} WITH CHECK (till = {OWN_TILL})",
        f"CREATE POLICY own_add ON raw_entries FOR INSERT TO {TILL_GROUP} WITH CHECK (till = {OWN_TILL})",
        f"CREATE POLICY own_add ON quarantine FOR INSERT TO {TILL_GROUP} "
        f"WITH CHECK (till = {OWN_TILL} AND stage = 'push')",
    ]
    for table in MASTER_TABLES:
        sql.append(f"GRANT SELECT ON {table} TO {TILL_GROUP}")
        sql.append(f"CREATE TRIGGER {table}_version BEFORE INSERT OR UPDATE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION md_bump_version()")
    for table in ("md_products", "md_users"):
        sql.append(f"CREATE POLICY store_read ON {table} FOR SELECT TO {TILL_GROUP} "
                   f"USING (store_id IS NULL OR store_id = {OWN_STORE})")
    sql.append(f"CREATE POLICY store_read ON md_stock FOR SELECT TO {TILL_GROUP} USING (store_id = {OWN_STORE})")
    for table in ("md_tax_rates", "md_customers"):
        sql.append(f"CREATE POLICY all_read ON {table} FOR SELECT TO {TILL_GROUP} USING (true)")
    return sql


def upgrade() -> None:
    for block in (ENROLMENT, PUSHED, IMPORTED, CONSOLIDATED, MASTER):
        op.execute(block)
    for statement in _security():
        op.execute(statement)


def downgrade() -> None:
    op.execute(
        "DROP TABLE IF EXISTS md_stock, md_customers, md_users, md_products, md_tax_rates, cash_events, "
        "shift_events, doc_payments, doc_lines, sales_docs, problems, checkpoints, accepted_entries, "
        "chain_state, quarantine, raw_entries, sync_batches, witness_keys, tills, stores CASCADE"
    )
    op.execute("DROP FUNCTION IF EXISTS md_bump_version()")
    op.execute("DROP SEQUENCE IF EXISTS md_version")
