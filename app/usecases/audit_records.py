"""The finalised records `audit verify` holds to the entries that created them.

Every column of a finalised table is either in the projection of its entry (app/audit/
projections.py), or derived and recomputed here, or declared in app/audit/coverage.py with the
reason it is neither; tests/adversarial/test_tamper.py walks the schema to keep it so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import partial
from types import SimpleNamespace
from typing import Any

from app.audit import projections
from app.audit.checkpoint import CHECKPOINT_TYPE
from app.audit.verify import Expected, Reader, Record
from app.usecases import cash_count
from app.usecases.checkpoints import short_root
from db.audit_rows_repo import AuditRowsRepo
from db.uow import UnitOfWork
from kernel.money import format_money

ADDED = projections.ADDED_KEYS
# Entry types that create a finalised record: each such entry must still have its record.
RECORD_TYPES = frozenset({
    "sale.completed", "sale.voided", "refund.completed", "cash.in", "cash.out", "drawer.opened", "shift.opened",
    "shift.closed", "discrepancy.raised", "discrepancy.resolved", "report.z",
})


class Gone(LookupError):
    """A record another record needs (the sale of a void, the shift of a close) is not there."""


def _need(value: Any, what: str) -> Any:
    if value is None:
        raise Gone(f"{what} does not exist")
    return value


def _envelope(ts: Any, actor: Any) -> dict[str, Any]:
    return {"ts": ts, "actor": actor}


def _sale(uow: UnitOfWork, sale_id: str, exp: int) -> Expected:
    sale = _need(uow.sales.sale(sale_id), f"sale {sale_id}")
    data = projections.sale_completed(sale, exp)
    del data["due_date"]  # a ledger column: checked with the ledger row it belongs to (app/audit/effects.py)
    return Expected(frozenset({"sale.completed"}), data, _envelope(sale.completed_at, sale.user_id), ADDED,
                    {"line_discount": (sale.line_discount, sum(line.discount for line in sale.lines))})


def _void(uow: UnitOfWork, sale_id: str, exp: int) -> Expected:
    void = _need(uow.sales.void_of(sale_id), f"the void of sale {sale_id}")
    sale = _need(uow.sales.sale(sale_id), f"sale {sale_id}")
    return Expected(frozenset({"sale.voided"}), projections.sale_voided(void, sale, exp),
                    _envelope(void.created_at, void.user_id), ADDED)


def _refund(uow: UnitOfWork, refund_id: str, exp: int) -> Expected:
    refund = _need(uow.sales.refund(refund_id), f"refund {refund_id}")
    return Expected(frozenset({"refund.completed"}), projections.refund_completed(refund, exp),
                    _envelope(refund.created_at, refund.user_id), ADDED)


def _cash(row: SimpleNamespace, exp: int) -> Expected:
    return Expected(frozenset({f"cash.{row.kind}"}), projections.cash_movement(row, exp),
                    _envelope(row.created_at, row.user_id), ADDED)


def _drawer(row: SimpleNamespace) -> Expected:
    return Expected(frozenset({"drawer.opened"}), projections.drawer_opened(row),
                    _envelope(row.created_at, row.user_id), ADDED)


def _text_counts(counts: dict[Any, Any] | None, exp: int) -> dict[str, int] | None:
    return (cash_count.as_text_map(counts, exp) or None) if counts else None


def _shift(row: SimpleNamespace, counts: dict[Any, Any] | None, closed: bool, exp: int) -> Expected:
    # ACTIVE and SUSPENDED follow shift.suspended/resumed entries (app/audit/coverage.py); CLOSED
    # must mean a close record exists, or an old shift could take sales again.
    status = "CLOSED" if closed else row.status if row.status in ("ACTIVE", "SUSPENDED") else "ACTIVE"
    return Expected(frozenset({"shift.opened"}), projections.shift_opened(row, _text_counts(counts, exp), exp),
                    _envelope(row.opened_at, row.user_id), ADDED, {"status": (row.status, status)})


def _close(row: SimpleNamespace, shift: Any, counts: dict[Any, Any] | None, exp: int) -> Expected:
    business_date = _need(shift, f"shift {row.shift_id}").business_date
    actor = None if row.closed_by == "system" else row.closed_by  # an automatic close has no actor
    return Expected(frozenset({"shift.closed"}),
                    projections.shift_closed(row, business_date, exp, _text_counts(counts, exp)),
                    _envelope(row.closed_at, actor), ADDED,
                    {"difference": (row.difference, row.counted_cash - row.expected_cash)})


def _discrepancy(row: SimpleNamespace, exp: int) -> Expected:
    return Expected(frozenset({"discrepancy.raised"}), {
        "discrepancy_id": row.id, "shift_id": row.shift_id, "business_date": row.business_date, "kind": row.kind,
        "amount": format_money(row.amount, exp), "detail": row.detail}, {"ts": row.detected_at}, ADDED)


def _resolution(row: SimpleNamespace) -> Expected:
    return Expected(frozenset({"discrepancy.resolved"}), {
        "discrepancy_id": row.discrepancy_id, "resolved_by": row.resolved_by, "note": row.note},
        {"ts": row.resolved_at}, ADDED)


def _z_report(row: SimpleNamespace, read: Reader) -> Expected:
    report = json.loads(row.report_json)
    data = {
        "business_date": row.business_date, "business_counter": row.business_counter,
        "sales_net": report["sales_net"]["amount"], "sales_gross": report["sales_gross"]["amount"],
        "returns": report["returns"]["amount"], "cash_logical": report["cash"]["logical_amount"],
        "cash_physical": report["cash"]["physical_amount"], "report_sha256": projections.z_report_sha256(report),
    }
    entry, _ = read(row.audit_seq)
    envelope: dict[str, Any] = {"actor": row.created_by}
    if entry is not None and "report_sha256" in entry["data"]:
        envelope["ts"] = row.created_at  # before that key, created_at came from a second clock read
    derived: dict[str, tuple[Any, Any]] = {"report_json.copy": (report.get("copy"), False)}
    # The checkpoint written right after the report.z entry, in the same transaction. An entry
    # there that is gone or unreadable is that entry's own problem, not this report's.
    after, _ = read(row.audit_seq + 1)
    if after is not None:
        signed = after["data"] if after["type"] == CHECKPOINT_TYPE else {}
        root, size = signed.get("root"), signed.get("tree_size")
        derived.update({
            "checkpoint_root": (row.checkpoint_root, root),
            "report_json.checkpoint_root": (report.get("checkpoint_root"), root),
            "report_json.checkpoint_size": (report.get("checkpoint_size"), size),
            "report_json.checkpoint_short": (report.get("checkpoint_short"),
                                             short_root(root) if type(root) is str else None),
        })
    return Expected(frozenset({"report.z"}), data, envelope, ADDED, derived)


def _rows(repo: AuditRowsRepo, table: str) -> list[SimpleNamespace]:
    return [SimpleNamespace(**row) for row in repo.rows(table)]


def _by_shift_and_kind(rows: list[SimpleNamespace]) -> dict[tuple[Any, Any], dict[Any, Any]]:
    counts: dict[tuple[Any, Any], dict[Any, Any]] = {}
    for row in rows:
        counts.setdefault((row.shift_id, row.kind), {})[row.denomination] = row.quantity
    return counts


def records(uow: UnitOfWork, repo: AuditRowsRepo, read: Reader, exp: int,
            leftover: Callable[[str], None]) -> Iterator[Record]:
    """Every finalised record with what its entry must hold; `leftover` is told of cash counts
    that belong to no shift's open or close (they are in no entry)."""
    for sale_id, receipt_no, seq in repo.receipts("sales"):
        yield f"sale {receipt_no}", seq, partial(_sale, uow, sale_id, exp)
    for row in _rows(repo, "sale_voids"):
        yield f"void of sale {row.sale_id}", row.audit_seq, partial(_void, uow, row.sale_id, exp)
    for refund_id, receipt_no, seq in repo.receipts("refunds"):
        yield f"refund {receipt_no}", seq, partial(_refund, uow, refund_id, exp)
    for row in _rows(repo, "cash_movements"):
        yield f"cash movement {row.id}", row.audit_seq, partial(_cash, row, exp)
    for row in _rows(repo, "drawer_openings"):
        yield f"drawer opening {row.id}", row.audit_seq, partial(_drawer, row)
    counts = _by_shift_and_kind(_rows(repo, "cash_counts"))
    shifts = {row.id: row for row in _rows(repo, "shifts")}
    closes = _rows(repo, "shift_closes")
    closed = {row.shift_id for row in closes}
    for row in shifts.values():
        yield f"shift {row.id}", row.audit_seq, partial(_shift, row, counts.pop((row.id, "open"), None),
                                                         row.id in closed, exp)
    for row in closes:
        yield f"close of shift {row.shift_id}", row.audit_seq, partial(
            _close, row, shifts.get(row.shift_id), counts.pop((row.shift_id, "close"), None), exp)
    for shift_id, kind in counts:
        leftover(f"cash counts of shift {shift_id!r} ({kind!r}) belong to no shift's opening or close entry")
    for row in _rows(repo, "discrepancies"):
        yield f"discrepancy {row.id}", row.audit_seq, partial(_discrepancy, row, exp)
    for row in _rows(repo, "discrepancy_resolutions"):
        yield f"resolution of discrepancy {row.discrepancy_id}", row.audit_seq, partial(_resolution, row)
    for row in _rows(repo, "z_reports"):
        yield f"Z report of {row.business_date}", row.audit_seq, partial(_z_report, row, read)


def check_children(repo: AuditRowsRepo, problem: Callable[[Any, str], None]) -> None:
    """Lines and payments: each belongs to an existing record, and its id is what its parent and
    position make it (refund lines name sale lines by that id, so it must not move). A problem
    is reported at the parent's entry."""
    for table, suffix in (("sale_lines", ""), ("sale_payments", "p"), ("refund_lines", ""), ("refund_payments", "p")):
        last: tuple[Any, int] = (None, 0)
        for row_id, parent, position, seq in repo.children(table):
            if seq is None:
                problem(None, f"{table} row {row_id!r} belongs to {parent!r}, which does not exist")
                continue
            number = last[1] + 1 if parent == last[0] else 1
            if row_id != f"{parent}:{suffix}{position}" or position != number:
                problem(seq, f"{table} row {row_id!r} of {parent!r} is at position {position!r}: its id or "
                             "position was changed")
            last = (parent, number)
