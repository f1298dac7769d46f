"""Scheduled exports at head office over a real central database (a demo till's two simulated
days, pushed and imported) and a real SMTP server (aiosmtpd): the mailed attachment is the file
whose SHA-256 hq_audit holds; a server that is down keeps the message queued and a later run
delivers it; hostile schedules exit 2 and store nothing."""

from __future__ import annotations

import email
import hashlib
import json
from datetime import date, timedelta
from email.message import Message
from io import BytesIO

import openpyxl
import psycopg
import pytest
from aiosmtpd.controller import Controller

from app.cli.main import main
from tests.central.conftest import pg_url  # noqa: F401 (the module's database)
from tests.exports.test_sales_export_hq import central  # noqa: F401 (its till, pushed and imported)
from tests.support.smtp import Inbox, _free_port, server, smtp_port  # noqa: F401

pytestmark = pytest.mark.pg


def last_export_entry(url: str) -> dict:
    with psycopg.connect(url) as conn:
        body = conn.execute("SELECT body FROM hq_audit WHERE type = 'export.created' ORDER BY seq DESC LIMIT 1"
                            ).fetchone()[0]
    return json.loads(bytes(body))


def attachments(raw: str) -> dict[str, bytes]:
    message: Message = email.message_from_string(raw)
    return {part.get_filename(): part.get_payload(decode=True) for part in message.walk() if part.get_filename()}


def queued(url: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT schedule, attempts, sent_at IS NOT NULL, last_error FROM hq_mail_queue "
                            "ORDER BY created_at, id").fetchall()


def test_a_scheduled_export_is_mailed_with_the_file_hq_audit_names(central, server, smtp_port, capsys) -> None:  # noqa: F811
    url, store, _data, days = central
    assert main(["hq", "export-schedule", "add", "--db", url, "--name", "daily-sales", "--kind", "sales",
                 "--format", "xlsx", "--range", "yesterday", "--store", store, "--to", "boss@shop.example"]) == 0
    today = (date.fromisoformat(days[1]) + timedelta(days=1)).isoformat()
    capsys.readouterr()
    code = main(["hq", "export-schedule", "run", "--db", url, "--name", "daily-sales", "--today", today,
                 "--smtp-host", "127.0.0.1", "--smtp-port", str(smtp_port), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    assert out["exports"][0]["filters"] == {"from": days[1], "to": days[1]}
    assert out["mail"] == {"sent": 1, "pending": 0, "errors": []}
    assert len(server.messages) == 1
    rcpts, raw = server.messages[0]
    assert rcpts == ["boss@shop.example"]
    files = attachments(raw)
    assert list(files) == [f"daily-sales-{today}.xlsx"]
    content = files[f"daily-sales-{today}.xlsx"]
    entry = last_export_entry(url)
    assert entry["actor"] == "hq-schedule:daily-sales" and entry["data"]["via"] == "schedule"
    assert hashlib.sha256(content).hexdigest() == entry["data"]["sha256"] == out["exports"][0]["sha256"]
    book = openpyxl.load_workbook(BytesIO(content), read_only=True)
    assert book.sheetnames == ["Summary", "Sales", "Line Items"]
    dates = {row[3] for row in book["Sales"].iter_rows(min_row=2, values_only=True)}
    assert {d.date().isoformat() if hasattr(d, "date") else str(d) for d in dates} == {days[1]}
    assert queued(url)[-1][:3] == ("daily-sales", 1, True)


def test_a_down_server_keeps_the_mail_queued_and_a_later_run_delivers_it(central, capsys) -> None:  # noqa: F811
    url, store, _data, days = central
    assert main(["hq", "export-schedule", "add", "--db", url, "--name", "weekly-audit", "--kind", "audit",
                 "--format", "csv", "--range", "last-7-days", "--to", "audit@shop.example"]) == 0
    port = _free_port()  # nothing listens there yet
    today = (date.fromisoformat(days[1]) + timedelta(days=1)).isoformat()
    argv = ["hq", "export-schedule", "run", "--db", url, "--name", "weekly-audit", "--today", today,
            "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-timeout", "3", "--json"]
    capsys.readouterr()
    assert main(argv) == 1  # mail still queued: cron and systemd see a failed run
    first = json.loads(capsys.readouterr().out)
    assert first["mail"]["sent"] == 0 and first["mail"]["pending"] >= 1
    mine = [q for q in queued(url) if q[0] == "weekly-audit"]
    assert mine == [("weekly-audit", 1, False, mine[0][3])] and "could not reach" in mine[0][3]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert main([*argv, "--mail-only"]) == 0  # the hourly retry: sends the queue, writes nothing
        retried = json.loads(capsys.readouterr().out)
        assert retried["exports"] == [] and retried["mail"]["pending"] == 0
        assert [q[1:3] for q in queued(url) if q[0] == "weekly-audit"] == [(2, True)]
        assert main(argv) == 0  # the next day's run: its own export goes out at once
        second = json.loads(capsys.readouterr().out)
    finally:
        controller.stop()
    shas = [hashlib.sha256(body).hexdigest() for _r, raw in inbox.messages for body in attachments(raw).values()]
    assert shas == [first["exports"][0]["sha256"], second["exports"][0]["sha256"]]
    assert all(r == ["audit@shop.example"] for r, _raw in inbox.messages)
    assert [q[1:3] for q in queued(url) if q[0] == "weekly-audit"] == [(2, True), (1, True)]


@pytest.mark.parametrize("extra", [
    ["--name", "../etc/passwd"],
    ["--name", "x" * 10_000],
    ["--name", "ok", "--to", "boss@shop.example\nBcc: all@evil.example"],
    ["--name", "ok", "--to", "not-an-address"],
    ["--name", "ok", "--filter", "drop=table"],
    ["--name", "ok", "--filter", "from=2026-02-30"],
    ["--name", "ok", "--filter", "from=2026-03-05", "--filter", "to=2026-03-01"],
    ["--name", "ok", "--range", "yesterday", "--filter", "from=2026-03-01"],
    ["--name", "ok", "--filter", "noequals"],
    ["--name", "ok", "--filter", "cashier==\x00"],
])
def test_hostile_schedules_exit_2_and_store_nothing(central, capsys, extra) -> None:  # noqa: F811
    url = central[0]
    base = ["hq", "export-schedule", "add", "--db", url, "--kind", "sales", "--format", "csv"]
    to = [] if "--to" in extra else ["--to", "boss@shop.example"]
    capsys.readouterr()
    assert main([*base, *extra, *to]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip().count("\n") <= 1 and err.strip()
    with psycopg.connect(url) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM export_schedules")]
    assert "ok" not in names and not any(n.startswith(("..", "xxx")) for n in names)


def test_a_range_for_a_kind_without_dates_and_an_unknown_run_exit_2(central, capsys) -> None:  # noqa: F811
    url = central[0]
    assert main(["hq", "export-schedule", "add", "--db", url, "--name", "cust", "--kind", "customers",
                 "--format", "xlsx", "--range", "yesterday", "--to", "boss@shop.example"]) == 2
    assert main(["hq", "export-schedule", "run", "--db", url, "--name", "nope", "--dry-run"]) == 2
    assert main(["hq", "export-schedule", "add", "--db", url, "--name", "cust", "--kind", "customers",
                 "--format", "xlsx", "--to", "boss@shop.example"]) == 0
    assert main(["hq", "export-schedule", "add", "--db", url, "--name", "cust", "--kind", "customers",
                 "--format", "pdf", "--to", "boss@shop.example"]) == 2  # the name is taken
    capsys.readouterr()
    assert main(["hq", "export-schedule", "run", "--db", url, "--name", "cust", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["exports"] == [{"name": "cust", "file": None, "rows": None, "sha256": None, "filters": {},
                               "error": None}] and dry["mail"] is None
    assert main(["hq", "export-schedule", "remove", "--db", url, "--name", "cust"]) == 0
    assert main(["hq", "export-schedule", "remove", "--db", url, "--name", "cust"]) == 2
