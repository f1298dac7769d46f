"""Shifts, their closes, cash movements and no-sale drawer openings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, and_, func, insert, select, union_all, update

from db.models.base import table
from db.models.sales import Refund, RefundPayment, Sale, SalePayment, SaleVoid
from db.models.shifts import CashMovement, DrawerOpening, Shift, ShiftClose
from db.raw_sql import RawSql
from kernel.records import ShiftInfo

SHIFTS, CLOSES, CASH, DRAWER = table(Shift), table(ShiftClose), table(CashMovement), table(DrawerOpening)
SALES, PAYS, VOIDS = table(Sale), table(SalePayment), table(SaleVoid)
REFUNDS, RPAYS = table(Refund), table(RefundPayment)


def _shift(row: Row[Any]) -> ShiftInfo:
    return ShiftInfo(id=row.id, user_id=row.user_id, status=row.status, business_date=row.business_date,
                     opened_at=row.opened_at, opening_float=row.opening_float, open_counter=row.open_counter)


def _shift_of(row: tuple[Any, ...]) -> ShiftInfo:
    """From (id, user_id, status, business_date, opened_at, opening_float, open_counter)."""
    return ShiftInfo(id=row[0], user_id=row[1], status=row[2], business_date=row[3], opened_at=row[4],
                     opening_float=row[5], open_counter=row[6])


class ShiftsRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def open_shift(self) -> ShiftInfo | None:
        """The till's shift that is not closed (active or suspended), if any."""
        row = self.conn.execute(select(SHIFTS).where(SHIFTS.c.status != "CLOSED").limit(1)).first()
        return _shift(row) if row else None

    def shift(self, shift_id: str) -> ShiftInfo | None:
        row = RawSql(self.conn).one(
            "SELECT id, user_id, status, business_date, opened_at, opening_float, open_counter "
            "FROM shifts WHERE id = ?",
            (shift_id,),
        )
        return _shift_of(row) if row else None

    def open_older_than(self, opened_before: str) -> list[ShiftInfo]:
        """Shifts not closed that were opened before the given time, oldest first."""
        rows = self.conn.execute(select(SHIFTS).where(SHIFTS.c.status != "CLOSED", SHIFTS.c.opened_at < opened_before)
                                 .order_by(SHIFTS.c.opened_at))
        return [_shift(r) for r in rows]

    def shifts(self, *, business_date: str | None = None, status: str | None = None) -> list[ShiftInfo]:
        stmt = select(SHIFTS).order_by(SHIFTS.c.opened_at)
        if business_date:
            stmt = stmt.where(SHIFTS.c.business_date == business_date)
        if status:
            stmt = stmt.where(SHIFTS.c.status == status)
        return [_shift(r) for r in self.conn.execute(stmt)]

    def next_open_counter(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(SHIFTS)).scalar_one()) + 1

    def insert_shift(self, info: ShiftInfo, audit_seq: int) -> None:
        self.conn.execute(insert(SHIFTS).values(
            id=info.id, user_id=info.user_id, status=info.status, business_date=info.business_date,
            opened_at=info.opened_at, opening_float=info.opening_float, open_counter=info.open_counter,
            audit_seq=audit_seq,
        ))

    def set_status(self, shift_id: str, status: str) -> None:
        self.conn.execute(update(SHIFTS).where(SHIFTS.c.id == shift_id).values(status=status))

    def insert_close(self, *, shift_id: str, closed_at: str, closed_by: str, expected: int, counted: int,
                     note: str | None, audit_seq: int) -> None:
        self.conn.execute(insert(CLOSES).values(
            shift_id=shift_id, closed_at=closed_at, closed_by=closed_by, expected_cash=expected,
            counted_cash=counted, difference=counted - expected, note=note, audit_seq=audit_seq,
        ))
        self.set_status(shift_id, "CLOSED")

    def close_of(self, shift_id: str) -> Row[Any] | None:
        return self.conn.execute(select(CLOSES).where(CLOSES.c.shift_id == shift_id)).first()

    def last_close(self) -> Row[Any] | None:
        """The most recent shift close (what the drawer held when it was last counted)."""
        return self.conn.execute(select(CLOSES).order_by(CLOSES.c.closed_at.desc(), CLOSES.c.audit_seq.desc())
                                 .limit(1)).first()

    def insert_cash_movement(self, **values: object) -> None:
        self.conn.execute(insert(CASH).values(**values))

    def insert_drawer_opening(self, **values: object) -> None:
        self.conn.execute(insert(DRAWER).values(**values))

    def cash_movement(self, movement_id: str) -> Row[Any] | None:
        return self.conn.execute(select(CASH).where(CASH.c.id == movement_id)).first()

    def expected_cash(self, shift_id: str) -> int:
        """Opening float + cash taken net of change - cash refunded + cash in - cash out."""
        shift = self.shift(shift_id)
        if shift is None:
            return 0
        not_voided = ~select(VOIDS.c.sale_id).where(VOIDS.c.sale_id == SALES.c.id).exists()
        tendered = self.conn.execute(
            select(func.coalesce(func.sum(PAYS.c.amount), 0)).join(SALES, SALES.c.id == PAYS.c.sale_id)
            .where(SALES.c.shift_id == shift_id, PAYS.c.method == "cash", not_voided)
        ).scalar_one()
        change = self.conn.execute(
            select(func.coalesce(func.sum(SALES.c.change), 0)).where(SALES.c.shift_id == shift_id, not_voided)
        ).scalar_one()
        refunded = self.conn.execute(
            select(func.coalesce(func.sum(RPAYS.c.amount), 0)).join(REFUNDS, REFUNDS.c.id == RPAYS.c.refund_id)
            .where(REFUNDS.c.shift_id == shift_id, RPAYS.c.method == "cash")
        ).scalar_one()
        moves = {
            kind: self.conn.execute(
                select(func.coalesce(func.sum(CASH.c.amount), 0)).where(
                    and_(CASH.c.shift_id == shift_id, CASH.c.kind == kind)
                )
            ).scalar_one()
            for kind in ("in", "out")
        }
        return int(shift.opening_float + tendered - change - refunded + moves["in"] - moves["out"])

    def life_counts(self, shift_id: str | None = None) -> dict[str, Any]:
        """What seed 001's shift records carry: transactions (sales and refunds, each with a receipt
        number) with the last receipt number, and cash operations (cash in/out, no-sale openings)
        with the last one's time; for one shift, or the whole till when `shift_id` is None."""
        def scoped(tbl: Any) -> Any:
            return select(tbl).where(tbl.c.shift_id == shift_id) if shift_id else select(tbl)

        receipts = union_all(scoped(SALES).with_only_columns(SALES.c.receipt_no, SALES.c.completed_at.label("at")),
                             scoped(REFUNDS).with_only_columns(REFUNDS.c.receipt_no, REFUNDS.c.created_at.label("at"))
                             ).subquery()
        cash_ops = union_all(scoped(CASH).with_only_columns(CASH.c.created_at.label("at")),
                             scoped(DRAWER).with_only_columns(DRAWER.c.created_at.label("at"))).subquery()
        count, = self.conn.execute(select(func.count()).select_from(receipts)).one()
        last = self.conn.execute(select(receipts.c.receipt_no)
                                 .order_by(receipts.c.at.desc(), receipts.c.receipt_no.desc()).limit(1)).scalar()
        ops, last_op = self.conn.execute(select(func.count(), func.max(cash_ops.c.at))).one()
        return {"transaction_count": int(count), "last_receipt_no": last, "cash_operation_count": int(ops),
                "last_cash_operation_at": last_op}

