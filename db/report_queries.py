"""Aggregates behind every report (X, Z, shift, commission): the only SQL the reports run.

Every figure is filtered either by business date or by shift, never both, so the X/Z report
and the shift report share one set of queries and cannot drift apart.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, and_, case, func, select

from db.models.base import table
from db.models.catalogue import TaxRate
from db.models.sales import Refund, RefundLine, RefundPayment, Sale, SaleLine, SalePayment, SaleVoid
from db.models.shifts import CashMovement, DrawerOpening, Shift, ShiftClose
from db.models.z_reports import ZReport

SALES, LINES, PAYS, VOIDS = table(Sale), table(SaleLine), table(SalePayment), table(SaleVoid)
REFUNDS, RLINES, RPAYS = table(Refund), table(RefundLine), table(RefundPayment)
SHIFTS, CLOSES, CASH, DRAWER = table(Shift), table(ShiftClose), table(CashMovement), table(DrawerOpening)
TAXES = table(TaxRate)
COMMISSION_KEYS = tuple(f"{status}_{fig}" for status in ("final", "pending", "cancelled", "final_refund",
                                                                       "pending_refund")
                        for fig in ("count", "gross", "tax"))


def _scope(table: Table, business_date: str | None, shift_id: str | None) -> ColumnElement[bool]:
    if shift_id is not None:
        return table.c.shift_id == shift_id
    return table.c.business_date == business_date


class ReportQueries:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def figures(self, *, business_date: str | None = None, shift_id: str | None = None) -> dict[str, Any]:
        """Raw integer sums (minor units, thousandths) for one business date or one shift."""
        if (business_date is None) == (shift_id is None):
            raise ValueError("give exactly one of business_date and shift_id")
        kept = and_(_scope(SALES, business_date, shift_id),
                    ~select(VOIDS.c.sale_id).where(VOIDS.c.sale_id == SALES.c.id).exists())
        zero = func.coalesce
        sales = self.conn.execute(select(
            func.count(), zero(func.sum(SALES.c.gross), 0), zero(func.sum(SALES.c.subtotal_discount), 0),
            zero(func.sum(case((SALES.c.subtotal_discount != 0, 1), else_=0)), 0),
            zero(func.sum(SALES.c.change), 0),
        ).where(kept)).one()
        lines = self.conn.execute(select(
            zero(func.sum(LINES.c.qty_milli), 0), zero(func.sum(LINES.c.discount), 0),
            zero(func.sum(case((LINES.c.discount != 0, 1), else_=0)), 0),
        ).join(SALES, SALES.c.id == LINES.c.sale_id).where(kept)).one()
        refunds = self.conn.execute(select(func.count(), zero(func.sum(REFUNDS.c.gross), 0))
                                    .where(_scope(REFUNDS, business_date, shift_id))).one()
        refund_qty = self.conn.execute(select(zero(func.sum(RLINES.c.qty_milli), 0))
                                       .join(REFUNDS, REFUNDS.c.id == RLINES.c.refund_id)
                                       .where(_scope(REFUNDS, business_date, shift_id))).scalar_one()
        taxes: dict[str, dict[str, int]] = {}
        sides = ((1, LINES, SALES, LINES.c.sale_id), (-1, RLINES, REFUNDS, RLINES.c.refund_id))
        for sign, line_table, parent, key in sides:
            where = kept if parent is SALES else _scope(REFUNDS, business_date, shift_id)
            for row in self.conn.execute(
                select(line_table.c.tax_code, func.sum(line_table.c.tax), func.sum(line_table.c.net),
                       func.sum(line_table.c.qty_milli))
                .join(parent, parent.c.id == key).where(where).group_by(line_table.c.tax_code)
            ):
                t = taxes.setdefault(row[0], {"tax": 0, "net": 0, "qty": 0})
                t["tax"] += sign * int(row[1])
                t["net"] += sign * int(row[2])
                t["qty"] += sign * int(row[3])
        payments: dict[str, dict[str, int]] = {}
        for row in self.conn.execute(select(PAYS.c.method, func.sum(PAYS.c.amount), func.count())
                                     .join(SALES, SALES.c.id == PAYS.c.sale_id).where(kept).group_by(PAYS.c.method)):
            payments[row[0]] = {"amount": int(row[1]), "count": int(row[2])}
        for row in self.conn.execute(select(RPAYS.c.method, func.sum(RPAYS.c.amount), func.count())
                                     .join(REFUNDS, REFUNDS.c.id == RPAYS.c.refund_id)
                                     .where(_scope(REFUNDS, business_date, shift_id)).group_by(RPAYS.c.method)):
            p = payments.setdefault(row[0], {"amount": 0, "count": 0})
            p["amount"] -= int(row[1])
            p["count"] += int(row[2])
        if "cash" in payments:
            payments["cash"]["amount"] -= int(sales[4])
        shift_where = SHIFTS.c.id == shift_id if shift_id else SHIFTS.c.business_date == business_date
        floats = self.conn.execute(select(zero(func.sum(SHIFTS.c.opening_float), 0), func.count())
                                   .where(shift_where)).one()
        closes = self.conn.execute(select(zero(func.sum(CLOSES.c.counted_cash), 0), func.count())
                                   .join(SHIFTS, SHIFTS.c.id == CLOSES.c.shift_id).where(shift_where)).one()
        moves = {kind: self.conn.execute(select(zero(func.sum(CASH.c.amount), 0), func.count())
                                         .where(_scope(CASH, business_date, shift_id), CASH.c.kind == kind)).one()
                 for kind in ("in", "out")}
        voids = self.conn.execute(select(func.count(), zero(func.sum(SALES.c.gross), 0))
                                  .join(VOIDS, VOIDS.c.sale_id == SALES.c.id)
                                  .where(_scope(SALES, business_date, shift_id))).one()
        no_sales = self.conn.execute(select(func.count()).select_from(DRAWER)
                                     .where(_scope(DRAWER, business_date, shift_id))).scalar_one()
        return {
            "sales_count": int(sales[0]), "sales_gross_paid": int(sales[1]), "subtotal_discount": int(sales[2]),
            "subtotal_discount_count": int(sales[3]), "change": int(sales[4]),
            "qty": int(lines[0]), "line_discount": int(lines[1]), "line_discount_count": int(lines[2]),
            "refund_count": int(refunds[0]), "refund_gross": int(refunds[1]), "refund_qty": int(refund_qty),
            "taxes": taxes, "payments": payments,
            "opening_floats": int(floats[0]), "shift_count": int(floats[1]),
            "counted": int(closes[0]), "closed_count": int(closes[1]),
            "cash_in": (int(moves["in"][0]), int(moves["in"][1])),
            "cash_out": (int(moves["out"][0]), int(moves["out"][1])),
            "void_count": int(voids[0]), "void_gross": int(voids[1]), "no_sale_count": int(no_sales),
        }

    def tax_names(self) -> dict[str, str]:
        return {r.code: r.name for r in self.conn.execute(select(TAXES.c.code, TAXES.c.name))}

    def sale_times(self, shift_id: str) -> list[tuple[str | None, str, int, bool]]:
        """(first scan, completed, gross, voided) of each sale of the shift, in completion order."""
        voided = select(VOIDS.c.sale_id).where(VOIDS.c.sale_id == SALES.c.id).exists()
        return [(r[0], r[1], int(r[2]), bool(r[3])) for r in self.conn.execute(
            select(SALES.c.started_at, SALES.c.completed_at, SALES.c.gross, voided)
            .where(SALES.c.shift_id == shift_id).order_by(SALES.c.completed_at))]

    def refund_grosses(self, shift_id: str) -> list[int]:
        return [int(r[0]) for r in self.conn.execute(select(REFUNDS.c.gross).where(REFUNDS.c.shift_id == shift_id))]

    def activity_times(self, shift_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute(select(SALES.c.completed_at).where(SALES.c.shift_id == shift_id))]

    def failed_logins_between(self, start: str, end: str) -> dict[str, int]:
        rows = self.conn.exec_driver_sql(
            "SELECT json_extract(body, '$.data.user_id'), count(*) FROM audit_log "
            "WHERE type = 'user.login_failed' AND ts >= ? AND ts <= ? GROUP BY 1", (start, end))
        return {r[0]: int(r[1]) for r in rows}

    def kept_sales(self, shift_id: str) -> list[tuple[str, int]]:
        """(sale id, gross) of the shift's sales that are not voided, in completion order."""
        voided = select(VOIDS.c.sale_id).where(VOIDS.c.sale_id == SALES.c.id).exists()
        return [(r[0], int(r[1])) for r in self.conn.execute(
            select(SALES.c.id, SALES.c.gross).where(SALES.c.shift_id == shift_id, ~voided)
            .order_by(SALES.c.completed_at))]

    def kept_totals(self, shift_id: str) -> tuple[int, int]:
        """(count, Σ gross) of the shift's sales that are not voided: the live large-sale rule's
        average, in one aggregate (checkout runs it after every sale)."""
        row = self.conn.exec_driver_sql(
            "SELECT count(*), COALESCE(SUM(gross), 0) FROM sales s WHERE s.shift_id = ? "
            "AND NOT EXISTS (SELECT 1 FROM sale_voids v WHERE v.sale_id = s.id)", (shift_id,)).one()
        return int(row[0]), int(row[1])

    def void_totals(self, shift_id: str) -> tuple[int, int]:
        """(count, Σ gross) of the shift's voided sales."""
        row = self.conn.exec_driver_sql(
            "SELECT count(*), COALESCE(SUM(s.gross), 0) FROM sale_voids v JOIN sales s ON s.id = v.sale_id "
            "WHERE v.shift_id = ?", (shift_id,)).one()
        return int(row[0]), int(row[1])

    def anomaly_flags(self, shift_id: str, after_seq: int = 0) -> list[dict[str, Any]]:
        """The shift's `anomaly.flagged` entries after `after_seq`, oldest first, as their data
        with `seq` and `ts`."""
        rows = self.conn.exec_driver_sql(
            "SELECT seq, ts, body FROM audit_log WHERE type = 'anomaly.flagged' AND seq > ? "
            "AND json_extract(body, '$.data.shift_id') = ? ORDER BY seq", (after_seq, shift_id))
        out = []
        for seq, ts, body in rows:
            data = json.loads(body)["data"]
            out.append({**data, "seq": int(seq), "ts": ts})
        return out

    def commission_figures(self, first_date: str, last_date: str) -> dict[str, dict[str, int]]:
        """Per cashier between two business dates: kept sales split by whether their day has a Z
        (final) or not (pending), voided sales (cancelled), and refunds they gave split the same way."""
        z_days = select(table(ZReport).c.business_date)
        closed = SALES.c.business_date.in_(z_days)
        voided = select(VOIDS.c.sale_id).where(VOIDS.c.sale_id == SALES.c.id).exists()
        out: dict[str, dict[str, int]] = {}

        def row(user_id: str) -> dict[str, int]:
            return out.setdefault(user_id, dict.fromkeys(COMMISSION_KEYS, 0))

        for r in self.conn.execute(select(SALES.c.user_id, voided, closed, func.count(), func.sum(SALES.c.gross),
                                          func.sum(SALES.c.tax))
                                   .where(SALES.c.business_date.between(first_date, last_date))
                                   .group_by(SALES.c.user_id, voided, closed)):
            status = "cancelled" if r[1] else "final" if r[2] else "pending"
            fig = row(r[0])
            fig[f"{status}_count"] += int(r[3])
            fig[f"{status}_gross"] += int(r[4])
            fig[f"{status}_tax"] += int(r[5])
        refund_closed = REFUNDS.c.business_date.in_(z_days)
        for r in self.conn.execute(select(REFUNDS.c.user_id, refund_closed, func.count(), func.sum(REFUNDS.c.gross),
                                          func.sum(REFUNDS.c.tax))
                                   .where(REFUNDS.c.business_date.between(first_date, last_date))
                                   .group_by(REFUNDS.c.user_id, refund_closed)):
            status = "final_refund" if r[1] else "pending_refund"
            fig = row(r[0])
            fig[f"{status}_count"] += int(r[2])
            fig[f"{status}_gross"] += int(r[3])
            fig[f"{status}_tax"] += int(r[4])
        return out

    def user_names(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.conn.exec_driver_sql("SELECT id, name FROM users")}

    def last_checkpoint(self) -> tuple[int, bytes] | None:
        row = self.conn.exec_driver_sql(
            "SELECT seq, body FROM audit_log WHERE type = 'audit.checkpoint' ORDER BY seq DESC LIMIT 1").first()
        return (row[0], bytes(row[1])) if row else None
