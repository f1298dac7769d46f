"""A customer's account figures for the customers export, the same at the till and at head office:
balance, what is open of each charge aged by its due date, credit status, and sales figures.

Aging is by due date (a charge's `due_date`, or its business date plus the customer's terms where
an old entry has none): *Current* is open and not yet late (due today or later); the buckets
0-30, 31-60, 61-90 and 90+ count days past the due date, so their sum is the overdue amount, the
same figure the till's credit check refuses a sale on (`app/usecases/customers.py`). What is open
is settled as the till settles it (`open_charges`): a void or refund credit its own sale's charge,
payments the oldest. *Not aged* is the part of the balance this source has no dated charge for (a
charge at another till not yet in head office's balance, a balance head office set by hand, or a
credit beyond every charge), so Current + buckets + Not aged = Balance, always.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.usecases.customers import BUCKETS, open_charges

Ledger = list[tuple[str, int, str, str | None, str | None]]  # (kind, amount, business date, due date, ref)
STATUSES = ("blocked", "over-limit", "overdue", "ok")
ACTIVE_DAYS = 365  # --active: a sale, refund or account entry within this many days of the aging date


@dataclass(frozen=True)
class Customer:
    id: str
    name: str
    customer_type: str
    credit_limit: int
    terms_days: int
    blocked: bool
    contact: str | None = None  # head office keeps a contact person; the till does not


@dataclass(frozen=True)
class SalesFigures:
    count: int = 0  # kept sales: completed and not voided
    total: int = 0  # their gross
    refunds: int = 0  # gross refunded against this customer's sales
    last: date | None = None  # newest sale or refund business date


@dataclass(frozen=True)
class Account:
    customer: Customer
    balance: int
    entries: int  # account ledger rows
    current: int
    buckets: dict[str, int]
    not_aged: int
    sales: SalesFigures
    last_activity: date | None

    @property
    def overdue(self) -> int:
        return sum(self.buckets.values())

    @property
    def average_sale(self) -> int | None:
        """Half up to the minor unit; None without a sale (an empty cell, not a 0)."""
        if not self.sales.count:
            return None
        quotient, rest = divmod(self.sales.total, self.sales.count)
        return quotient + (1 if 2 * rest >= self.sales.count else 0)

    @property
    def statuses(self) -> tuple[str, ...]:
        found = [name for name, on in (("blocked", self.customer.blocked),
                                       ("over-limit", self.balance > self.customer.credit_limit),
                                       ("overdue", self.overdue > 0)) if on]
        return tuple(found) or ("ok",)


def age(customer: Customer, balance: int, ledger: Ledger, today: date) -> tuple[int, dict[str, int], int]:
    """(current, buckets by days past due, not aged) of what is open; see the module's note."""
    elsewhere = balance - sum(amount for _k, amount, _b, _d, _r in ledger)
    buckets = dict.fromkeys(BUCKETS, 0)
    current = 0
    for left, bdate, due, _ref in open_charges(ledger, credit_elsewhere=-elsewhere):
        due_on = date.fromisoformat(due) if due else date.fromisoformat(bdate) + timedelta(days=customer.terms_days)
        late = (today - due_on).days
        if late <= 0:
            current += left
        else:
            buckets["0-30" if late <= 30 else "31-60" if late <= 60 else "61-90" if late <= 90 else "90+"] += left
    return current, buckets, balance - current - sum(buckets.values())


def account(customer: Customer, balance: int, ledger: Ledger, today: date, sales: SalesFigures) -> Account:
    current, buckets, not_aged = age(customer, balance, ledger, today)
    dates = [date.fromisoformat(b) for _k, _a, b, _d, _r in ledger] + ([sales.last] if sales.last else [])
    return Account(customer=customer, balance=balance, entries=len(ledger), current=current, buckets=buckets,
                   not_aged=not_aged, sales=sales, last_activity=max(dates) if dates else None)


def wanted(acc: Account, checked: Mapping[str, Any], today: date) -> bool:
    """Whether the account passes the export's filters (--type, --credit-status, --min-balance,
    --active)."""
    if checked.get("type") and acc.customer.customer_type != checked["type"]:
        return False
    if checked.get("credit_status") and checked["credit_status"] not in acc.statuses:
        return False
    if checked.get("min_balance") is not None and acc.balance < checked["min_balance"]:
        return False
    if checked.get("active"):
        return acc.last_activity is not None and (today - acc.last_activity).days <= ACTIVE_DAYS
    return True
