"""Every SQL statement of the print spool, and the device settings read for `devices list`.

`SpoolRepo` works inside a caller's transaction (the unit of work of a sale, a refund, a cash
movement), so a job exists exactly when its business record does. `SpoolStore` is what the
device worker drains: the same statements, each in its own short transaction; it has the shape
of `devices.spool.JobStore` without importing devices.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Row, select, update

from db.engine import READ_ONLY
from db.models.base import table
from db.models.settings import Setting
from db.models.spool import PrintJob
from kernel.print_jobs import SpoolJob

JOBS = table(PrintJob)
SETTINGS = table(Setting)
DEVICE_KEYS = (
    "device.printer", "device.printer_profile", "device.paper_width", "device.drawer",
    "device.display", "device.scale", "device.scanner",
)


def _job(row: Row[Any]) -> SpoolJob:
    m = row._mapping
    return SpoolJob(
        m["id"], m["created_at"], m["kind"], m["ref"], bytes(m["body"]), bytes(m["kick"] or b""),
        m["kick_deadline"], bool(m["kick_done"]), m["state"], m["attempts"], m["body_written"],
        m["last_error"], m["done_at"],
    )


class SpoolRepo:
    """Print jobs by id; state moves pending -> done or cancelled, never back."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self, *, created_at: str, kind: str, ref: str, body: bytes, kick: bytes = b"",
        kick_deadline: str | None = None,
    ) -> int:
        result = self.conn.execute(
            JOBS.insert().values(
                created_at=created_at, kind=kind, ref=ref[:80], body=body, kick=kick,
                kick_deadline=kick_deadline, kick_done=0, state="pending", attempts=0, body_written=0,
            )
        )
        key = result.inserted_primary_key
        if key is None:
            raise RuntimeError("the print job was stored without an id")
        return int(key[0])

    def get(self, job_id: int) -> SpoolJob | None:
        row = self.conn.execute(select(JOBS).where(JOBS.c.id == job_id)).first()
        return _job(row) if row else None

    def next_pending(self) -> SpoolJob | None:
        row = self.conn.execute(
            select(JOBS).where(JOBS.c.state == "pending").order_by(JOBS.c.id).limit(1)
        ).first()
        return _job(row) if row else None

    def next_unkicked(self) -> SpoolJob | None:
        """The oldest waiting job whose drawer pulse has not gone out (for a drawer apart from the printer)."""
        row = self.conn.execute(
            select(JOBS).where(JOBS.c.state == "pending", JOBS.c.kick_done == 0, JOBS.c.kick != b"")
            .order_by(JOBS.c.id).limit(1)
        ).first()
        return _job(row) if row else None

    def pending_ids(self) -> list[int]:
        return list(self.conn.execute(select(JOBS.c.id).where(JOBS.c.state == "pending").order_by(JOBS.c.id))
                    .scalars())

    def count_pending(self) -> int:
        return len(self.pending_ids())

    def recent(self, limit: int = 50) -> list[SpoolJob]:
        rows = self.conn.execute(select(JOBS).order_by(JOBS.c.id.desc()).limit(limit))
        return [_job(r) for r in rows]

    def _update(self, job_id: int, **values: object) -> None:
        self.conn.execute(update(JOBS).where(JOBS.c.id == job_id).values(**values))

    def record_attempt(self, job_id: int, error: str | None) -> None:
        self.conn.execute(
            update(JOBS).where(JOBS.c.id == job_id).values(attempts=JOBS.c.attempts + 1, last_error=error)
        )

    def mark_kick_done(self, job_id: int) -> None:
        self._update(job_id, kick_done=1)

    def mark_body_written(self, job_id: int) -> None:
        self.conn.execute(
            update(JOBS).where(JOBS.c.id == job_id).values(body_written=JOBS.c.body_written + 1)
        )

    def mark_done(self, job_id: int, done_at: str) -> None:
        self.conn.execute(
            update(JOBS).where(JOBS.c.id == job_id, JOBS.c.state == "pending")
            .values(state="done", done_at=done_at, last_error=None)
        )

    def cancel(self, job_id: int) -> bool:
        result = self.conn.execute(
            update(JOBS).where(JOBS.c.id == job_id, JOBS.c.state == "pending").values(state="cancelled")
        )
        return result.rowcount == 1


class SpoolStore:
    """The spool's jobs for the device worker: every call is its own transaction, so a job's progress
    (kick sent, body written, done) is on disk before the next byte goes to the printer."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def _write(self) -> Iterator[SpoolRepo]:
        with self.engine.begin() as conn:
            yield SpoolRepo(conn)

    @contextmanager
    def _reading(self) -> Iterator[SpoolRepo]:
        with self.engine.connect().execution_options(**READ_ONLY) as conn:
            yield SpoolRepo(conn)

    def add(self, *, created_at: str, kind: str, ref: str, body: bytes, kick: bytes = b"",
            kick_deadline: str | None = None) -> int:
        with self._write() as repo:
            return repo.add(created_at=created_at, kind=kind, ref=ref, body=body, kick=kick,
                            kick_deadline=kick_deadline)

    def get(self, job_id: int) -> SpoolJob | None:
        with self._reading() as repo:
            return repo.get(job_id)

    def next_pending(self) -> SpoolJob | None:
        with self._reading() as repo:
            return repo.next_pending()

    def next_unkicked(self) -> SpoolJob | None:
        with self._reading() as repo:
            return repo.next_unkicked()

    def pending_ids(self) -> list[int]:
        with self._reading() as repo:
            return repo.pending_ids()

    def recent(self, limit: int = 50) -> list[SpoolJob]:
        with self._reading() as repo:
            return repo.recent(limit)

    def record_attempt(self, job_id: int, error: str | None) -> None:
        with self._write() as repo:
            repo.record_attempt(job_id, error)

    def mark_kick_done(self, job_id: int) -> None:
        with self._write() as repo:
            repo.mark_kick_done(job_id)

    def mark_body_written(self, job_id: int) -> None:
        with self._write() as repo:
            repo.mark_body_written(job_id)

    def mark_done(self, job_id: int, done_at: str) -> None:
        with self._write() as repo:
            repo.mark_done(job_id, done_at)

    def cancel(self, job_id: int) -> bool:
        with self._write() as repo:
            return repo.cancel(job_id)


def read_device_settings(conn: Connection) -> dict[str, str]:
    """The `device.*` keys of the settings table (missing keys are simply absent)."""
    rows = conn.execute(select(SETTINGS.c.key, SETTINGS.c.value).where(SETTINGS.c.key.in_(DEVICE_KEYS)))
    return {row.key: row.value for row in rows}
