"""Alerts sent when `audit verify` finds tampering or damage (`--alert-on-tampering`)."""

from __future__ import annotations

import json

from app.audit.verify import VerifyReport
from app.context import TillContext
from app.notify import mail
from kernel.errors import InvalidInput


def _stamps(ctx: TillContext, seqs: list[int]) -> dict[int, str]:
    """The time each affected entry claims (from its body, which may itself be the damage)."""
    out: dict[int, str] = {}
    with ctx.uow(read_only=True) as uow:
        for seq in seqs:
            body = uow.audit.body(seq)
            try:
                ts = json.loads(body).get("ts") if body else None
            except (ValueError, AttributeError, RecursionError):
                ts = None
            if isinstance(ts, str):
                out[seq] = ts[:32]
    return out


def tampering_alert(ctx: TillContext, report: VerifyReport,
                    recipients: list[str] | None = None) -> mail.FlushOutcome:
    """Queue and try to send the alert; a down server keeps it queued (never lost).
    `recipients`: who gets it (`audit verify --email`); admin_emails when None."""
    till = ctx.settings.audit_till
    lines = [f"audit verify found {len(report.problems)} problem(s) on till {till}.",
             f"First bad entry: #{report.first_bad_seq}", ""]
    stamps = _stamps(ctx, [p.seq for p in report.problems[:50] if p.seq])
    lines += [f"#{p.seq} ({stamps.get(p.seq or 0, 'time unknown')}) {p.kind}: {p.message}"
              for p in report.problems[:50]]
    try:
        return mail.send(ctx, recipients or mail.admin_recipients(ctx), f"TAMPERING OR DAMAGE on till {till}",
                         "\n".join(lines) + "\n")
    except InvalidInput as exc:
        return {"sent": 0, "pending": 0, "errors": [str(exc)]}
