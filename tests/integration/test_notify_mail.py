"""E-mail through a real SMTP server on 127.0.0.1 (aiosmtpd): reminders and tampering alerts
arrive; a refused or down server keeps the message queued and a later run delivers it."""

from __future__ import annotations

import io
import json
import sqlite3
from contextlib import redirect_stdout
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from app.cli.main import main
from app.notify import mail
from app.usecases import shifts
from tests.support.smtp import Inbox, configure_smtp
from tests.support.till import Till


def _configure(till: Till, port: int) -> None:
    configure_smtp(till, port)


def _short_close(till: Till) -> None:
    shifts.open_shift(till.ctx, "anna", 10_000)
    shifts.close_shift(till.ctx, "anna", 9_000)


def cli(data_dir: Path, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["--data-dir", str(data_dir), *argv])
    return code, out.getvalue()


def test_reconciliation_reminder_arrives_grouped_by_cashier(till: Till, server: Inbox, smtp_port: int) -> None:
    _configure(till, smtp_port)
    _short_close(till)
    code, out = cli(till.data_dir, "shift", "reconciliation-remind", "--dry-run", "--email-admins", "--json")
    assert code == 0 and json.loads(out)["cashiers"]["anna"][0]["kind"] == "CASH_SHORT"
    assert server.messages == []
    code, out = cli(till.data_dir, "shift", "reconciliation-remind", "--email-admins", "--json")
    assert code == 0, out
    [(rcpts, body)] = server.messages
    assert sorted(rcpts) == ["boss@shop.example", "ops@shop.example"]
    assert "Anna (anna):" in body and "CASH_SHORT 10.00" in body


def test_down_server_keeps_the_reminder_and_retries(till: Till, smtp_port: int) -> None:
    _configure(till, smtp_port)  # nothing listens on this port yet
    _short_close(till)
    code, _ = cli(till.data_dir, "shift", "reconciliation-remind", "--email-admins", "--json")
    assert code == 1
    [queued] = _queue(till)
    assert queued["sent_at"] is None and queued["attempts"] == 1 and "could not reach" in queued["last_error"]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert mail.flush(till.ctx)["sent"] == 1
    finally:
        controller.stop()
    [(_rcpts, body)] = inbox.messages
    assert "CASH_SHORT" in body
    [delivered] = _queue(till)
    assert delivered["sent_at"] and delivered["attempts"] == 2


def test_refusing_server_keeps_the_message(till: Till, smtp_port: int) -> None:
    _configure(till, smtp_port)
    inbox = Inbox(refuse=True)
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        outcome = mail.send(till.ctx, ["boss@shop.example"], "hello", "body")
        assert outcome["sent"] == 0 and outcome["pending"] == 1 and "554" in outcome["errors"][0]
        inbox.refuse = False
        assert mail.flush(till.ctx) == {"sent": 1, "pending": 0, "errors": []}
    finally:
        controller.stop()
    assert len(inbox.messages) == 1


def test_bad_addresses_and_missing_recipients_are_refused(till: Till) -> None:
    with pytest.raises(Exception, match="not an e-mail address"):
        mail.enqueue(till.ctx, ["not an address"], "s", "b")
    with pytest.raises(Exception, match="admin_emails"):
        mail.enqueue(till.ctx, [], "s", "b")
    assert _queue(till) == []


def test_tampering_alert_is_mailed(till: Till, server: Inbox, smtp_port: int) -> None:
    _configure(till, smtp_port)
    _short_close(till)
    db = sqlite3.connect(till.data_dir / "till.sqlite")
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("UPDATE audit_log SET body = CAST(replace(body, '\"100.00\"', '\"900.00\"') AS BLOB) WHERE seq = 1")
    db.commit()
    db.close()
    code, _ = cli(till.data_dir, "audit", "verify", "--alert-on-tampering")
    assert code == 1
    [(_rcpts, body)] = server.messages
    assert "TAMPERING" in body and "#1 (2026-03-02T09:00:00" in body and " hash" in body
    code, _ = cli(till.data_dir, "audit", "verify", "--from", "2026-03-03", "--to", "2026-03-04", "--json")
    assert code == 0  # the damage is on 2026-03-02, outside the window asked for
    code, _ = cli(till.data_dir, "audit", "verify", "--from", "2026-03-02", "--full")
    assert code == 2


def _queue(till: Till) -> list[dict]:
    db = sqlite3.connect(till.data_dir / "till.sqlite")
    db.row_factory = sqlite3.Row
    rows = [dict(r) for r in db.execute("SELECT * FROM mail_queue ORDER BY created_at")]
    db.close()
    return rows


def test_verify_by_days_mails_the_addresses_given(till: Till, server: Inbox, smtp_port: int) -> None:
    """Seed 002's `--days N` and `--email ADDR`: the window is the last N days by the till's clock,
    and a problem found in it goes to the addresses given instead of admin_emails."""
    _configure(till, smtp_port)
    _short_close(till)
    db = sqlite3.connect(till.data_dir / "till.sqlite")
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("UPDATE audit_log SET body = CAST(replace(body, '\"100.00\"', '\"900.00\"') AS BLOB) WHERE seq = 1")
    db.commit()
    db.close()
    back_to_damage = (datetime.now(UTC).date() - date(2026, 3, 2)).days + 1  # the CLI's till runs on the real clock
    code, _ = cli(till.data_dir, "audit", "verify", "--days", str(back_to_damage - 1), "--email", "owner@shop.example")
    assert code == 0 and not server.messages  # the damaged entry is one day older than the window
    code, _ = cli(till.data_dir, "audit", "verify", "--days", str(back_to_damage), "--email", "owner@shop.example",
                  "--email", "auditor@shop.example")
    assert code == 1
    [(rcpts, body)] = server.messages
    assert sorted(rcpts) == ["auditor@shop.example", "owner@shop.example"] and "TAMPERING" in body
    code, _ = cli(till.data_dir, "audit", "verify", "--start-date", "2026-03-02", "--end-date", "2026-03-02")
    assert code == 1
    code, _ = cli(till.data_dir, "audit", "verify", "--days", "1", "--from", "2026-03-01")
    assert code == 2
    code, _ = cli(till.data_dir, "audit", "verify", "--days", "0")
    assert code == 2
    code, _ = cli(till.data_dir, "audit", "verify", "--email", "not an address")
    assert code == 1 and len(server.messages) == 1  # the problem is reported; the bad address sends nothing
