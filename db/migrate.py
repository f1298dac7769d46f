"""Bringing a till database to the schema this code knows, and refusing one made by newer code."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

TILL_SCRIPTS = Path(__file__).resolve().parent.parent / "migrations" / "till"


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer Tillstone; opening it could damage it."""


def till_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(TILL_SCRIPTS))
    cfg.set_main_option("sqlalchemy.url", str(engine.url))
    return cfg


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def check_not_newer(engine: Engine) -> None:
    """Refuse a database stamped with a revision this code does not have."""
    known = {rev.revision for rev in ScriptDirectory.from_config(till_config(engine)).walk_revisions()}
    unknown = current_revisions(engine) - known
    if unknown:
        raise SchemaTooNewError(
            "This till database was created by a newer version of Tillstone "
            f"(schema {', '.join(sorted(unknown))}). Install that version or newer to open it."
        )


def upgrade_to_head(engine: Engine) -> None:
    """Apply every pending revision (all heads: independent areas have their own revisions)."""
    check_not_newer(engine)
    cfg = till_config(engine)
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
        conn.commit()


def downgrade(engine: Engine, target: str) -> None:
    cfg = till_config(engine)
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, target)
        conn.commit()
