"""Customer credit: balance, limit, aging buckets, account payments taken at the till; customers
a supervisor adds or changes at the till (offline too) and manual balance adjustments.

Each write is one transaction with its audit entry (`customer.created`, `customer.updated`,
`credit.adjusted`). Credit limits and payment terms are head office's: the till sets them only
when it is standalone (setting `standalone`, and never connected to a central store), e.g. a demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.context import TillContext
from app.domain import customer_fields
from app.domain.amounts import exact_minor
from app.domain.customer_fields import CustomerFields
from app.domain.permissions import Approval
from app.domain.text import printable
from app.sync.connection import SETTINGS_FILE
from app.usecases import business_day
from app.usecases.auth import authorize, require
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
        before = balance_of(uow, customer)
        uow.people.add_ledger(entry_id=entry_id, customer_id=customer.id, kind="payment", amount=-amount,
                              ref_id=entry_id, business_date=shift.business_date, due_date=None, now=now,
                              audit_seq=seq)
        new_balance = balance_of(uow, customer)
        credit_adjusted(uow, now, user_id, {
            "customer_id": customer.id, "kind": "payment", "amount": format_money(-amount, exp),
            "balance_before": format_money(before, exp), "balance_after": format_money(new_balance, exp),
            "business_date": shift.business_date, "ref": entry_id, "method": method, "reason": data["reason"],
        })
        uow.commit()
    return new_balance


def credit_adjusted(uow: UnitOfWork, now: str, actor: str, data: dict[str, Any]) -> int:
    """The `credit.adjusted` entry of a balance change made at the till (an account payment, whose
    ledger row its cash.in or account.payment entry holds, or a supervisor's adjustment, whose row
    this entry holds), in the caller's transaction: seed 003's record of every balance change."""
    return uow.audit.append(ts=now, type_="credit.adjusted", actor=actor, data=data)


NEW_LIMIT, NEW_TERMS = 0, 30  # what head office gives a new customer until it sets them


def standalone(ctx: TillContext) -> bool:
    """Whether this till may set credit limits and terms: it says so (the default) and has never
    been connected to a central store, whose head office owns them."""
    connected = ctx.data_dir is not None and (Path(ctx.data_dir) / SETTINGS_FILE).exists()
    return ctx.settings.standalone == "true" and not connected


def _shown(values: dict[str, Any], exp: int) -> dict[str, Any]:
    return {k: format_money(v, exp) if k == "credit_limit" else v for k, v in values.items()}


def _credit_allowed(ctx: TillContext, fields: CustomerFields) -> None:
    if fields.sets_credit and not standalone(ctx):
        raise StateError("Credit limits and payment terms are set by head office on a till connected to it.")


def add_customer(ctx: TillContext, user_id: str, fields: CustomerFields, approval: Approval | None = None) -> str:
    """A new customer, usable at once (offline too); returns its id."""
    values = customer_fields.clean(fields)
    if "name" not in values:
        raise InvalidInput("The customer needs a name.")
    _credit_allowed(ctx, fields)
    exp = ctx.settings.exponent
    with ctx.uow() as uow:
        approved_by = authorize(uow, ctx, user_id, "customer_edit", approval)
        info = CustomerInfo(
            id=new_id(), name=str(values["name"]), customer_type=str(values.get("customer_type", "retail")),
            credit_limit=int(str(values.get("credit_limit", NEW_LIMIT))),
            terms_days=int(str(values.get("terms_days", NEW_TERMS))), blocked=False, central_balance=0,
            contact_person=str(values.get("contact_person", "")), phone=str(values.get("phone", "")),
            email=str(values.get("email", "")),
        )
        now = ctx.now_iso()
        uow.people.insert_customer(info, now)
        uow.audit.append(ts=now, type_="customer.created", actor=user_id, data={
            "customer_id": info.id, "name": info.name, "customer_type": info.customer_type,
            "contact_person": info.contact_person, "phone": info.phone, "email": info.email,
            "credit_limit": format_money(info.credit_limit, exp), "terms_days": info.terms_days,
            "approved_by": approved_by,
        })
        uow.commit()
    return info.id


def update_customer(ctx: TillContext, user_id: str, customer_id: str, fields: CustomerFields,
                    approval: Approval | None = None) -> CustomerInfo:
    """Change a customer's type and contact details (and on a standalone till limit and terms);
    only what differs is written and audited, as {"from": old, "to": new}."""
    values = customer_fields.clean(fields)
    _credit_allowed(ctx, fields)
    exp = ctx.settings.exponent
    with ctx.uow() as uow:
        approved_by = authorize(uow, ctx, user_id, "customer_edit", approval)
        customer = uow.people.customer(customer_id)
        if customer is None:
            raise NotFound("That customer does not exist.")
        changed = {k: v for k, v in values.items() if getattr(customer, k) != v}
        if not changed:
            raise InvalidInput("Nothing was changed.")
        now = ctx.now_iso()
        uow.people.update_customer(customer.id, changed, now)
        before = _shown({k: getattr(customer, k) for k in changed}, exp)
        after = _shown(changed, exp)
        uow.audit.append(ts=now, type_="customer.updated", actor=user_id, data={
            "customer_id": customer.id, "approved_by": approved_by,
            "changes": {k: {"from": before[k], "to": after[k]} for k in changed},
        })
        updated = uow.people.customer(customer.id)
        uow.commit()
    assert updated is not None
    return updated


def adjust_balance(ctx: TillContext, user_id: str, customer_id: str, amount: int, reason: str,
                   approval: Approval | None = None) -> int:
    """A supervisor's correction of a balance (positive raises what the customer owes, negative
    lowers it), written to the ledger with its `credit.adjusted` entry; returns the new balance."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidInput("The adjustment was not given exactly. Type it again.")
    if amount == 0:
        raise InvalidInput("An adjustment of zero changes nothing.")
    if abs(amount) > customer_fields.MAX_CREDIT_LIMIT:
        raise InvalidInput("That adjustment is too large.")
    note = printable(reason or "").strip()
    if not note or note != (reason or "").strip():
        raise InvalidInput("Give a reason for the adjustment, without control characters.")
    if len(note) > 120:
        raise InvalidInput("The reason may be at most 120 characters long.")
    exp = ctx.settings.exponent
    with ctx.uow() as uow:
        approved_by = authorize(uow, ctx, user_id, "credit_adjust", approval)
        customer = uow.people.customer(customer_id)
        if customer is None:
            raise NotFound("That customer does not exist.")
        now, adjustment_id, day = ctx.now_iso(), new_id(), business_day.till_date(uow, ctx)
        before = balance_of(uow, customer)
        seq = credit_adjusted(uow, now, user_id, {
            "customer_id": customer.id, "kind": "adjustment", "amount": format_money(amount, exp),
            "balance_before": format_money(before, exp), "balance_after": format_money(before + amount, exp),
            "business_date": day, "ref": adjustment_id, "reason": note, "approved_by": approved_by,
        })
        uow.people.add_ledger(entry_id=adjustment_id, customer_id=customer.id, kind="adjustment", amount=amount,
                              ref_id=adjustment_id, business_date=day, due_date=None, now=now, audit_seq=seq)
        balance = balance_of(uow, customer)
        uow.commit()
    return balance
