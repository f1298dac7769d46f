"""The audit export (seed 004, phase 2C): sheets Summary and Audit Log, from the till's own log or
from what head office holds (accepted till chains and hq_audit; app/hq/audit_source.py says which
and how local times are found).

Audit Log: one row per entry in the range, in log order (by till, then seq): seq, till, time in
UTC and the store's local time with its zone, type, who (id and name), who approved, the sale or
receipt and the customer it names, a readable description (app/reports/audit_describe.py) and
the entry's data as formatted JSON. Summary: the filters, whether the chain verified (the
existing verify, run before the file is written), and the counts of the audit report
(app/reports/audit_report.py): by type, by user, high-risk actions, failed log-ins, anomalies.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from app.context import TillContext
from app.exports.book import Book, Column, Kind, Sheet, Typed
from app.exports.filters import Filter, FilterType
from app.exports.registry import ExportKind
from app.reports.audit_describe import KNOWN_TYPES, describe
from app.reports.audit_entries import HIGH_RISK, EntryFilter
from app.reports.audit_report import AuditTally
from app.reports.audit_source import AuditSource, Scoped, TillAuditSource

FILTERS = (
    Filter("from", FilterType.DATE, "first local date of entries (YYYY-MM-DD)"),
    Filter("to", FilterType.DATE, "last local date of entries (YYYY-MM-DD)"),
    Filter("type", FilterType.TEXT, "an entry type (sale.voided) or a family (sale)"),
    Filter("user", FilterType.TEXT, "entries this user made, approved, or a failed log-in of theirs"),
    Filter("sale", FilterType.TEXT, "entries of one sale: its id or receipt number (voids and refunds too)"),
    Filter("customer", FilterType.TEXT, "entries naming this customer id, and voids and refunds of their sales"),
)

LOG_COLUMNS = (
    Column("Till", width=9), Column("Seq", Kind.INT, width=6), Column("Time (UTC)", Kind.DATETIME),
    Column("Local time", Kind.DATETIME), Column("Time zone", width=13), Column("Type", width=18),
    Column("User", width=8), Column("User name", width=12), Column("Approved by", width=8),
    Column("Sale / receipt", width=22), Column("Customer", width=8), Column("Description", width=40),
    Column("Data", Kind.JSON, width=44), Column("Hash", width=12),
)
SUMMARY_COLUMNS = (Column("Section", width=16), Column("Item", width=40), Column("Value", width=40))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def log_row(item: Scoped, names: Mapping[str, str]) -> list[Any]:
    row = item.row
    data = row.data
    user = row.user
    sale = data.get("receipt_no") or data.get("sale_id") or data.get("original_sale_id")
    return [
        row.till, row.seq, row.ts.replace(tzinfo=None) if row.ts else None, item.local, item.zone, row.type,
        user, names.get(user, user) if user else None, _text(data.get("approved_by")), _text(sale),
        _text(data.get("customer_id")), describe(row),
        json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False), row.hash,
    ]


def _log_rows(source: AuditSource, flt: EntryFilter) -> Iterator[list[Any]]:
    for item in source.rows(flt):
        yield log_row(item, source.names)


def n(value: int) -> Typed:
    """An integer cell in the Summary's Value column (which holds text too)."""
    return Typed(Kind.INT, value)


def summary_rows(tally: AuditTally, checked: Mapping[str, Any], chain: Sequence[tuple[str, Any]],
                 scope: str) -> list[list[Any]]:
    """Section, item, value: zero counts written as 0 (every high-risk type is listed)."""
    rows: list[list[Any]] = [["Export", "Scope", scope]]
    rows += [["Filter", key, str(value)] for key, value in checked.items() if value is not None]
    rows += [["Chain", item, value] for item, value in chain]
    s = tally.summary()
    rows += [["Totals", "Entries", n(s["total_actions"])], ["Totals", "Unique users", n(s["unique_users"])],
             ["Totals", "High-risk actions", n(s["high_risk_actions"])],
             ["Totals", "Failed log-ins", n(s["failed_logins"])], ["Totals", "Anomalies", n(s["anomalies"])],
             ["Totals", "First entry", s["first_action"] or ""], ["Totals", "Last entry", s["last_action"] or ""]]
    rows += [["By type", t, n(c)] for t, c in sorted(tally.by_type.items(), key=lambda kv: (-kv[1], kv[0]))]
    rows += [["By user", f"{r['user_name']} ({r['user_id'] or '-'})", n(r["count"])] for r in tally.by_user_rows()]
    rows += [["Last action", f"{r['user_name']} ({r['user_id'] or '-'})", f"{r['last_action']} {r['last_type']}"]
             for r in tally.by_user_rows()]
    rows += [["High-risk", t, n(tally.high_risk.get(t, 0))] for t in sorted(HIGH_RISK)]
    rows += [["Failed log-ins", f"{tally.name(u)} ({u})", n(c)] for u, c in sorted(tally.failed_logins.items())]
    rows += [["Anomaly", f"{a['kind']} {a['time']} ({a['user_id'] or '-'})", a["detail"]] for a in tally.anomalies]
    return rows


def build_book(source: AuditSource, checked: Mapping[str, Any], chain: Sequence[tuple[str, Any]], *,
               store: str, currency: str, exponent: int) -> Book:
    """Summary counted now (one pass); the Audit Log streamed when the writer reads it (a second
    pass over the same entries: the source is bounded by the head it saw first)."""
    flt = EntryFilter.from_checked(dict(checked), KNOWN_TYPES)
    tally = AuditTally(source.names, source.shift_users).add_all(source.rows(flt))
    verified = next((value for item, value in chain if item == "Verified"), "not checked")
    meta = [("Scope", source.label), ("Local times", source.zone_note), ("Chain verified", str(verified))]
    meta += [(f"Chain: {item}", str(value.value if isinstance(value, Typed) else value))
             for item, value in chain if item != "Verified"]
    return Book(title="Audit log export", store=store, currency=currency, exponent=exponent,
                filters={k: v for k, v in checked.items() if v is not None}, meta=meta,
                sheets=[Sheet("Summary", SUMMARY_COLUMNS, summary_rows(tally, checked, chain, source.label)),
                        Sheet("Audit Log", LOG_COLUMNS, _log_rows(source, flt), wide=True)])


def verify_since(checked: Mapping[str, Any]) -> str | None:
    """The UTC date `audit verify --from` is given: the day before the first local date (zones)."""
    frm: date | None = checked.get("from")
    return (frm - timedelta(days=1)).isoformat() if frm else None


def till_chain(ctx: TillContext, checked: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The till's own verify for the range (from the last signed checkpoint before it, else entry 1)."""
    from app.usecases import audit

    report = audit.verify(ctx, since=verify_since(checked))
    first = report.anchor.seq if report.anchor else 1
    lines: list[tuple[str, Any]] = [
        ("Verified", "yes" if report.ok else "NO"),
        ("Checked", f"entries {first} to {report.entries}" + (" (from a signed checkpoint)" if report.anchor else "")),
        ("Problems", Typed(Kind.INT, len(report.problems))),
    ]
    if report.problems:
        bad = report.first_bad_seq
        lines.append(("First bad entry", Typed(Kind.INT, bad) if bad is not None else "-"))
        lines.append(("First problem", report.problems[0].message[:200]))
    return lines


def till_book(ctx: TillContext, checked: Mapping[str, Any]) -> Book:
    source = TillAuditSource(ctx)
    chain = till_chain(ctx, checked)
    s = ctx.settings
    book = build_book(source, checked, chain, store=f"{s.store_name} ({s.audit_till})", currency=s.currency,
                      exponent=s.exponent)
    book.generated = ctx.now()
    return book


def hq_book(conn: Any, stores: Sequence[str] | None, checked: Mapping[str, Any]) -> Book:
    from app.hq.audit_source import HqAuditSource, hq_chain

    source = HqAuditSource(conn, stores)
    return build_book(source, checked, hq_chain(conn, source), store=f"Head office: {source.label}",
                      currency="", exponent=2)


KIND = ExportKind(name="audit", help="the audit log: every entry with its description and data, and a summary",
                  filters=FILTERS, till=till_book, hq=hq_book)
