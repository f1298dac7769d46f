"""Customer credit: balance, limit, aging buckets, and account payments taken at the till."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.context import TillContext
from app.domain.amounts import exact_minor
from app.usecases.auth import require
from db.uow import UnitOfWork
from kernel.errors import CreditError, InvalidInput, NotFound, StateError
from kernel.ids import new_id
from kernel.money import format_money
from kernel.records import CustomerInfo

BUCKETS = ("0-30", "31-60", "61-90", "90+")


@dataclass(frozen=True)
class CreditStatus:
    customer: CustomerInfo
    balance: int
    available: int
    overdue: int
    aging: dict[str, int]


def balance_of(uow: UnitOfWork, customer: CustomerInfo) -> int:
    """Head office's balance plus this till's account movements it does not include yet (those of
    audit entries after its counted mark): never a charge twice, never one dropped."""
    return customer.central_balance + uow.people.local_balance(customer.id)


def open_charges(ledger: list[tuple[str, int, str, str | None, str | None]],
                 credit_elsewhere: int = 0) -> list[tuple[int, str, str | None, str | None]]:
    """What is left open of each charge, (amount left, business_date, due_date, sale ref), oldest
    first. A void or refund credit settles the charge of its own sale first; payments,
    `credit_elsewhere` (what head office's balance holds to the customer's credit beyond this
    ledger, e.g. a payment at head office) and any rest settle the oldest charges first."""
    charges: list[list[Any]] = []  # [amount left, business_date, due_date, sale ref]
    for _kind, amount, bdate, due, ref in ledger:
        if amount > 0:
            charges.append([amount, bdate, due, ref])
    by_ref = {charge[3]: charge for charge in charges if charge[3]}
    credit = max(credit_elsewhere, 0)
    for kind, amount, _bdate, _due, ref in ledger:
        if amount >= 0:
            continue
        charge = by_ref.get(ref) if kind == "refund" else None
        used = min(-amount, charge[0]) if charge else 0
        if charge:
            charge[0] -= used
        credit += -amount - used
    for charge in charges:
        used = min(credit, charge[0])
        charge[0] -= used
        credit -= used
    return [(left, bdate, due, ref) for left, bdate, due, ref in charges if left > 0]


def aging(ledger: list[tuple[str, int, str, str | None, str | None]], today: date,
          credit_elsewhere: int = 0) -> tuple[dict[str, int], int]:
    """Open charges (`open_charges`) by age (days since their sale). Returns (buckets, overdue
    amount: open charges past their due date)."""
    buckets = dict.fromkeys(BUCKETS, 0)
    overdue = 0
    for left, bdate, due, _ref in open_charges(ledger, credit_elsewhere):
        age = (today - date.fromisoformat(bdate)).days
        key = "0-30" if age <= 30 else "31-60" if age <= 60 else "61-90" if age <= 90 else "90+"
        buckets[key] += left
        if due and date.fromisoformat(due) < today:
            overdue += left
    return buckets, overdue


def status_in(uow: UnitOfWork, ctx: TillContext, customer_id: str) -> CreditStatus:
    customer = uow.people.customer(customer_id)
    if customer is None:
        raise NotFound("That customer does not exist.")
    balance = balance_of(uow, customer)
    ledger = uow.people.ledger(customer_id)
    # Head office's balance less this till's whole ledger: what other tills and head office hold. A
    # credit there (a payment taken elsewhere) settles this till's oldest charges, so aging never
    # shows more open than the balance; charges made elsewhere have no date here and are not aged.
    elsewhere = balance - sum(amount for _kind, amount, _b, _d, _r in ledger)
    buckets, overdue = aging(ledger, date.fromisoformat(ctx.business_date()), credit_elsewhere=-elsewhere)
    return CreditStatus(customer, balance, customer.credit_limit - balance, overdue, buckets)


def credit_status(ctx: TillContext, customer_id: str) -> CreditStatus:
    with ctx.uow(read_only=True) as uow:
        return status_in(uow, ctx, customer_id)


def check_can_purchase(status: CreditStatus, amount: int, exp: int, *, override: bool,
                       overdue_override: bool = False) -> None:
    """Refuse an on-account charge the customer may not take. Going over the limit and buying while
    charges are past their terms can each be overridden by a supervisor; a block cannot."""
    if status.customer.blocked:
        raise CreditError(f"{status.customer.name}'s account is blocked: take another payment method.")
    if status.overdue > 0 and not overdue_override:
        raise CreditError(
            f"{status.customer.name} has {format_money(status.overdue, exp)} overdue beyond the terms. "
            "A supervisor can approve it."
        )
    if status.balance + amount > status.customer.credit_limit and not override:
        raise CreditError(
            f"{status.customer.name} has {format_money(max(status.available, 0), exp)} credit left; "
            f"{format_money(amount, exp)} is over the limit. A supervisor can approve it."
        )


def due_date(business_date: str, terms_days: int) -> str:
    return (date.fromisoformat(business_date) + timedelta(days=terms_days)).isoformat()


def take_account_payment(ctx: TillContext, customer_id: str, user_id: str, amount: int, method: str) -> int:
    """A customer pays off their account at the till. Cash goes into the drawer as a cash-in,
    so the drawer count still adds up; returns the new balance."""
    if exact_minor(amount, "payment") <= 0:
        raise InvalidInput("The payment must be more than zero.")
    if method not in ("cash", "card"):
        raise InvalidInput("Account payments are taken in cash or by card.")
    exp = ctx.settings.exponent
    with ctx.uow() as uow:
        require(uow, user_id, "account_payment")
        shift = uow.shifts.open_shift()
        if shift is None or shift.status != "ACTIVE":
            raise StateError("Open a shift before taking a payment.")
        customer = uow.people.customer(customer_id)
        if customer is None:
            raise NotFound("That customer does not exist.")
        now, entry_id = ctx.now_iso(), new_id()
        data = {"shift_id": shift.id, "business_date": shift.business_date, "amount": format_money(amount, exp),
                "reason": f"Account payment: {customer.name}"[:120], "customer_id": customer.id}
        if method == "cash":
            seq = uow.audit.append(ts=now, type_="cash.in", actor=user_id, data={**data, "movement_id": entry_id})
            uow.shifts.insert_cash_movement(
                id=entry_id, shift_id=shift.id, business_date=shift.business_date, kind="in", amount=amount,
                reason=data["reason"], user_id=user_id, created_at=now, audit_seq=seq,
            )
        else:
            seq = uow.audit.append(ts=now, type_="account.payment", actor=user_id,
                                   data={**data, "method": method, "payment_id": entry_id})
        uow.people.add_ledger(entry_id=entry_id, customer_id=customer.id, kind="payment", amount=-amount,
                              ref_id=entry_id, business_date=shift.business_date, due_date=None, now=now,
                              audit_seq=seq)
        new_balance = balance_of(uow, customer)
        uow.commit()
    return new_balance
