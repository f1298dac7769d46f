"""Alembic environment for the central PostgreSQL schema (its own version tree and table)."""

from alembic import context

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    from sqlalchemy import create_engine

    connection = create_engine(config.get_main_option("sqlalchemy.url")).connect()

context.configure(connection=connection, target_metadata=None, version_table="tillstone_central_version")
with context.begin_transaction():
    context.run_migrations()
