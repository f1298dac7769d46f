"""Verifying and exporting the till's audit log."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from app.audit import projections
from app.audit.verify import VerifyReport, check_records, entry_type, verify_chain
from app.audit.witness import check_history
from app.context import TillContext
from app.usecases import checkpoints, discrepancies

RECORD_TYPES = frozenset(
    {"sale.completed", "sale.voided", "refund.completed", "cash.in", "cash.out", "drawer.opened", "shift.closed"}
)
# The checks `audit verify` runs after the chain and the sale/shift records, in this order:
# fn(uow, ctx, report) -> None. A new check is listed here.
EXTRA_CHECKS: tuple[Callable[[Any, TillContext, VerifyReport], None], ...] = (
    discrepancies.check_records,
    checkpoints.check_checkpoints,
)


def _records(uow, exp: int) -> Iterator[tuple[str, int, dict[str, Any] | None]]:  # type: ignore[no-untyped-def]
    ids = uow.sales.ids_by_table()
    for sale_id, seq in ids["sales"]:
        sale = uow.sales.sale(sale_id)
        yield f"sale {sale.receipt_no}", seq, projections.sale_completed(sale, exp)
    for sale_id, seq in ids["voids"]:
        void, sale = uow.sales.void_of(sale_id), uow.sales.sale(sale_id)
        yield f"void of sale {sale.receipt_no}", seq, projections.sale_voided(void, sale, exp)
    for refund_id, seq in ids["refunds"]:
        refund = uow.sales.refund(refund_id)
        yield f"refund {refund.receipt_no}", seq, projections.refund_completed(refund, exp)
    other = uow.shifts.record_ids()
    for movement_id, seq in other["cash"]:
        yield f"cash movement {movement_id}", seq, projections.cash_movement(uow.shifts.cash_movement(movement_id), exp)
    for opening_id, seq in other["drawer"]:
        yield f"drawer opening {opening_id}", seq, projections.drawer_opened(uow.shifts.drawer_opening(opening_id))
    for shift_id, seq in other["closes"]:
        close, shift = uow.shifts.close_of(shift_id), uow.shifts.shift(shift_id)
        yield f"close of shift {shift_id}", seq, projections.shift_closed(close, shift.business_date, exp)


def verify(ctx: TillContext) -> VerifyReport:
    """Chain, then records, then any registered extra checks (checkpoints), then head office's
    countersignatures held on the till (a rewrite re-signed with the till's own key passes the
    checks before, not this one)."""
    report = VerifyReport()
    recorded: dict[int, str] = {}

    def note_type(seq: int, body: bytes) -> None:
        type_ = entry_type(body)
        if type_ in RECORD_TYPES:
            recorded[seq] = type_

    with ctx.uow(read_only=True) as uow:
        verify_chain(uow.audit.iter_raw(), ctx.settings.audit_till, report, note_type)
        check_records(_records(uow, ctx.settings.exponent), uow.audit.body, report, recorded)
        for check in EXTRA_CHECKS:
            check(uow, ctx, report)
        witnessed = uow.witnesses.all()
        if witnessed:
            check_history(uow.audit.iter_raw(), witnessed, ctx.settings.audit_till, report)
    return report


def export(ctx: TillContext, out: Path) -> int:
    """Write the log as JSON Lines (entry + hash, seq order) atomically: a crash leaves no half file."""
    tmp = out.with_name(out.name + ".part")
    count = 0
    with ctx.uow(read_only=True) as uow, tmp.open("w", encoding="utf-8") as fh:
        for _seq, body, _prev, digest in uow.audit.iter_raw():
            entry = json.loads(body)
            entry["hash"] = digest
            fh.write(json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
            fh.write("\n")
            count += 1
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(out)
    return count
