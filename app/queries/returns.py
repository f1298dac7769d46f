"""A receipt as the returns screen shows it: its lines, what may still come back, whether voided."""

from __future__ import annotations

from dataclasses import dataclass

from app.context import TillContext
from app.domain.returnable import returnable_qty
from app.usecases.returns import sale_named
from kernel.sale_records import SaleRecord


@dataclass(frozen=True)
class Returnable:
    sale: SaleRecord
    left: dict[str, int]  # sale line id -> quantity (thousandths) that may still come back
    voided: bool


def returnable(ctx: TillContext, ref: str) -> Returnable:
    """The sale a receipt number (or sale id) names, with what is left to return on each line."""
    with ctx.uow(read_only=True) as uow:
        sale = sale_named(uow, ref)
        left = returnable_qty(sale, uow.sales.refunds_of(sale.id))
        voided = uow.sales.void_of(sale.id) is not None
    return Returnable(sale, left, voided)
