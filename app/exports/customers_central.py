"""The customers export at head office: the same sheets as the till's, from the central store.

Head office rebuilds each account from the verified entries of every till with the rule the tills'
own `audit verify` holds their ledgers to (`app/audit/effects.py` `ledger_rows`): a sale on account
charges, its void or refund credits, an account payment pays. A customer's balance is head
office's balance plus, per till, the rows of entries after that till's counted mark: the figure
each till adds up for its own entries, over all tills at once. Credit is company-wide, so balances
and aging always cover every store; `--store` narrows the sales figures and the Credit
Transactions sheet to those stores' tills.

The entries are read with a server-side cursor; each customer's account rows are held while the
book is built (the Summary comes first and needs them all).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import psycopg

from app.audit.effects import ANY, ledger_rows
from app.exports.accounts import Account, Customer, SalesFigures, account, wanted
from app.exports.book import Book
from app.exports.customers import ENTRY_WORDS, RECENT_ENTRIES, TransactionRow, make_book
from app.hq.exports import CENTRAL_EXPONENT
from db.central import export_customers as repo
from kernel.errors import InvalidInput
from kernel.money import AmountError

_SCALE = Decimal(10) ** CENTRAL_EXPONENT


@dataclass(frozen=True)
class _Payment:
    method: str
    amount: int


@dataclass(frozen=True)
class _Sale:
    """What `ledger_rows` asks of the sale a void or refund names."""

    customer_id: str | None
    receipt_no: str | None
    payments: tuple[_Payment, ...] = ()


@dataclass
class _Row:
    kind: str
    amount: int
    business_date: str
    due_date: str | None
    ref: str | None
    till: str
    store: str
    seq: int
    receipt: str | None


@dataclass
class _Accounts:
    rows: dict[str, list[_Row]] = field(default_factory=dict)
    unreadable: int = 0  # accepted entries whose data does not fit the ledger rule
    unknown: int = 0  # rows for customers head office does not list


def check_stores(conn: psycopg.Connection, stores: Sequence[str] | None) -> list[str] | None:
    """The stores asked for, upper-cased, each one head office knows; None for every store."""
    if not stores:
        return None
    known = set(repo.known_stores(conn))
    wanted_stores = [s.strip().upper() for s in stores]
    missing = [s for s in wanted_stores if s not in known]
    if missing:
        raise InvalidInput(f"--store: head office knows no store {missing[0][:20]}.")
    return wanted_stores


def _minor(value: Decimal) -> int:
    return int((Decimal(value) * _SCALE).to_integral_value())


def _sale_of(sales: dict[tuple[str, str], _Sale], till: str, plain: _Sale) -> Callable[[str], _Sale]:
    """A sale of this till by id; one head office did not keep (no customer) moves no account."""
    return lambda sale_id: sales.get((till, sale_id), plain)


def _read_accounts(conn: psycopg.Connection, listed: set[str]) -> _Accounts:
    out = _Accounts()
    sales: dict[tuple[str, str], _Sale] = {}
    plain = _Sale(customer_id=None, receipt_no=None)
    for till, store, seq, type_, body in repo.account_entries(conn):
        try:
            entry = json.loads(body)
            data = entry["data"]
            if type_ == "sale.completed":
                sales[(till, data["sale_id"])] = _Sale(
                    data.get("customer_id"), data.get("receipt_no"),
                    tuple(_Payment(p["method"], _minor(Decimal(p["amount"]))) for p in data["payments"]))
            rows = ledger_rows(type_, data, entry["ts"], CENTRAL_EXPONENT, _sale_of(sales, till, plain))
        except (ValueError, KeyError, TypeError, AmountError):
            out.unreadable += 1
            continue
        for row in rows or ():
            customer = row["customer_id"]
            if customer not in listed:
                out.unknown += 1
                continue
            ref = row["ref_id"] if row["ref_id"] is not ANY else None
            sale = sales.get((till, ref)) if row["kind"] != "payment" and ref else None
            due = row["due_date"] if row["due_date"] is not ANY else None
            out.rows.setdefault(customer, []).append(_Row(
                row["kind"], int(row["amount"]), row["business_date"], due, ref, till, store, seq,
                sale.receipt_no if sale else None))
    return out


def _day(value: Any) -> date | None:
    return value if isinstance(value, date) or value is None else date.fromisoformat(str(value))


def hq_book(conn: psycopg.Connection, stores: Sequence[str] | None, checked: Mapping[str, Any]) -> Book:
    chosen = check_stores(conn, stores)
    today = checked.get("aging_date") or date.today()
    customers = repo.customers(conn)
    marks = repo.counted_marks(conn)
    read = _read_accounts(conn, {str(c[0]) for c in customers})
    sales, refunds = repo.sales(conn, chosen), repo.refunds(conn, chosen)
    accounts: list[Account] = []
    for cid, name, ctype, contact, limit, terms, blocked, central in customers:
        rows = read.rows.get(cid, [])
        balance = int(central) + sum(r.amount for r in rows if r.seq > marks.get((cid, r.till), 0))
        count, total, last_sale = sales.get(cid, (0, Decimal(0), None))
        refunded, last_refund = refunds.get(cid, (Decimal(0), None))
        last = max((d for d in (_day(last_sale), _day(last_refund)) if d), default=None)
        customer = Customer(cid, name, ctype, int(limit), int(terms), bool(blocked), contact or None)
        ledger = [(r.kind, r.amount, r.business_date, r.due_date, r.ref) for r in rows]
        acc = account(customer, balance, ledger, today, SalesFigures(count, _minor(total), _minor(refunded), last))
        if wanted(acc, checked, today):
            accounts.append(acc)
    meta = [("Source", "central store (verified entries of every till)"),
            ("Stores", ", ".join(chosen) if chosen else "all"),
            ("Balances and aging", "every store (credit is company-wide)")]
    if read.unreadable or read.unknown:
        meta.append(("Entries left out", f"{read.unreadable} unreadable, {read.unknown} for customers "
                                         "head office does not list"))
    shown = {a.customer.id: a.customer.name for a in accounts}
    return make_book(store="Head office", currency="", exponent=CENTRAL_EXPONENT, checked=checked, meta=meta,
                     accounts=accounts, today=today,
                     transactions=_transactions(read.rows, shown, set(chosen) if chosen else None))


def _transactions(rows: dict[str, list[_Row]], names: dict[str, str], stores: set[str] | None
                  ) -> Iterator[TransactionRow]:
    for cid, name in names.items():
        mine = [r for r in rows.get(cid, []) if stores is None or r.store in stores]
        for r in mine[-RECENT_ENTRIES:]:
            yield (cid, name, date.fromisoformat(r.business_date), ENTRY_WORDS.get(r.kind, r.kind), r.amount,
                   date.fromisoformat(r.due_date) if r.due_date else None, r.receipt or r.ref, r.till, r.seq)
