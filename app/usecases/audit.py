"""Verifying and exporting the till's audit log."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from app.audit import effects
from app.audit.format_v1 import GENESIS_PREV, parse_entry
from app.audit.verify import (
    DAMAGE_ERRORS,
    Reader,
    VerifyReport,
    check_records,
    column_mismatch,
    entry_type,
    verify_chain,
)
from app.audit.witness import check_history
from app.context import TillContext
from app.usecases import audit_records, checkpoints, tail_checks
from app.usecases.audit_records import RECORD_TYPES
from db.audit_rows_repo import AuditRowsRepo
from db.uow import UnitOfWork
from kernel.errors import StateError

__all__ = ["EXTRA_CHECKS", "RECORD_TYPES", "check_database", "export", "verify"]

# The checks `audit verify` runs after the chain and the finalised records, in this order:
# fn(uow, ctx, report) -> None. A new check is listed here.
EXTRA_CHECKS: tuple[Callable[[Any, TillContext, VerifyReport], None], ...] = (
    checkpoints.check_checkpoints,
    tail_checks.check_receipt_counters,
    tail_checks.check_shifts,
    tail_checks.check_print_jobs,
    tail_checks.check_sync_marks,
)
_EFFECT_TYPES = effects.LEDGER_TYPES | effects.STOCK_TYPES
_NOTED_TYPES = RECORD_TYPES | _EFFECT_TYPES


def _reader(uow: UnitOfWork, till: str) -> Reader:
    def read(seq: int) -> tuple[dict[str, Any] | None, str | None]:
        body = uow.audit.body(seq)
        return (None, None) if body is None else parse_entry(seq, body, till)

    return read


def _each_with_columns(rows: Iterator[tuple[Any, ...]], on_entry: Callable[..., None]) -> Iterator[tuple[Any, ...]]:
    """(seq, body, prev, hash) for the chain, each row's ts/type/actor columns handed to
    `on_entry` on the way (the chain's own loop stays as tight as the benchmark measures it)."""
    for seq, body, prev, digest, ts, type_, actor in rows:
        on_entry(seq, body, ts, type_, actor)
        yield seq, body, prev, digest


def check_database(ctx: TillContext) -> None:
    """PRAGMA quick_check of the till's file: raises DatabaseDamaged with SQLite's finding. For the
    commands that must not run on a damaged file even where their own reads would not notice."""
    with ctx.uow(read_only=True) as uow:
        uow.check_intact()


def verify(ctx: TillContext, since: str | None = None) -> VerifyReport:
    """The file's own integrity (PRAGMA quick_check: a damaged file raises DatabaseDamaged), the
    chain and the log's columns, every finalised record against its entry, the ledger and stock
    rows entries imply, then the extra checks (checkpoints), then head office's countersignatures
    held on the till (a rewrite re-signed with the till's own key passes the checks before, not
    this one).

    `since` (a UTC date, `audit verify --from`): start at the last checkpoint stamped before it
    that this till's key signed (`checkpoints.anchor_before`) instead of entry 1: the entries it
    covers are taken as signed, everything from the checkpoint entry on is checked as above, and
    records, ledger rows and movements of earlier entries are left out. Without such a
    checkpoint the whole log is checked."""
    report = VerifyReport()
    types: dict[int, str] = {}
    till, exp = ctx.settings.audit_till, ctx.settings.exponent

    def on_entry(seq: int, body: bytes, ts: Any, type_column: Any, actor: Any) -> None:
        wrong = column_mismatch(body, ts, type_column, actor)
        if wrong is not None:
            report.add(seq, "column", f"the log's '{wrong}' column does not say what the entry's body says")
        type_ = entry_type(body)
        if type_ in _NOTED_TYPES:
            types[seq] = type_

    with ctx.uow(read_only=True) as uow, uow.lenient_text():
        uow.check_intact()
        report.anchor = checkpoints.anchor_before(uow, ctx, since) if since else None
        first = report.anchor.seq if report.anchor else 1
        for seq, storage in uow.audit.not_stored_as_bytes():
            if seq >= first:
                report.add(seq, "body", f"the entry's body is stored as {storage}, not as bytes")
        verify_chain(_each_with_columns(uow.audit.iter_with_columns(start=first), on_entry), till, report,
                     first=first, prev=report.anchor.head if report.anchor else GENESIS_PREV)
        read, rows = _reader(uow, till), uow.audit_rows
        recorded = {seq: type_ for seq, type_ in types.items() if type_ in RECORD_TYPES}
        records = audit_records.records(uow, rows, read, exp, lambda message: report.add(None, "record", message))
        if first > 1:
            records = (record for record in records if type(record[1]) is not int or record[1] >= first)
        check_records(records, read, report, recorded)
        audit_records.check_children(rows, lambda seq, message: report.add(seq, "record", message))
        _check_effects(uow, rows, till, exp, types, report, first)
        for check in EXTRA_CHECKS:
            check(uow, ctx, report)
        witnessed = uow.witnesses.all()
        if witnessed:
            check_history(uow.audit.iter_raw(start=first), witnessed, ctx.settings.audit_till, report)
    return report


class _Linked:
    """The stock movements linked to entries, taken entry by entry as the log is walked."""

    def __init__(self, rows: Any, report: VerifyReport) -> None:
        self.rows, self.report, self.head = iter(rows), report, None
        self._next()

    def _next(self) -> None:
        self.head = next(self.rows, None)

    def take(self, seq: int | None, recorded: Callable[[int], bool]) -> list[dict[str, Any]]:
        """The movements of entry `seq` (None: all that are left); the ones passed on the way name
        entries that record no movement."""
        out: list[dict[str, Any]] = []
        while self.head is not None and (seq is None or type(self.head[0]) is not int or self.head[0] <= seq):
            link_seq, movement_id, product_id, delta, reason, ref_id, created_at = self.head
            self._next()
            if product_id is None and reason is None:
                self.report.add(link_seq if type(link_seq) is int else None, "stock",
                                f"stock movement {movement_id!r}, linked to this entry, does not exist")
            elif link_seq == seq:
                out.append({"id": movement_id, "product_id": product_id, "delta_milli": delta, "reason": reason,
                            "ref_id": ref_id, "created_at": created_at})
            elif not (type(link_seq) is int and recorded(link_seq)):
                self.report.add(link_seq if type(link_seq) is int else None, "stock",
                                f"stock movement {movement_id!r} names audit entry {link_seq!r}, which records no "
                                "stock movement")
        return out


def _report_rows(report: VerifyReport, seq: int, what: str, type_: str, missing: list[dict[str, Any]],
                 extra: list[dict[str, Any]]) -> None:
    if not missing and not extra:
        return
    parts = [f"{what} {row.get('id')!r} ({effects.describe(row)}) is not what the entry made" for row in extra]
    parts += [f"the {what} it made ({effects.describe(row)}) is missing or changed" for row in missing]
    text = "; ".join(parts)
    report.add(seq, "ledger" if what == "ledger row" else "stock",
               f"{what}s of this {type_} entry do not match it: {text if len(text) <= 300 else text[:297] + '...'}")


def _check_effects(uow: UnitOfWork, rows: AuditRowsRepo, till: str, exp: int, types: dict[int, str],
                   report: VerifyReport, first: int = 1) -> None:
    """Customer ledger and stock movements, entry by entry in log order (app/audit/effects.py);
    from entry `first` on (rows linked to earlier entries are left out of a range verify)."""
    ledger: dict[Any, list[dict[str, Any]]] = {}
    for row in rows.rows("customer_ledger"):
        seq = row.pop("audit_seq")
        if type(seq) is not int or seq >= first:
            ledger.setdefault(seq, []).append(row)
    movements = rows.movements_by_entry()
    if first > 1:
        movements = (m for m in movements if type(m[0]) is not int or m[0] >= first)
    linked = _Linked(movements, report)

    def stock_entry(seq: int) -> bool:
        return types.get(seq) in effects.STOCK_TYPES

    def sale_of(sale_id: Any) -> Any:
        return uow.sales.sale(sale_id) if type(sale_id) is str else None

    for seq, body, _prev, _digest in uow.audit.iter_raw(start=first):
        type_ = types.get(seq)
        if type_ not in _EFFECT_TYPES:
            continue
        stored_ledger, stored_stock = ledger.pop(seq, []), linked.take(seq, stock_entry)
        entry, reason = parse_entry(seq, body, till)
        if entry is None:
            if type_ not in RECORD_TYPES:  # a record entry's reader problem is reported with its record
                report.add(seq, "entry", f"this {type_} entry cannot be read ({reason})")
            continue
        try:
            want_ledger = effects.ledger_rows(type_, entry["data"], entry["ts"], exp, sale_of)
            want_stock = effects.stock_rows(type_, entry["data"], entry["ts"], sale_of)
        except DAMAGE_ERRORS as exc:
            report.add(seq, "entry", f"this {type_} entry does not hold what its type needs ({type(exc).__name__})")
            continue
        if want_ledger is not None:
            _report_rows(report, seq, "ledger row", type_, *effects.unmatched(want_ledger, stored_ledger))
        if want_stock is not None:
            _report_rows(report, seq, "stock movement", type_, *effects.unmatched(want_stock, stored_stock))
    linked.take(None, stock_entry)
    for seq, stray in sorted(ledger.items(), key=lambda item: (type(item[0]) is not int, str(item[0]))):
        for row in stray:
            report.add(seq if type(seq) is int else None, "ledger",
                       f"ledger row {row.get('id')!r} names audit entry {seq!r}, which records no ledger row")
    for movement_id, reason in rows.unlinked_movements():
        if reason in effects.AUDITED_STOCK_REASONS:
            report.add(None, "stock", f"stock movement {movement_id!r} ({reason!r}) has no audit entry")


def _exportable(seq: int, body: bytes) -> dict[str, Any]:
    try:
        entry = json.loads(body)
    except (ValueError, RecursionError):
        entry = None
    if type(entry) is not dict:
        raise StateError(f"Entry #{seq} is not readable JSON and cannot be exported; run `tillstone audit verify` "
                         "to see what is damaged.")
    return entry


def export(ctx: TillContext, out: Path) -> int:
    """Write the log as JSON Lines (entry + hash, seq order) atomically: a crash leaves no half file."""
    tmp = out.with_name(out.name + ".part")
    count = 0
    try:
        with ctx.uow(read_only=True) as uow, tmp.open("w", encoding="utf-8") as fh:
            for seq, body, _prev, digest in uow.audit.iter_raw():
                entry = _exportable(seq, body)
                entry["hash"] = digest
                fh.write(json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
                fh.write("\n")
                count += 1
            fh.flush()
            os.fsync(fh.fileno())
    except StateError:
        tmp.unlink(missing_ok=True)  # a damaged log gives no export rather than half of one
        raise
    tmp.replace(out)
    return count
