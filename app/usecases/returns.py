"""Voids (within the sale's own shift) and refunds against the original receipt.

Both are new records: the sale itself is never touched. A refund can never return more than
was sold, counted across every earlier refund of the same receipt; its slip (and the drawer kick
when cash goes back) is stored with it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import replace
from types import SimpleNamespace
from typing import Protocol

from app.audit import projections
from app.context import TillContext
from app.domain.permissions import Approval
from app.domain.pricing import PricedLine, PricingError
from app.domain.refunds_math import refund_amounts
from app.domain.returnable import returnable_qty
from app.domain.text import printable
from app.usecases import live_anomalies, printing, slips
from app.usecases.auth import authorize
from app.usecases.checkout import _receipt_no
from db.uow import UnitOfWork
from kernel.errors import ApprovalRequired, InvalidInput, NotFound, PermissionDenied, StateError
from kernel.ids import new_id
from kernel.money import format_qty
from kernel.records import ShiftInfo
from kernel.sale_records import PaymentRecord, RefundLineRecord, RefundRecord, SaleRecord, VoidRecord

log = logging.getLogger(__name__)


def sale_named(uow: UnitOfWork, ref: str) -> SaleRecord:
    """The sale a receipt number (or a sale id) names; refused with a sentence when there is none."""
    sale = uow.sales.sale_by_receipt(ref.strip()) or uow.sales.sale(ref.strip())
    if sale is None:
        shown = printable(ref.strip())[:40]
        raise NotFound(f"No sale has the receipt number {shown}.")
    return sale


def _active_shift(uow: UnitOfWork) -> ShiftInfo:
    shift = uow.shifts.open_shift()
    if shift is None or shift.status != "ACTIVE":
        raise StateError("Open a shift first.")
    return shift


def void_sale(ctx: TillContext, ref: str, user_id: str, reason: str, approval: Approval | None = None) -> VoidRecord:
    """Cancel a completed sale of the current shift; later corrections are refunds."""
    reason = printable(reason).strip()
    if not reason:
        raise InvalidInput("Say why the sale is voided.")
    with ctx.uow() as uow:
        sale = sale_named(uow, ref)
        if uow.sales.void_of(sale.id):
            raise StateError(f"Sale {sale.receipt_no} is already voided.")
        if uow.sales.refunds_of(sale.id):
            raise StateError(f"Sale {sale.receipt_no} has refunds: it can no longer be voided.")
        shift = _active_shift(uow)
        if sale.shift_id != shift.id:
            raise StateError(f"Sale {sale.receipt_no} belongs to an earlier shift: give a refund instead.")
        approved_by = authorize(uow, ctx, user_id, "sale_void", approval)
        now = ctx.now_iso()
        void = VoidRecord(id=new_id(), sale_id=sale.id, shift_id=shift.id, business_date=shift.business_date,
                          user_id=user_id, approved_by=approved_by, reason=reason.strip()[:200], created_at=now,
                          audit_seq=0)
        seq = uow.audit.append(ts=now, type_="sale.voided", actor=user_id,
                               data=projections.sale_voided(void, sale, ctx.settings.exponent))
        void = replace(void, audit_seq=seq)
        uow.sales.insert_void(void)
        for line in sale.lines:
            uow.stock.move(product_id=line.product_id, delta_milli=line.qty_milli, reason="void", ref_id=sale.id,
                           now=now)
        on_account = sum(p.amount for p in sale.payments if p.method == "account")
        if on_account and sale.customer_id:
            uow.people.add_ledger(entry_id=new_id(), customer_id=sale.customer_id, kind="refund",
                                  amount=-on_account, ref_id=sale.id, business_date=shift.business_date,
                                  due_date=None, now=now, audit_seq=seq)
        live_anomalies.after_void(uow, ctx, shift, user_id)
        uow.commit()
    return void



class LineAmounts(Protocol):
    """The amounts of a sold line, or of what is left of it after refunds (read-only)."""

    @property
    def discount(self) -> int: ...
    @property
    def subtotal_share(self) -> int: ...
    @property
    def net(self) -> int: ...
    @property
    def tax(self) -> int: ...
    @property
    def gross(self) -> int: ...


def _as_priced(line: LineAmounts, inclusive: bool) -> PricedLine:
    listed = line.gross if inclusive else line.net
    return PricedLine(base=listed + line.discount + line.subtotal_share, discount=line.discount,
                      subtotal_share=line.subtotal_share, net=line.net, tax=line.tax, gross=line.gross)


def _refunded_amounts(refunds: list[RefundRecord], inclusive: bool) -> dict[str, PricedLine]:
    """The amounts earlier refunds returned, per sale line id (the quantities: `returnable_qty`)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for refund in refunds:
        for line in refund.lines:
            t = totals[line.sale_line_id]
            for i, value in enumerate((line.discount, line.subtotal_share, line.net, line.tax, line.gross)):
                t[i] += value
    return {
        key: _as_priced(SimpleNamespace(discount=t[0], subtotal_share=t[1], net=t[2], tax=t[3], gross=t[4]),
                        inclusive)
        for key, t in totals.items()
    }


def _refund_payments(
    sale: SaleRecord, refunded_by_method: dict[str, int], gross: int, to: str
) -> tuple[PaymentRecord, ...]:
    """Cash, or back to the sale's own methods, newest first, never more than each method took."""
    if to == "cash":
        return (PaymentRecord(position=1, method="cash", amount=gross),)
    taken: dict[str, int] = defaultdict(int)
    for p in sale.payments:
        taken[p.method] += p.amount
    taken["cash"] -= sale.change
    left = gross
    out: list[tuple[str, int]] = []  # (method, amount) handed back
    for p in reversed(sale.payments):
        room = taken[p.method] - refunded_by_method.get(p.method, 0) - sum(x[1] for x in out if x[0] == p.method)
        amount = min(left, max(room, 0))
        if amount:
            out.append((p.method, amount))
            left -= amount
    if left:
        out.append(("cash", left))
    merged: dict[str, int] = defaultdict(int)
    for method, amount in out:
        merged[method] += amount
    return tuple(PaymentRecord(position=i + 1, method=m, amount=a) for i, (m, a) in enumerate(merged.items()))


def refund(
    ctx: TillContext, ref: str, user_id: str, items: list[tuple[str, int]], *, to: str = "original",
    approval: Approval | None = None,
) -> RefundRecord:
    """Return `items` ((sale line id, qty in thousandths)) of a receipt, to the original methods or cash.

    A refund refused against a real receipt (too much, a voided sale, no approval) is itself
    recorded as `refund.rejected` (seed 003): repeated refused attempts are a fraud signal."""
    tried: list[SaleRecord] = []
    try:
        return _refund(ctx, ref, user_id, items, to, approval, tried)
    except ApprovalRequired:
        raise  # not refused yet: the till asks a supervisor and tries again
    except (InvalidInput, StateError, NotFound, PermissionDenied) as exc:
        if tried:
            _record_rejection(ctx, tried[0], user_id, items, to, str(exc))
        raise


def _record_rejection(ctx: TillContext, sale: SaleRecord, user_id: str, items: list[tuple[str, int]], to: str,
                      reason: str) -> None:
    wanted = [{"sale_line_id": str(line_id)[:80], "qty": format_qty(qty) if isinstance(qty, int) else None}
              for line_id, qty in items[:100]]
    try:
        with ctx.uow() as uow:
            uow.audit.append(ts=ctx.now_iso(), type_="refund.rejected", actor=user_id, data={
                "sale_id": sale.id, "receipt_no": sale.receipt_no, "to": to, "items": wanted, "reason": reason[:300]})
            uow.commit()
    except Exception:  # the refusal stands whatever happens to its record; say so in the log
        log.exception("could not record the refused refund of %s", sale.receipt_no)


def _refund(
    ctx: TillContext, ref: str, user_id: str, items: list[tuple[str, int]], to: str, approval: Approval | None,
    tried: list[SaleRecord],
) -> RefundRecord:
    if to not in ("original", "cash"):
        raise InvalidInput("A refund goes back to the original payment or in cash.")
    if not items:
        raise InvalidInput("Choose at least one item to return.")
    wanted: dict[str, int] = defaultdict(int)
    for line_id, qty in items:
        if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
            raise InvalidInput("Each returned quantity must be more than zero.")
        wanted[line_id] += qty
    with ctx.uow() as uow:
        sale = sale_named(uow, ref)
        tried.append(sale)
        if uow.sales.void_of(sale.id):
            raise StateError(f"Sale {sale.receipt_no} was voided: there is nothing to refund.")
        shift = _active_shift(uow)
        earlier = uow.sales.refunds_of(sale.id)
        inclusive = ctx.settings.tax_mode == "inclusive"
        so_far = _refunded_amounts(earlier, inclusive)
        left_of = returnable_qty(sale, earlier)
        by_id = {line.id: line for line in sale.lines}
        refund_id = new_id()
        lines = []
        for position, (line_id, qty) in enumerate(wanted.items(), start=1):
            line = by_id.get(line_id)
            if line is None:
                raise NotFound("That item is not on this receipt.")
            product = uow.catalogue.by_id(line.product_id)
            if qty % 1000 and (product is None or product.unit == "each"):
                raise InvalidInput(f"{line.name} is sold by the piece: return a whole number.")
            left, before = left_of[line_id], so_far.get(line_id)
            if qty > left:
                shown = format_qty(left).rstrip("0").rstrip(".")
                raise InvalidInput(f"Only {shown} of {line.name} can still be returned on this receipt.")
            before_qty = line.qty_milli - left
            try:
                amounts = refund_amounts(_as_priced(line, inclusive), line.qty_milli, before_qty, before, qty)
            except PricingError as exc:
                raise InvalidInput(str(exc)) from None
            lines.append(RefundLineRecord(
                id=f"{refund_id}:{position}", sale_line_id=line_id, position=position, sku=line.sku, name=line.name,
                qty_milli=qty, unit_price=line.unit_price, discount=amounts.discount,
                subtotal_share=amounts.subtotal_share, net=amounts.net, tax=amounts.tax, gross=amounts.gross,
                tax_code=line.tax_code, unit_cost=line.unit_cost,
            ))
        approved_by = authorize(uow, ctx, user_id, "refund", approval)
        gross = sum(line.gross for line in lines)
        now = ctx.now_iso()
        record = RefundRecord(
            id=refund_id, original_sale_id=sale.id,
            receipt_no=_receipt_no(ctx, shift.business_date, uow.receipt_numbers.next(shift.business_date)),
            business_date=shift.business_date, shift_id=shift.id, user_id=user_id, approved_by=approved_by,
            net=sum(line.net for line in lines), tax=sum(line.tax for line in lines), gross=gross, created_at=now,
            audit_seq=0, lines=tuple(lines),
            payments=_refund_payments(sale, uow.sales.refunded_by_method(sale.id), gross, to),
        )
        seq = uow.audit.append(ts=now, type_="refund.completed", actor=user_id,
                               data=projections.refund_completed(record, ctx.settings.exponent))
        record = replace(record, audit_seq=seq)
        uow.sales.insert_refund(record)
        for back in lines:
            uow.stock.move(product_id=by_id[back.sale_line_id].product_id, delta_milli=back.qty_milli,
                           reason="refund", ref_id=refund_id, now=now)
        on_account = sum(p.amount for p in record.payments if p.method == "account")
        if on_account and sale.customer_id:
            uow.people.add_ledger(entry_id=new_id(), customer_id=sale.customer_id, kind="refund",
                                  amount=-on_account, ref_id=sale.id, business_date=shift.business_date,
                                  due_date=None, now=now, audit_seq=seq)
        # the slip, and the drawer for money handed back in cash, go with the refund
        printing.spool_slip(uow, ctx, "REFUND", lambda width: slips.refund_slip(record, ctx.settings.exponent, width),
                            ref=record.receipt_no, kick=any(p.method == "cash" for p in record.payments))
        live_anomalies.after_refund(uow, ctx, shift, record.id, record.gross, user_id)
        uow.commit()
    return record
