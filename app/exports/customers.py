"""The customers export (seed 004, phase 2A): Summary, Customer Details, Credit Aging and Credit
Transactions (the newest 50 account entries per customer), from the till or the central store.

The till's figures are the ones its credit check uses: head office's balance plus the till's own
account entries it does not include yet (`app/usecases/customers.py`). Head office rebuilds the
same ledger from the verified entries of every till (`app/exports/customers_central.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from app.context import TillContext
from app.exports.accounts import STATUSES, Account, Customer, SalesFigures, account, wanted
from app.exports.book import Book, Column, Kind, Sheet, Typed
from app.exports.filters import Filter, FilterType
from app.exports.registry import ExportKind
from app.usecases.customers import BUCKETS, balance_of
from kernel.records import CustomerInfo

RECENT_ENTRIES = 50
CUSTOMER_TYPES = ("retail", "wholesale")

FILTERS: tuple[Filter, ...] = (
    Filter("type", FilterType.CHOICE, "only customers of this type", CUSTOMER_TYPES),
    Filter("credit-status", FilterType.CHOICE, "blocked, over the limit, with an overdue charge, or none of these",
           STATUSES),
    Filter("min-balance", FilterType.MONEY, "only customers owing at least this much"),
    Filter("active", FilterType.FLAG, "only customers with a sale, refund or account entry in the last 365 days"),
    Filter("aging-date", FilterType.DATE, "count days of aging to this date (default: today's business date)"),
)

SUMMARY = (Column("Figure", width=34), Column("Value", width=18))
DETAILS = (
    Column("Customer ID", width=8), Column("Name", width=20), Column("Contact person", width=8),
    Column("Type", width=9), Column("Credit limit", Kind.MONEY), Column("Terms (days)", Kind.INT),
    Column("Blocked", width=7), Column("Balance", Kind.MONEY), Column("Overdue", Kind.MONEY),
    Column("Credit status", width=9), Column("Sales", Kind.INT),
    Column("Sales total", Kind.MONEY), Column("Average sale", Kind.MONEY), Column("Refunds", Kind.MONEY),
    Column("Account entries", Kind.INT), Column("Last activity", Kind.DATE),
)
AGING = (
    Column("Customer ID", width=10), Column("Name", width=24), Column("Type", width=9),
    Column("Terms (days)", Kind.INT), Column("Credit limit", Kind.MONEY), Column("Balance", Kind.MONEY),
    Column("Current", Kind.MONEY), *(Column(f"{bucket} days past due", Kind.MONEY) for bucket in BUCKETS),
    Column("Overdue", Kind.MONEY), Column("Not aged", Kind.MONEY),
)
TRANSACTIONS = (
    Column("Customer ID", width=10), Column("Name", width=24), Column("Business date", Kind.DATE),
    Column("Entry", width=12), Column("Amount", Kind.MONEY), Column("Due date", Kind.DATE),
    Column("Reference", width=24), Column("Till", width=10), Column("Audit seq", Kind.INT),
)
# A ledger row's kind as the sheet names it: a "refund" row is a void's or refund's credit.
ENTRY_WORDS = {"charge": "charge", "payment": "payment", "refund": "credit (void or refund)"}
TransactionRow = Sequence[Any]


def summary_rows(accounts: Sequence[Account], today: date) -> list[tuple[str, Typed]]:
    def money(total: int) -> Typed:
        return Typed(Kind.MONEY, total)

    def count(n: int) -> Typed:
        return Typed(Kind.INT, n)

    rows: list[tuple[str, Typed]] = [
        ("Aging date", Typed(Kind.DATE, today)),
        ("Customers", count(len(accounts))),
        *((f"{t.title()} customers", count(sum(a.customer.customer_type == t for a in accounts)))
          for t in CUSTOMER_TYPES),
        ("Blocked", count(sum("blocked" in a.statuses for a in accounts))),
        ("Over the credit limit", count(sum("over-limit" in a.statuses for a in accounts))),
        ("With an overdue charge", count(sum("overdue" in a.statuses for a in accounts))),
        ("With a balance owing", count(sum(a.balance > 0 for a in accounts))),
        ("Total balance", money(sum(a.balance for a in accounts))),
        ("Total credit limit", money(sum(a.customer.credit_limit for a in accounts))),
        ("Current (not yet due)", money(sum(a.current for a in accounts))),
        *((f"{b} days past due", money(sum(a.buckets[b] for a in accounts))) for b in BUCKETS),
        ("Total overdue", money(sum(a.overdue for a in accounts))),
        ("Not aged", money(sum(a.not_aged for a in accounts))),
        ("Sales", count(sum(a.sales.count for a in accounts))),
        ("Sales total", money(sum(a.sales.total for a in accounts))),
        ("Refunds", money(sum(a.sales.refunds for a in accounts))),
    ]
    return rows


def detail_row(a: Account) -> tuple[Any, ...]:
    c = a.customer
    return (c.id, c.name, c.contact, c.customer_type, c.credit_limit, c.terms_days, "yes" if c.blocked else "no",
            a.balance, a.overdue, ", ".join(a.statuses), a.sales.count, a.sales.total,
            a.average_sale, a.sales.refunds, a.entries, a.last_activity)


def aging_row(a: Account) -> tuple[Any, ...]:
    c = a.customer
    return (c.id, c.name, c.customer_type, c.terms_days, c.credit_limit, a.balance, a.current,
            *(a.buckets[b] for b in BUCKETS), a.overdue, a.not_aged)


def make_book(*, store: str, currency: str, exponent: int, checked: Mapping[str, Any], meta: list[tuple[str, str]],
              accounts: Sequence[Account], today: date, transactions: Iterable[TransactionRow],
              generated: datetime | None = None) -> Book:
    return Book(
        title="Customers export", store=store, currency=currency, exponent=exponent, filters=dict(checked),
        meta=meta, generated=generated,
        sheets=[
            Sheet("Summary", SUMMARY, summary_rows(accounts, today)),
            Sheet("Customer Details", DETAILS, (detail_row(a) for a in accounts), wide=True),
            Sheet("Credit Aging", AGING, (aging_row(a) for a in accounts), wide=True),
            Sheet("Credit Transactions", TRANSACTIONS, transactions, wide=True),
        ],
    )


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def till_book(ctx: TillContext, checked: Mapping[str, Any]) -> Book:
    """Every customer the till knows, with the balance its credit check uses."""
    today = checked.get("aging_date") or date.fromisoformat(ctx.business_date())
    accounts: list[Account] = []
    with ctx.uow(read_only=True) as uow:
        repo = uow.export_customers
        sales, refunds = repo.sales(), repo.refunds()
        for cid, name, ctype, limit, terms, blocked, central in repo.customers():
            info = CustomerInfo(cid, name, ctype, int(limit), int(terms), bool(blocked), int(central))
            count, total, last_sale = sales.get(cid, (0, 0, None))
            refunded, last_refund = refunds.get(cid, (0, None))
            last = max((d for d in (_day(last_sale), _day(last_refund)) if d), default=None)
            customer = Customer(cid, name, ctype, info.credit_limit, info.terms_days, info.blocked)
            acc = account(customer, balance_of(uow, info), uow.people.ledger(cid), today,
                          SalesFigures(count, total, refunded, last))
            if wanted(acc, checked, today):
                accounts.append(acc)
    settings = ctx.settings
    meta = [("Till", settings.audit_till), ("Business date", ctx.business_date())]
    return make_book(store=settings.store_name, currency=settings.currency, exponent=settings.exponent,
                     checked=checked, meta=meta, accounts=accounts, today=today, generated=ctx.now(),
                     transactions=_till_transactions(ctx, {a.customer.id: a.customer.name for a in accounts}))


def _till_transactions(ctx: TillContext, names: dict[str, str]) -> Iterator[TransactionRow]:
    """Read when the sheet is written, in a read-only unit of its own."""
    till = ctx.settings.audit_till
    with ctx.uow(read_only=True) as uow:
        for cid, bdate, kind, amount, due, receipt, ref, seq in uow.export_customers.recent(RECENT_ENTRIES):
            if cid in names:
                yield (cid, names[cid], _day(bdate), ENTRY_WORDS.get(kind, kind), int(amount), _day(due),
                       receipt or ref, till, int(seq))


def _hq_book(conn: Any, stores: Sequence[str] | None, checked: Mapping[str, Any]) -> Book:
    from app.exports.customers_central import hq_book

    return hq_book(conn, stores, checked)


KIND = ExportKind(name="customers", help="customers with balances, credit aging and their account entries",
                  filters=FILTERS, till=till_book, hq=_hq_book)
