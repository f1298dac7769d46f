"""Taking payments and completing a sale in one transaction.

Change comes only from cash. A sale completes in the same transaction as the payment that
covers it: the sale, its lines and payments, stock, the customer's ledger, the receipt number,
the audit entry and the receipt's print job (with the drawer kick of a cash
sale) land together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from app.audit import projections
from app.context import TillContext
from app.domain.amounts import exact_minor
from app.domain.permissions import Approval
from app.domain.pricing import PricedCart, PricingError, cash_round
from app.usecases import customers, live_anomalies, printing
from app.usecases.auth import authorize, require
from app.usecases.cart_editing import open_cart, price, reserve
from db.uow import UnitOfWork
from kernel.cart_state import PAYMENT_METHODS, CartPaymentState, CartState
from kernel.errors import InvalidInput, NotFound, StateError
from kernel.ids import new_id
from kernel.money import format_money
from kernel.sale_records import PaymentRecord, SaleLineRecord, SaleRecord


@dataclass(frozen=True)
class Due:
    """What is left to pay, and what it would be in cash once cash rounding applies."""

    gross: int
    paid: int
    due: int
    due_in_cash: int


@dataclass(frozen=True)
class PaymentResult:
    cart_id: str
    status: str
    due: Due
    change: int
    sale: SaleRecord | None


def _due(ctx: TillContext, cart: CartState, priced: PricedCart) -> Due:
    paid = cart.paid
    due = priced.gross - paid
    due_cash = cash_round(due, ctx.settings.cash_rounding) if due > 0 else due
    return Due(gross=priced.gross, paid=paid, due=due, due_in_cash=due_cash)


def amount_due(ctx: TillContext, cart_id: str) -> Due:
    with ctx.uow(read_only=True) as uow:
        cart = uow.carts.get(cart_id)
        if cart is None:
            raise NotFound("That sale no longer exists.")
        return _due(ctx, cart, price(ctx, cart, uow))


def _settlement(ctx: TillContext, cart: CartState, priced: PricedCart) -> tuple[int, int] | None:
    """(rounding, change) if the payments cover the sale, else None."""
    cash = sum(p.amount for p in cart.payments if p.method == "cash")
    other = cart.paid - cash
    rest = priced.gross - other
    rounding = 0
    if cash and rest > 0:
        rounding = cash_round(rest, ctx.settings.cash_rounding) - rest
    payable = priced.gross + rounding
    if cart.paid < payable:
        return None
    return rounding, cart.paid - payable


def add_payment(
    ctx: TillContext, cart_id: str, user_id: str, method: str, amount: int, *, reference: str | None = None,
    approval: Approval | None = None,
) -> PaymentResult:
    """Tender one payment; the sale completes when the payments cover it."""
    if method not in PAYMENT_METHODS:
        raise InvalidInput(f"'{method}' is not a payment method this till takes.")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise InvalidInput("A payment must be more than zero.")
    exact_minor(amount, "payment")
    with ctx.uow() as uow:
        require(uow, user_id, "sell")
        cart = open_cart(uow, cart_id, allow_payments=True)
        if not cart.lines:
            raise StateError("The sale has no items to pay for.")
        try:
            priced = price(ctx, cart, uow)
        except PricingError as exc:
            raise InvalidInput(str(exc)) from None
        due = _due(ctx, cart, priced)
        exp = ctx.settings.exponent
        if method != "cash" and amount > due.due:
            raise InvalidInput(
                f"A {method} payment cannot be more than the {format_money(due.due, exp)} due: "
                "change is given only in cash."
            )
        if method == "account":
            if cart.customer_id is None:
                raise StateError("Choose the customer before putting the sale on account.")
            status = customers.status_in(uow, ctx, cart.customer_id)
            # account tenders already on this cart are charged only when it completes: count them now
            charge = amount + sum(p.amount for p in cart.payments if p.method == "account")
            over = status.balance + charge > status.customer.credit_limit
            overdue = status.overdue > 0
            if overdue and not status.customer.blocked:
                authorize(uow, ctx, user_id, "overdue_override", approval)
            if over and not status.customer.blocked:
                authorize(uow, ctx, user_id, "credit_override", approval)
            customers.check_can_purchase(status, charge, exp, override=over, overdue_override=overdue)
        payment = CartPaymentState(id=new_id(), position=len(cart.payments) + 1, method=method,
                                   amount=amount, reference=(reference or None) and reference[:80])
        uow.carts.add_payment(cart_id, payment)
        cart = replace(cart, payments=(*cart.payments, payment))
        settled = _settlement(ctx, cart, priced)
        sale = None
        change = 0
        if settled is None:
            uow.carts.set_status(cart_id, "PARTIAL", ctx.now_iso())
            status_ = "PARTIAL"
        else:
            rounding, change = settled
            sale, data = _complete(uow, ctx, cart, priced, rounding, change, user_id)
            printing.spool_receipt(uow, ctx, sale, data, uow.audit.last_hash)
            shift = uow.shifts.shift(sale.shift_id)
            if shift is not None:  # after the receipt took the sale's own entry hash
                live_anomalies.after_sale(uow, ctx, shift, sale.id, sale.gross, sale.completed_at, user_id)
            status_ = "COMPLETED"
        uow.commit()
    new_due = replace(due, paid=due.paid + amount, due=max(due.due - amount, 0),
                      due_in_cash=max(cash_round(due.due - amount, ctx.settings.cash_rounding), 0))
    return PaymentResult(cart_id=cart_id, status=status_, due=new_due, change=change, sale=sale)


def remove_payment(ctx: TillContext, cart_id: str, payment_id: str, user_id: str,
                   approval: Approval | None = None) -> None:
    """Take back a tender that was not right (a card declined after the fact, a wrong key)."""
    with ctx.uow() as uow:
        cart = open_cart(uow, cart_id, allow_payments=True)
        payment = next((p for p in cart.payments if p.id == payment_id), None)
        if payment is None:
            raise NotFound("That payment is not part of this sale.")
        approved_by = authorize(uow, ctx, user_id, "line_void", approval)
        uow.carts.delete_payment(payment_id)
        status = "PARTIAL" if len(cart.payments) > 1 else "PENDING"
        uow.carts.update(cart_id, status=status, updated_at=ctx.now_iso())
        uow.audit.append(ts=ctx.now_iso(), type_="cart.payment_removed", actor=user_id, data={
            "cart_id": cart_id, "method": payment.method,
            "amount": format_money(payment.amount, ctx.settings.exponent), "approved_by": approved_by,
        })
        uow.commit()


def _receipt_no(ctx: TillContext, business_date: str, number: int) -> str:
    s = ctx.settings
    return f"{s.store_id}-{s.till_id}-{business_date.replace('-', '')}-{number:04d}"


def _hold_stock(uow: UnitOfWork, ctx: TillContext, cart: CartState, now: str) -> None:
    """Holds that lapsed while the sale was open are taken again, or the sale is refused:
    another cart may have taken that stock since."""
    uow.stock.release_expired(now, cart_id=cart.id)
    held = uow.stock.held_by_line(cart.id)
    for ln in cart.lines:
        missing = ln.qty_milli - held.get(ln.id, 0)
        if missing > 0:
            product = uow.catalogue.by_id(ln.product_id)
            if product is None:
                raise StateError(f"{ln.name} is no longer in the catalogue; remove it from the sale.")
            reserve(uow, ctx, product, cart.id, ln.id, missing)


def _complete(
    uow: UnitOfWork, ctx: TillContext, cart: CartState, priced: PricedCart, rounding: int, change: int, user_id: str
) -> tuple[SaleRecord, dict[str, Any]]:
    """The sale written, with the `data` of its audit entry (built once: hashed, then printed)."""
    shift = uow.shifts.shift(cart.shift_id) if cart.shift_id else None
    if shift is None or shift.status != "ACTIVE":
        raise StateError("The shift of this sale is not open. Open a shift and resume the sale.")
    now = ctx.now_iso()
    _hold_stock(uow, ctx, cart, now)
    sale_id = new_id()
    costs = uow.catalogue.costs({ln.product_id for ln in cart.lines})  # the cost as of this sale
    lines = tuple(
        SaleLineRecord(
            id=f"{sale_id}:{ln.position}", position=ln.position, product_id=ln.product_id, sku=ln.sku, name=ln.name,
            qty_milli=ln.qty_milli, unit_price=ln.unit_price, discount=pl.discount, subtotal_share=pl.subtotal_share,
            net=pl.net, tax=pl.tax, gross=pl.gross, tax_code=ln.tax_code, tax_rate_bp=ln.tax_rate_bp,
            unit_cost=costs.get(ln.product_id),
            promotion_id=pl.promotion_id, promotion_discount=pl.promotion_discount,
        )
        for ln, pl in zip(cart.lines, priced.lines, strict=True)
    )
    sale = SaleRecord(
        id=sale_id,
        receipt_no=_receipt_no(ctx, shift.business_date, uow.receipt_numbers.next(shift.business_date)),
        business_date=shift.business_date, shift_id=shift.id, user_id=user_id, customer_id=cart.customer_id,
        completed_at=now, started_at=cart.first_scan_at, line_discount=priced.line_discount,
        subtotal_discount=priced.subtotal_discount, net=priced.net, tax=priced.tax, rounding=rounding,
        gross=priced.gross + rounding, change=change, audit_seq=0, lines=lines,
        payments=tuple(PaymentRecord(position=i + 1, method=p.method, amount=p.amount, reference=p.reference)
                       for i, p in enumerate(cart.payments)),
    )
    on_account = sum(p.amount for p in sale.payments if p.method == "account")
    customer = uow.people.customer(cart.customer_id) if on_account and cart.customer_id else None
    if on_account and customer is None:
        raise StateError("A sale on account needs its customer; attach the customer again.")
    due = customers.due_date(sale.business_date, customer.terms_days) if customer else None
    data = projections.sale_completed(sale, ctx.settings.exponent, due_date=due)
    seq = uow.audit.append(ts=now, type_="sale.completed", actor=user_id, data=data)
    sale = replace(sale, audit_seq=seq)
    uow.sales.insert_sale(sale)
    uow.stock.commit_cart(cart.id, now)
    uow.stock.move_many([(line.product_id, -line.qty_milli) for line in lines], "sale", sale_id, now,
                        audit_seq=seq)
    if on_account and customer is not None:  # checked above: a sale on account has its customer
        uow.people.add_ledger(
            entry_id=new_id(), customer_id=customer.id, kind="charge", amount=on_account, ref_id=sale_id,
            business_date=sale.business_date, due_date=due, now=now, audit_seq=seq,
        )
    uow.carts.set_status(cart.id, "COMPLETED", now, sale_id=sale_id)
    return sale, data
