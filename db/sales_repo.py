"""Finalised sales, voids and refunds: inserted once, read many times, never updated."""

from __future__ import annotations

from dataclasses import asdict
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select

from db.models.base import table
from db.models.sales import Refund, RefundLine, RefundPayment, Sale, SaleLine, SalePayment, SaleVoid
from db.raw_sql import RawSql, insert_sql
from kernel.sale_records import (
    PaymentRecord,
    RefundLineRecord,
    RefundRecord,
    SaleLineRecord,
    SaleRecord,
    VoidRecord,
)

SALES, LINES, PAYS = table(Sale), table(SaleLine), table(SalePayment)
VOIDS, REFUNDS, RLINES, RPAYS = table(SaleVoid), table(Refund), table(RefundLine), table(RefundPayment)

# The columns a completed sale writes, each the record field of the same name: a new column of
# `sale_lines` is one more name in `_LINE_FIELDS` (and the field in kernel.sale_records).
_SALE_FIELDS = ("id", "receipt_no", "business_date", "shift_id", "user_id", "customer_id", "completed_at",
                "started_at", "line_discount", "subtotal_discount", "net", "tax", "rounding", "gross", "change",
                "audit_seq")
_LINE_FIELDS = ("id", "position", "product_id", "sku", "name", "qty_milli", "unit_price", "discount",
                "subtotal_share", "net", "tax", "gross", "tax_code", "tax_rate_bp", "unit_cost", "promotion_id",
                "promotion_discount")
_SALE_SQL = insert_sql(SALES, _SALE_FIELDS)
_LINE_SQL = insert_sql(LINES, ("sale_id", *_LINE_FIELDS))
_PAY_SQL = insert_sql(PAYS, ("id", "sale_id", "position", "method", "amount", "reference"))
_sale_values, _line_values = attrgetter(*_SALE_FIELDS), attrgetter(*_LINE_FIELDS)


class SalesRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- writes ----------------------------------------------------------------------------
    def insert_sale(self, sale: SaleRecord) -> None:
        """Core inserts compiled once, run with the driver's executemany: a 20-line checkout should
        cost little more than its fsync."""
        s, sql = sale, RawSql(self.conn)
        sql.run(_SALE_SQL, _sale_values(s))
        sql.many(_LINE_SQL, [(s.id, *_line_values(ln)) for ln in s.lines])
        sql.many(_PAY_SQL, [(f"{s.id}:p{p.position}", s.id, p.position, p.method, p.amount, p.reference)
                            for p in s.payments])

    def insert_void(self, void: VoidRecord) -> None:
        self.conn.execute(insert(VOIDS).values(**asdict(void)))

    def insert_refund(self, refund: RefundRecord) -> None:
        values = {k: v for k, v in asdict(refund).items() if k not in ("lines", "payments")}
        self.conn.execute(insert(REFUNDS).values(**values))
        self.conn.execute(insert(RLINES), [{**asdict(line), "refund_id": refund.id} for line in refund.lines])
        if refund.payments:
            self.conn.execute(
                insert(RPAYS),
                [{"id": f"{refund.id}:p{p.position}", "refund_id": refund.id, "position": p.position,
                  "method": p.method, "amount": p.amount} for p in refund.payments],
            )

    # -- reads -----------------------------------------------------------------------------
    def _sale_from_row(self, row: Row[Any]) -> SaleRecord:
        lines = tuple(
            SaleLineRecord(**{k: r._mapping[k] for k in SaleLineRecord.__dataclass_fields__})
            for r in self.conn.execute(select(LINES).where(LINES.c.sale_id == row.id).order_by(LINES.c.position))
        )
        payments = tuple(
            PaymentRecord(position=r.position, method=r.method, amount=r.amount, reference=r.reference)
            for r in self.conn.execute(select(PAYS).where(PAYS.c.sale_id == row.id).order_by(PAYS.c.position))
        )
        fields = {k: row._mapping[k] for k in SaleRecord.__dataclass_fields__ if k not in ("lines", "payments")}
        return SaleRecord(**fields, lines=lines, payments=payments)

    def sale(self, sale_id: str) -> SaleRecord | None:
        row = self.conn.execute(select(SALES).where(SALES.c.id == sale_id)).first()
        return self._sale_from_row(row) if row else None

    def sale_by_receipt(self, receipt_no: str) -> SaleRecord | None:
        row = self.conn.execute(select(SALES).where(SALES.c.receipt_no == receipt_no)).first()
        return self._sale_from_row(row) if row else None

    def void_of(self, sale_id: str) -> VoidRecord | None:
        row = self.conn.execute(select(VOIDS).where(VOIDS.c.sale_id == sale_id)).first()
        return VoidRecord(**dict(row._mapping)) if row else None

    def refund(self, refund_id: str) -> RefundRecord | None:
        row = self.conn.execute(select(REFUNDS).where(REFUNDS.c.id == refund_id)).first()
        if row is None:
            return None
        lines = tuple(
            RefundLineRecord(**{k: r._mapping[k] for k in RefundLineRecord.__dataclass_fields__})
            for r in self.conn.execute(
                select(RLINES).where(RLINES.c.refund_id == refund_id).order_by(RLINES.c.position)
            )
        )
        payments = tuple(
            PaymentRecord(position=r.position, method=r.method, amount=r.amount)
            for r in self.conn.execute(
                select(RPAYS).where(RPAYS.c.refund_id == refund_id).order_by(RPAYS.c.position)
            )
        )
        fields = {k: row._mapping[k] for k in RefundRecord.__dataclass_fields__ if k not in ("lines", "payments")}
        return RefundRecord(**fields, lines=lines, payments=payments)

    def refunds_of(self, sale_id: str) -> list[RefundRecord]:
        ids = [r.id for r in self.conn.execute(
            select(REFUNDS.c.id).where(REFUNDS.c.original_sale_id == sale_id).order_by(REFUNDS.c.created_at)
        )]
        return [rec for rec in (self.refund(i) for i in ids) if rec]

    def refunded_by_method(self, sale_id: str) -> dict[str, int]:
        rows = self.conn.execute(
            select(RPAYS.c.method, func.sum(RPAYS.c.amount).label("total"))
            .join(REFUNDS, REFUNDS.c.id == RPAYS.c.refund_id)
            .where(REFUNDS.c.original_sale_id == sale_id).group_by(RPAYS.c.method)
        )
        return {r.method: int(r.total) for r in rows}

    def receipts_of_day(self, business_date: str) -> list[str]:
        return [r.receipt_no for r in self.conn.execute(
            select(SALES.c.receipt_no).where(SALES.c.business_date == business_date).order_by(SALES.c.receipt_no)
        )]
