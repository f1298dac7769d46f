"""The sales export (seed 004, phase 1): Summary, Sales and Line Items, with cost of goods sold,
profit and margin, from the till's database or the central store.

The Summary is counted first, in one pass over the documents, and bounded by the audit sequence
(till) or the accepted sequences (head office) it read; the Sales and Line Items sheets then
stream under the same bound as the writer takes their rows. Its totals are the X/Z report's
(`report x|z`, `hq report daily`): sales before discounts, line and subtotal discounts, refunds,
revenue net of refunds, tax, and payments by method (cash net of change, refunds paid back taken
off). Row shaping: app/exports/sales_rows.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from app.context import TillContext
from app.exports.book import Book, Column, Kind, Sheet
from app.exports.filters import Filter, FilterType
from app.exports.registry import ExportKind
from app.exports.sales_rows import Folded, doc_row, fold, line_row, summary_rows
from db.central import export_sales as central
from db.sales_export_repo import SalesScope
from kernel.cart_state import PAYMENT_METHODS

CENTRAL_EXPONENT = 2  # the central store keeps amounts with 2 decimals (app/hq/exports.py)
CENTRAL_CURRENCY = ""  # the central store keeps no currency yet: amounts only

FILTERS: tuple[Filter, ...] = (
    Filter("from", FilterType.DATE, "first business date (YYYY-MM-DD)"),
    Filter("to", FilterType.DATE, "last business date (YYYY-MM-DD)"),
    Filter("till", FilterType.TEXT, "only this till (T01, or S001-T01)"),
    Filter("cashier", FilterType.TEXT, "only sales and refunds of this user (id or name)"),
    Filter("customer", FilterType.TEXT, "only sales to this customer and their refunds (id or name)"),
    Filter("payment", FilterType.CHOICE, "only sales and refunds with a payment of this method", PAYMENT_METHODS),
    Filter("shift", FilterType.TEXT, "only sales and refunds of this shift (its id)"),
)

SUMMARY = (
    Column("Section", width=18), Column("Item", width=44), Column("Count", Kind.INT), Column("Amount", Kind.MONEY),
    Column("Tax", Kind.MONEY), Column("Revenue excl. tax", Kind.MONEY), Column("Cost of goods", Kind.MONEY),
    Column("Profit", Kind.MONEY), Column("Margin %", Kind.PERCENT), Column("Lines, cost unknown", Kind.INT),
)


def sales_columns(zone: str) -> tuple[Column, ...]:
    return (
        Column("Receipt no", width=22), Column("Store", width=7), Column("Till", width=10),
        Column("Business date", Kind.DATE), Column(f"Time ({zone})", Kind.DATETIME), Column("Cashier", width=14),
        Column("Customer", width=14), Column("Status", width=11), Column("Refund of", width=12),
        Column("Net", Kind.MONEY), Column("Tax", Kind.MONEY), Column("Gross", Kind.MONEY),
        Column("Discounts", Kind.MONEY),
        *(Column(f"Paid {method}", Kind.MONEY) for method in PAYMENT_METHODS),
        Column("Cost", Kind.MONEY), Column("Profit", Kind.MONEY), Column("Margin %", Kind.PERCENT),
        Column("Lines, cost unknown", Kind.INT),
    )


LINE_COLUMNS = (
    Column("Receipt no", width=24), Column("Till", width=10), Column("Business date", Kind.DATE),
    Column("Status", width=11),
    Column("SKU", width=14), Column("Name", width=30), Column("Tax code", width=6), Column("Qty", Kind.QTY),
    Column("Unit price", Kind.MONEY), Column("Discount", Kind.MONEY), Column("Net", Kind.MONEY),
    Column("Tax", Kind.MONEY), Column("Gross", Kind.MONEY), Column("Unit cost", Kind.MONEY),
    Column("Cost", Kind.MONEY), Column("Profit", Kind.MONEY), Column("Margin %", Kind.PERCENT),
)


def _scope_lines(where: str, f: Mapping[str, Any]) -> list[str]:
    frm, to = f.get("from"), f.get("to")
    out = [f"Data: {where}", f"Business dates: {frm or 'first'} to {to or 'last'}"]
    rest = [f"{k} = {v}" for k, v in f.items() if k not in ("from", "to") and v not in (None, False)]
    out.append("Filters: " + (", ".join(rest) if rest else "none"))
    return out


def _book(title_store: str, currency: str, exponent: int, f: Mapping[str, Any], folded: Folded, where: str,
          zone: str, docs: Iterator[tuple[Any, ...]], lines: Iterator[tuple[Any, ...]]) -> Book:
    return Book(
        title="Sales export", store=title_store, currency=currency, exponent=exponent,
        filters={k: v for k, v in f.items() if v not in (None, False)},
        sheets=[
            Sheet("Summary", SUMMARY, summary_rows(folded, _scope_lines(where, f)), wide=True),
            Sheet("Sales", sales_columns(zone), docs, wide=True),
            Sheet("Line Items", LINE_COLUMNS, lines, wide=True),
        ],
    )


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


# -- the till -------------------------------------------------------------------------------
def till_book(ctx: TillContext, f: Mapping[str, Any]) -> Book:
    s = ctx.settings
    zone = ZoneInfo(s.timezone)
    till = f.get("till")
    mine = till is None or till.casefold() in (s.till_id.casefold(), s.audit_till.casefold())
    with ctx.uow(read_only=True) as uow:
        head = uow.sales_export.head() if mine else 0  # another till's sales are not in this database
        scope = SalesScope(head=head, first_date=_iso(f.get("from")), last_date=_iso(f.get("to")),
                           cashier=f.get("cashier"), customer=f.get("customer"), payment=f.get("payment"),
                           shift=f.get("shift"))
        folded = fold(uow.sales_export.documents(scope, store=s.store_id, till=s.audit_till))

    def docs() -> Iterator[tuple[Any, ...]]:
        with ctx.uow(read_only=True) as uow:
            for doc in uow.sales_export.documents(scope, store=s.store_id, till=s.audit_till):
                yield doc_row(doc, zone)

    def lines() -> Iterator[tuple[Any, ...]]:
        with ctx.uow(read_only=True) as uow:
            for line in uow.sales_export.lines(scope, till=s.audit_till):
                yield line_row(line)

    where = f"till {s.audit_till}, audit log up to entry {head}"
    return _book(s.store_name or s.store_id, s.currency, s.exponent, f, folded, where, s.timezone, docs(), lines())


# -- head office ------------------------------------------------------------------------------
def hq_book(conn: Any, stores: Sequence[str] | None, f: Mapping[str, Any]) -> Book:
    till = f.get("till")
    scope = central.CentralSalesScope(
        heads=central.heads(conn), stores=[st.strip().upper() for st in stores] if stores else None,
        first_date=_iso(f.get("from")), last_date=_iso(f.get("to")), till=till.upper() if till else None,
        cashier=f.get("cashier"), customer=f.get("customer"), payment=f.get("payment"), shift=f.get("shift"),
    )
    folded = fold(central.documents(conn, scope, CENTRAL_EXPONENT))
    utc = ZoneInfo("UTC")

    def docs() -> Iterator[tuple[Any, ...]]:
        for doc in central.documents(conn, scope, CENTRAL_EXPONENT):
            yield doc_row(doc, utc)

    def lines() -> Iterator[tuple[Any, ...]]:
        for line in central.lines(conn, scope, CENTRAL_EXPONENT):
            yield line_row(line)

    where = "central store, " + (f"stores {', '.join(scope.stores)}" if scope.stores else "every store")
    title = ", ".join(scope.stores) if scope.stores else "All stores"
    return _book(title, CENTRAL_CURRENCY, CENTRAL_EXPONENT, f, folded, where, "UTC", docs(), lines())


KIND = ExportKind(
    name="sales", help="sales and refunds with cost, profit and margin: Summary, Sales, Line Items",
    filters=FILTERS, till=till_book, hq=hq_book,
)
