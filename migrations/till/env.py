"""Alembic environment for the till's SQLite schema (batch mode: SQLite cannot ALTER much)."""

from alembic import context

import db.models  # noqa: F401 - registers every table
from db.models.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    from db.engine import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url").removeprefix("sqlite:///"))
    connection = engine.connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
