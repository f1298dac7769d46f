"""Alerts sent when `audit verify` finds tampering or damage (`--alert-on-tampering`)."""

from __future__ import annotations

from app.audit.verify import VerifyReport
from app.context import TillContext
from app.notify import mail
from kernel.errors import InvalidInput


def tampering_alert(ctx: TillContext, report: VerifyReport) -> mail.FlushOutcome:
    """Queue and try to send the alert; a down server keeps it queued (never lost)."""
    till = ctx.settings.audit_till
    lines = [f"audit verify found {len(report.problems)} problem(s) on till {till}.",
             f"First bad entry: #{report.first_bad_seq}", ""]
    lines += [f"#{p.seq} {p.kind}: {p.message}" for p in report.problems[:50]]
    try:
        return mail.send(ctx, mail.admin_recipients(ctx), f"TAMPERING OR DAMAGE on till {till}",
                         "\n".join(lines) + "\n")
    except InvalidInput as exc:
        return {"sent": 0, "pending": 0, "errors": [str(exc)]}
