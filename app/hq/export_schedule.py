"""Scheduled exports at head office: a named export (kind, format, filters, a relative range such
as `yesterday`, stores, recipients) kept in the central store, and the run a cron job or a
systemd timer starts.

A run writes each file through `app.hq.exports.export` (so hq_audit holds its `export.created`
entry and SHA-256), then stores the message with the file attached in `hq_mail_queue` and
commits, and only then talks to the SMTP server. A server that is down leaves every message
queued with its error; the next run sends what is queued first. Nothing is lost to a mail outage.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg

from app.exports import filters as export_filters
from app.exports.registry import kinds
from app.hq import exports as hq_exports
from app.notify.mail import SmtpSettings, compose, deliver
from db.central import schedule_repo as repo
from db.central.schedule_repo import Schedule
from kernel.errors import InvalidInput
from kernel.ids import new_id

RANGES = ("today", "yesterday", "last-7-days", "last-30-days", "this-month", "last-month")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,59}")
MAX_RECIPIENTS = 20


def resolve_range(name: str, today: date) -> tuple[date, date]:
    """First and last date of a relative range, as seen on `today`."""
    if name == "today":
        return today, today
    if name == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if name in ("last-7-days", "last-30-days"):  # the whole days before today
        return today - timedelta(days=int(name.split("-")[1])), today - timedelta(days=1)
    if name == "this-month":
        return today.replace(day=1), today
    if name == "last-month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    raise InvalidInput(f"--range is one of: {', '.join(RANGES)}.")


def check(name: str, kind: str, fmt: str, range_: str | None, filters: Mapping[str, str],
          recipients: Sequence[str], stores: Sequence[str] | None, by: str, today: date) -> Schedule:
    """The schedule as stored, or InvalidInput naming the first thing wrong (nothing stored)."""
    if not NAME.fullmatch(name):
        raise InvalidInput("--name is 1 to 60 letters, digits, '.', '_' or '-', starting with a letter or digit.")
    found = kinds().get(kind)
    if found is None:
        raise InvalidInput(f"There is no '{kind[:40]}' export; choose one of: {', '.join(kinds())}.")
    if fmt not in ("xlsx", "csv", "pdf"):
        raise InvalidInput("--format is one of: xlsx, csv, pdf.")
    keys = {spec.key for spec in found.filters}
    unknown = [k for k in filters if k not in keys or k == "store"]
    if unknown:
        raise InvalidInput(f"The {kind} export has no filter '{unknown[0][:40]}'.")
    if range_ is not None:
        if "from" not in keys:
            raise InvalidInput(f"The {kind} export has no date range; leave out --range.")
        if "from" in filters or "to" in filters:
            raise InvalidInput("Give either --range or from=/to= filters, not both.")
        resolve_range(range_, today)
    export_filters.parse(found.filters, _resolved(filters, range_, today), hq_exports.CENTRAL_EXPONENT)
    cleaned = [r.strip() for r in recipients if r.strip()]
    if not cleaned or len(cleaned) > MAX_RECIPIENTS:
        raise InvalidInput(f"--to names 1 to {MAX_RECIPIENTS} e-mail addresses.")
    bad = next((r for r in cleaned if not _address(r)), None)
    if bad is not None:
        raise InvalidInput(f"'{bad[:60]}' is not an e-mail address.")
    return Schedule(name=name, kind=kind, format=fmt, range=range_, filters=dict(filters),
                    stores=[s.strip().upper() for s in stores] if stores else None, recipients=cleaned,
                    created_by=by)


def _address(text: str) -> bool:
    local, at, domain = text.partition("@")
    return bool(at and local and "." in domain and len(text) <= 254) and \
        not any(ch.isspace() or not ch.isprintable() or ch in ",;<>\"'" for ch in text)


def _resolved(filters: Mapping[str, Any], range_: str | None, today: date) -> dict[str, Any]:
    out = dict(filters)
    if range_ is not None:
        first, last = resolve_range(range_, today)
        out |= {"from": first.isoformat(), "to": last.isoformat()}
    return out


@dataclass(frozen=True)
class RunResult:
    name: str
    file: str | None  # None: a dry run
    rows: int | None
    sha256: str | None
    filters: dict[str, Any]
    error: str | None = None


def run(conn: psycopg.Connection, today: date, *, name: str | None = None, dry_run: bool = False,
        actor: str = "hq-schedule") -> list[RunResult]:
    """Write every schedule's file (or only `name`'s) and queue its message; commits each."""
    chosen = repo.schedules(conn, name)
    conn.commit()
    if name is not None and not chosen:
        raise InvalidInput(f"There is no export schedule named '{name[:60]}'.")
    results: list[RunResult] = []
    for s in chosen:
        filters = _resolved(s.filters, s.range, today)
        if dry_run:
            results.append(RunResult(s.name, None, None, None, filters))
            continue
        results.append(_run_one(conn, s, filters, today, actor))
    return results


def _run_one(conn: psycopg.Connection, s: Schedule, filters: dict[str, Any], today: date, actor: str) -> RunResult:
    ext = "zip" if s.format == "csv" else s.format
    with tempfile.TemporaryDirectory(prefix="tillstone-schedule-") as tmp:
        out = Path(tmp) / f"{s.name}-{today.isoformat()}.{ext}"
        try:
            written = hq_exports.export(conn, s.kind, s.format, out, filters, stores=s.stores,
                                        actor=f"{actor}:{s.name}", via="schedule")
        except InvalidInput as exc:
            conn.rollback()
            return RunResult(s.name, None, None, None, filters, error=str(exc))
        body = (f"The scheduled export '{s.name}' ({s.kind}, {s.format}) of {today.isoformat()}: "
                f"{written.row_count} rows, SHA-256 {written.sha256}.\nFilters: {filters}\n")
        repo.enqueue(conn, id=new_id(), schedule=s.name, recipients=s.recipients,
                     subject=f"Tillstone export {s.name} {today.isoformat()}", body=body,
                     attachment_name=out.name, attachment=out.read_bytes(), sha256=written.sha256)
        conn.commit()  # the file's entry and its message are stored before any SMTP connection
    return RunResult(s.name, out.name, written.row_count, written.sha256, filters)


@dataclass(frozen=True)
class Flushed:
    sent: int
    pending: int
    errors: list[str]


def flush(conn: psycopg.Connection, smtp: SmtpSettings) -> Flushed:
    """Try every queued message once, oldest first; each outcome committed on its own."""
    queued = repo.pending(conn)
    conn.commit()
    sent, errors = 0, []
    for mail in queued:
        error = _send(smtp, mail) if smtp.host else "no SMTP server is configured (--smtp-host)"
        repo.mark(conn, mail.id, error)
        conn.commit()
        if error is None:
            sent += 1
        else:
            errors.append(error)
    return Flushed(sent, len(queued) - sent, errors)


def _send(smtp: SmtpSettings, mail: repo.QueuedMail) -> str | None:
    message = compose(smtp, mail.recipients, mail.subject, mail.body)
    if mail.attachment is not None and mail.attachment_name:
        message.add_attachment(mail.attachment, maintype="application", subtype="octet-stream",
                               filename=mail.attachment_name)
    return deliver(smtp, message)
