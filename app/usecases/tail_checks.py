"""Local signs that the newest audit entries were cut off (#17, part 2).

A chain cannot show that its tail is gone, but the till keeps other things that name entries:
the day's receipt counter, shift rows and carts, print jobs (each receipt carries its entry's
sequence number and short hash), the sync marks and head office's counted marks. Each of them
naming more than the log holds is a problem (kind `tail`) at the first missing sequence number.
A tail cut cleanly, with every such trace removed too, stays undetectable on the till alone:
that needs a receipt, a countersigned checkpoint or head office (docs/security.md).
"""

from __future__ import annotations

import json
from typing import Any

from app.audit.anchor import SEQ_ON_PAPER
from app.audit.verify import VerifyReport
from app.context import TillContext
from db.uow import UnitOfWork

RECEIPT_TYPES = ("sale.completed", "refund.completed")
CUT = "the log's newest entries were cut off or the till was restored from an old backup"


def _data(body: bytes) -> dict[str, Any]:
    try:
        entry = json.loads(body)
    except (ValueError, RecursionError):
        return {}
    data = entry.get("data") if isinstance(entry, dict) else None
    return data if isinstance(data, dict) else {}


def _head(uow: UnitOfWork) -> int:
    return int(uow.audit.head()[0])


def _receipts(uow: UnitOfWork) -> dict[str, int]:
    """Receipt number -> the seq of the entry that issued it (sales and refunds)."""
    out: dict[str, int] = {}
    for seq, body, _digest in uow.audit.of_types(RECEIPT_TYPES):
        number = _data(body).get("receipt_no")
        if isinstance(number, str):
            out.setdefault(number, seq)
    return out


def _number_of(receipt_no: str) -> tuple[str, int] | None:
    """(YYYY-MM-DD, n) of `STORE-TILL-YYYYMMDD-NNNN`."""
    parts = receipt_no.split("-")
    if len(parts) != 4 or not (parts[2].isdigit() and len(parts[2]) == 8 and parts[3].isdigit()):
        return None
    day = parts[2]
    return f"{day[:4]}-{day[4:6]}-{day[6:]}", int(parts[3])


def check_receipt_counters(uow: UnitOfWork, ctx: TillContext, report: VerifyReport) -> None:
    """Each day's receipt counter must stand at the last receipt the log issued that day."""
    head = _head(uow)
    last: dict[str, int] = {}
    for number in _receipts(uow):
        parsed = _number_of(number)
        if parsed is not None:
            last[parsed[0]] = max(last.get(parsed[0], 0), parsed[1])
    counters = dict(uow.audit_rows.receipt_counters())
    for day, value in counters.items():
        in_log = last.get(day, 0) if isinstance(day, str) else 0
        if type(value) is not int or value > in_log:
            report.add(head + 1, "tail", f"the receipt counter of {day} stands at {value!r}, but the last receipt "
                                         f"the log holds for that day is number {in_log}: receipts were issued "
                                         f"that the log no longer has ({CUT})")
        elif value < in_log:
            report.add(head + 1, "tail", f"the receipt counter of {day} stands at {value}, below receipt number "
                                         f"{in_log} in the log: the next receipt would repeat a number")
    for day in sorted(set(last) - set(counters)):
        report.add(head + 1, "tail", f"the log holds receipts of {day} but the day has no receipt counter")


def check_shifts(uow: UnitOfWork, ctx: TillContext, report: VerifyReport) -> None:
    """Every shift the till names (its rows, its carts) was opened by a shift.opened entry in the
    log; carts that became sales name sales the log holds."""
    head = _head(uow)
    opened: dict[Any, int] = {}
    sold: set[Any] = set()
    for seq, body, _digest in uow.audit.of_types(("shift.opened",)):
        shift_id = _data(body).get("shift_id")
        if isinstance(shift_id, str):
            opened.setdefault(shift_id, seq)
    for _seq, body, _digest in uow.audit.of_types(("sale.completed",)):
        sale_id = _data(body).get("sale_id")
        if isinstance(sale_id, str):
            sold.add(sale_id)
    for where, shift_id, seq in uow.audit_rows.shift_refs():
        if shift_id in opened:
            continue
        at = f" (entry #{seq})" if type(seq) is int else ""
        report.add(head + 1, "tail", f"{where} names shift {shift_id!r}{at}, which no shift.opened entry in the "
                                     f"log opened ({CUT})")
    for cart_id, sale_id in uow.audit_rows.completed_carts():
        if sale_id not in sold:
            report.add(head + 1, "tail", f"cart {cart_id!r} became sale {sale_id!r}, which no sale.completed entry "
                                         f"in the log holds ({CUT})")


def check_print_jobs(uow: UnitOfWork, ctx: TillContext, report: VerifyReport) -> None:
    """Receipts in the print spool name receipt numbers, sequence numbers and hashes the log holds."""
    head = _head(uow)
    receipts = _receipts(uow)
    for job_id, kind, ref, body in uow.audit_rows.print_refs():
        if kind in ("receipt", "reprint") and ref not in receipts:
            report.add(head + 1, "tail", f"print job {job_id} is the receipt {ref!r}, which no entry in the log "
                                         f"issued ({CUT})")
            continue
        for seq_text, prefix in SEQ_ON_PAPER.findall(body):
            seq = int(seq_text)
            stored = uow.audit.entry(seq) if seq <= head else None
            if stored is None:
                report.add(head + 1, "tail", f"print job {job_id} ({ref!r}) prints audit entry #{seq}, but the log "
                                             f"ends at #{head} ({CUT})")
            elif not stored[1].startswith(prefix.decode()):
                report.add(seq, "tail", f"print job {job_id} ({ref!r}) prints entry #{seq} with hash "
                                        f"{prefix.decode()}, which is not the hash that entry has now")
            break


def check_sync_marks(uow: UnitOfWork, ctx: TillContext, report: VerifyReport) -> None:
    """What the central store acknowledged, and what head office counted, lies within the log."""
    head = _head(uow)
    for what, value in uow.audit_rows.seq_marks():
        try:
            mark = int(value)
        except (TypeError, ValueError):
            report.add(None, "tail", f"{what} is {value!r}, not a sequence number")
            continue
        if mark > head:
            report.add(head + 1, "tail", f"{what} names audit entry #{mark}, but the log ends at #{head} ({CUT})")
