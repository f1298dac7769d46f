"""Every SQL statement of the print spool, and the device settings read for `devices list`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from db.models.settings import Setting
from db.models.spool import PrintJob

JOBS = PrintJob.__table__
SETTINGS = Setting.__table__
DEVICE_KEYS = (
    "device.printer", "device.printer_profile", "device.paper_width", "device.drawer",
    "device.display", "device.scale", "device.scanner",
)


@dataclass(frozen=True)
class SpoolJob:
    id: int
    created_at: str
    kind: str
    ref: str
    body: bytes
    kick: bytes
    kick_deadline: str | None
    kick_done: bool
    state: str
    attempts: int
    body_written: int
    last_error: str | None
    done_at: str | None


def _job(row: object) -> SpoolJob:
    m = row._mapping  # type: ignore[attr-defined]
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
        return int(result.inserted_primary_key[0])

    def get(self, job_id: int) -> SpoolJob | None:
        row = self.conn.execute(select(JOBS).where(JOBS.c.id == job_id)).first()
        return _job(row) if row else None

    def next_pending(self) -> SpoolJob | None:
        row = self.conn.execute(
            select(JOBS).where(JOBS.c.state == "pending").order_by(JOBS.c.id).limit(1)
        ).first()
        return _job(row) if row else None

    def count_pending(self) -> int:
        return len(self.conn.execute(select(JOBS.c.id).where(JOBS.c.state == "pending")).all())

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


def read_device_settings(conn: Connection) -> dict[str, str]:
    """The `device.*` keys of the settings table (missing keys are simply absent)."""
    rows = conn.execute(select(SETTINGS.c.key, SETTINGS.c.value).where(SETTINGS.c.key.in_(DEVICE_KEYS)))
    return {row.key: row.value for row in rows}
