"""Revision 0003 creates exactly the table the model describes, and goes back down cleanly."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, inspect

from db.migrate import till_config
from db.models.spool import PrintJob
from db.spool_repo import SpoolRepo, read_device_settings


def test_migration_matches_the_model_and_downgrades(engine):
    only_spool = MetaData()
    PrintJob.__table__.to_metadata(only_spool)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), only_spool)
    assert [d for d in diffs if "print_jobs" in str(d)] == []
    cfg = till_config(engine)
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001_core")
        conn.commit()
    assert "print_jobs" not in inspect(engine).get_table_names()


def test_repository_round_trip_and_device_settings(engine):
    with engine.begin() as conn:
        repo = SpoolRepo(conn)
        first = repo.add(created_at="2026-11-21T10:00:00.000000Z", kind="receipt", ref="R1", body=b"\x1b@a",
                         kick=b"\x1bp\x00\x19\xfa", kick_deadline="2026-11-21T10:01:00.000000Z")
        second = repo.add(created_at="2026-11-21T10:00:01.000000Z", kind="report", ref="X", body=b"b")
        conn.exec_driver_sql("INSERT INTO settings(key, value) VALUES ('device.printer', 'none'), ('x', 'y')")
    with engine.begin() as conn:
        repo = SpoolRepo(conn)
        assert repo.next_pending().id == first and repo.count_pending() == 2
        repo.mark_kick_done(first)
        repo.mark_body_written(first)
        repo.mark_done(first, "2026-11-21T10:00:02.000000Z")
        repo.mark_done(first, "2026-11-21T11:00:00.000000Z")  # done stays done, first time kept
        assert repo.cancel(second) and not repo.cancel(second)
        job = repo.get(first)
        assert (job.state, job.kick_done, job.body_written, job.done_at) == (
            "done", True, 1, "2026-11-21T10:00:02.000000Z")
        assert repo.next_pending() is None
        assert read_device_settings(conn) == {"device.printer": "none"}
