"""Cash counts, discrepancies, Z reports and the mail queue (tables of db/models/shift_extras.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from db.models.shift_extras import CashCount, Discrepancy, DiscrepancyResolution, MailMessage, ZReport
from db.models.shifts import Shift, ShiftClose

COUNTS, DISC, RES = CashCount.__table__, Discrepancy.__table__, DiscrepancyResolution.__table__
ZREP, MAIL, SHIFTS, CLOSES = ZReport.__table__, MailMessage.__table__, Shift.__table__, ShiftClose.__table__


class ShiftExtrasRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- counts ----------------------------------------------------------------------------
    def insert_counts(self, shift_id: str, kind: str, counts: dict[int, int]) -> None:
        rows = [{"shift_id": shift_id, "kind": kind, "denomination": d, "quantity": q}
                for d, q in sorted(counts.items()) if q]
        if rows:
            self.conn.execute(insert(COUNTS), rows)

    def counts(self, shift_id: str, kind: str) -> dict[int, int]:
        rows = self.conn.execute(select(COUNTS.c.denomination, COUNTS.c.quantity)
                                 .where(COUNTS.c.shift_id == shift_id, COUNTS.c.kind == kind))
        return {r.denomination: r.quantity for r in rows}

    def last_close(self) -> Any:
        """The most recent shift close (what the drawer held when it was last counted)."""
        return self.conn.execute(select(CLOSES).order_by(CLOSES.c.closed_at.desc(), CLOSES.c.audit_seq.desc())
                                 .limit(1)).first()

    def open_shifts_older_than(self, opened_before: str) -> list[Any]:
        return list(self.conn.execute(select(SHIFTS).where(SHIFTS.c.status != "CLOSED",
                                                           SHIFTS.c.opened_at < opened_before)
                                      .order_by(SHIFTS.c.opened_at)))

    # -- discrepancies ---------------------------------------------------------------------
    def insert_discrepancy(self, **values: Any) -> None:
        self.conn.execute(insert(DISC).values(**values))

    def insert_resolution(self, **values: Any) -> None:
        self.conn.execute(insert(RES).values(**values))

    def _disc_select(self):  # type: ignore[no-untyped-def]
        return (select(DISC, RES.c.resolved_by, RES.c.resolved_at, RES.c.note)
                .join(RES, RES.c.discrepancy_id == DISC.c.id, isouter=True).order_by(DISC.c.detected_at, DISC.c.id))

    def discrepancy(self, discrepancy_id: str) -> Any:
        return self.conn.execute(self._disc_select().where(DISC.c.id == discrepancy_id)).first()

    def discrepancies(self, *, shift_id: str | None = None, unresolved: bool = False) -> list[Any]:
        stmt = self._disc_select()
        if shift_id:
            stmt = stmt.where(DISC.c.shift_id == shift_id)
        if unresolved:
            stmt = stmt.where(RES.c.discrepancy_id.is_(None))
        return list(self.conn.execute(stmt))

    def record_ids(self) -> dict[str, list[tuple[str, int]]]:
        return {
            "discrepancies": [(r.id, r.audit_seq) for r in self.conn.execute(select(DISC.c.id, DISC.c.audit_seq))],
            "resolutions": [(r.discrepancy_id, r.audit_seq)
                            for r in self.conn.execute(select(RES.c.discrepancy_id, RES.c.audit_seq))],
        }

    # -- Z reports -------------------------------------------------------------------------
    def z_report(self, business_date: str) -> Any:
        return self.conn.execute(select(ZREP).where(ZREP.c.business_date == business_date)).first()

    def next_business_counter(self) -> int:
        return int(self.conn.execute(select(func.coalesce(func.max(ZREP.c.business_counter), 0))).scalar_one()) + 1

    def insert_z(self, **values: Any) -> None:
        self.conn.execute(insert(ZREP).values(**values))

    # -- mail queue ------------------------------------------------------------------------
    def enqueue_mail(self, **values: Any) -> None:
        self.conn.execute(insert(MAIL).values(attempts=0, **values))

    def pending_mail(self) -> list[Any]:
        return list(self.conn.execute(select(MAIL).where(MAIL.c.sent_at.is_(None)).order_by(MAIL.c.created_at)))

    def mark_mail(self, mail_id: str, *, sent_at: str | None, error: str | None) -> None:
        self.conn.execute(update(MAIL).where(MAIL.c.id == mail_id)
                          .values(attempts=MAIL.c.attempts + 1, sent_at=sent_at, last_error=error))

    def all_mail(self) -> list[Any]:
        return list(self.conn.execute(select(MAIL).order_by(MAIL.c.created_at)))
