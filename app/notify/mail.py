"""E-mail over SMTP with a persistent retry queue.

A message is first written to the till's `mail_queue` table (committed), then sent; a refused or
unreachable server leaves it queued with the error and the attempt counted, and the next
`flush` tries again. So a reminder or a tampering alert is never lost to a mail outage.
SMTP settings live in the till settings table: smtp_host, smtp_port, smtp_from, smtp_timeout,
smtp_user / smtp_password (optional, with smtp_starttls=1), admin_emails (comma-separated).
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import TypedDict

from app.context import TillContext
from kernel.errors import InvalidInput
from kernel.ids import new_id


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    timeout: float
    user: str
    password: str
    starttls: bool

    @classmethod
    def from_mapping(cls, values: dict[str, str]) -> SmtpSettings:
        try:
            port, timeout = int(values.get("smtp_port", "25")), float(values.get("smtp_timeout", "10"))
        except ValueError:
            port, timeout = 25, 10.0
        return cls(host=values.get("smtp_host", ""), port=port,
                   sender=values.get("smtp_from", "tillstone@localhost"), timeout=timeout,
                   user=values.get("smtp_user", ""), password=values.get("smtp_password", ""),
                   starttls=values.get("smtp_starttls", "0") == "1")


def _valid_address(address: str) -> bool:
    local, _, domain = address.partition("@")
    return bool(local and domain) and not any(ch.isspace() or ch in ",;<>" for ch in address)


def admin_recipients(ctx: TillContext) -> list[str]:
    with ctx.uow(read_only=True) as uow:
        raw = uow.settings.get("admin_emails", "") or ""
    return [a.strip() for a in raw.split(",") if a.strip()]


def enqueue(ctx: TillContext, recipients: list[str], subject: str, body: str) -> str:
    """Store a message to send; committed before any network I/O."""
    recipients = [r.strip() for r in recipients if r.strip()]
    if not recipients:
        raise InvalidInput("No e-mail address to send to: set admin_emails in the till settings.")
    bad = [r for r in recipients if not _valid_address(r)]
    if bad:
        raise InvalidInput(f"'{bad[0]}' is not an e-mail address.")
    mail_id = new_id()
    with ctx.uow() as uow:
        uow.mail_queue.enqueue(id=mail_id, recipients=",".join(recipients),
                               subject=subject[:200], body=body, created_at=ctx.now_iso())
        uow.commit()
    return mail_id


class FlushOutcome(TypedDict):
    sent: int
    pending: int
    errors: list[str]


class SendOutcome(FlushOutcome):
    id: str


def flush(ctx: TillContext) -> FlushOutcome:
    """Try every queued message once; returns {"sent": n, "pending": n, "errors": [...]}."""
    with ctx.uow(read_only=True) as uow:
        pending = uow.mail_queue.pending()
        smtp = SmtpSettings.from_mapping(uow.settings.all())
    sent = 0
    errors: list[str] = []
    for msg in pending:
        error = _send_one(smtp, msg.recipients.split(","), msg.subject, msg.body) if smtp.host else \
            "no SMTP server is configured (smtp_host)"
        with ctx.uow() as uow:
            uow.mail_queue.mark(msg.id, sent_at=None if error else ctx.now_iso(), error=error)
            uow.commit()
        if error:
            errors.append(error)
        else:
            sent += 1
    return {"sent": sent, "pending": len(pending) - sent, "errors": errors}


def send(ctx: TillContext, recipients: list[str], subject: str, body: str) -> SendOutcome:
    """Queue, then flush the queue (older queued messages go first)."""
    mail_id = enqueue(ctx, recipients, subject, body)
    outcome = flush(ctx)
    return {"id": mail_id, "sent": outcome["sent"], "pending": outcome["pending"], "errors": outcome["errors"]}


def _send_one(smtp: SmtpSettings, recipients: list[str], subject: str, body: str) -> str | None:
    return deliver(smtp, compose(smtp, recipients, subject, body))


def compose(smtp: SmtpSettings, recipients: Sequence[str], subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(body)
    return message


def deliver(smtp: SmtpSettings, message: EmailMessage) -> str | None:
    """Hand one message to the SMTP server; None when it took it, else why not (the caller keeps
    the message queued). Shared by the till's queue and head office's."""
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
            if smtp.starttls:
                client.starttls()
            if smtp.user:
                client.login(smtp.user, smtp.password)
            refused = client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        return f"the server refused every recipient: {', '.join(exc.recipients)}"
    except smtplib.SMTPResponseException as exc:
        return f"the server refused the message ({exc.smtp_code} {exc.smtp_error!r})"
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        return f"could not reach the mail server {smtp.host}:{smtp.port}: {exc}"
    if refused:
        return f"the server refused: {', '.join(refused)}"
    return None
