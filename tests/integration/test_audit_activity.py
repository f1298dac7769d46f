"""`report audit` and `report activity` on a real till whose day is known action by action
(tests/support/audit_scene.py): per-user log-ins, failed log-ins, after-hours actions in the
store's zone, high-risk actions, exports, voids and refunds against sales, and the anomalies the
shift close found; the audit report's totals against the log itself; every read is an
`export.created` entry hashing exactly what was printed; hostile options exit 2 and write nothing."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.bootstrap import open_till
from app.cli.main import main
from app.reports.audit_entries import HIGH_RISK
from app.reports.registry import make_report
from app.usecases import audit
from kernel.clock import ManualClock
from kernel.money import format_money
from tests.support.audit_scene import HOURS, ZONE, Scene, run_day
from tests.support.till import Till, make_till

WINDOW = ["--from", "2026-03-01", "--to", "2026-03-03"]


@pytest.fixture(scope="module")
def day(tmp_path_factory) -> tuple[Till, Scene, list[dict]]:
    root = tmp_path_factory.mktemp("activity")
    till = make_till(root / "till")
    scene = run_day(till, root)
    with till.ctx.uow(read_only=True) as uow:
        entries = [json.loads(body) for _s, body, _p, _h in uow.audit.iter_raw()]
    return till, scene, entries


def who(entry: dict) -> str | None:
    return entry["actor"] or (entry["data"]["user_id"] if entry["type"] == "user.login_failed" else None)


def local_hhmm(entry: dict, zone: str) -> str:
    ts = datetime.fromisoformat(entry["ts"].replace("Z", "+00:00"))
    return ts.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def zone_at(entries: list[dict], seq: int) -> str:
    change = next(e for e in entries if e["type"] == "settings.changed")
    tz = change["data"]["changes"]["timezone"]
    return tz["to"] if seq >= change["seq"] else tz["from"]


def cli(till: Till, *argv: str) -> tuple[int, str, str]:
    till.ctx.close()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", str(till.data_dir), *argv])
    return code, out.getvalue(), err.getvalue()


def test_activity_counts_each_user_as_the_day_happened(day) -> None:
    till, scene, entries = day
    report = make_report("activity", till.ctx, date_from="2026-03-01", date_to="2026-03-03")
    users = {u["user_id"]: u for u in report["users"]}
    assert report["business_hours"] == HOURS and report["business_hours_source"] == "setting business_hours"
    for user in ("anna", "ben"):
        assert users[user]["logins"] == scene.logins[user]
        assert users[user]["failed_logins"] == scene.failed[user]
        mine = [e for e in entries if who(e) == user]
        assert users[user]["actions"] == len(mine)
        late = [e for e in mine if not "07:00" <= local_hhmm(e, zone_at(entries, e["seq"])) < "21:00"]
        assert users[user]["after_hours_actions"] == len(late)
        assert users[user]["high_risk_actions"] == sum(1 for e in mine if e["type"] in HIGH_RISK)
    anna = users["anna"]
    assert anna["after_hours_actions"] > 0  # the sale at 21:30 Berlin and the close after it
    # void, refund, no-sale, cash out and price override, each with its supervisor's override
    assert anna["high_risk_actions"] == 2 * 5
    assert anna["sales"] == {"count": scene.sales["anna"], "amount": format_money(scene.sales_gross["anna"], 2)}
    assert anna["voids"] == {"count": scene.voids["anna"], "amount": format_money(scene.void_gross["anna"], 2)}
    assert anna["refunds"]["count"] == scene.refunds["anna"]
    void_pct = scene.voids["anna"] * 100 / scene.sales["anna"]
    assert abs(float(anna["void_percent"]) - void_pct) < 0.005
    assert {a["kind"] for a in anna["anomalies"]} == {"LARGE_SALE", "AFTER_HOURS", "FAILED_LOGINS", "VOID_ANOMALY"}
    assert users["sofia"]["exports"] == 1 and users["admin"]["high_risk_actions"] == 1  # the zone change
    assert report["totals"]["failed_logins"] == sum(scene.failed.values())


def test_hours_option_and_the_default_window(day) -> None:
    till, _scene, entries = day
    narrow = make_report("activity", till.ctx, date_from="2026-03-02", date_to="2026-03-02", hours="10:00-18:00")
    anna = next(u for u in narrow["users"] if u["user_id"] == "anna")
    mine = [e for e in entries if who(e) == "anna"]
    late = [e for e in mine if not "10:00" <= local_hhmm(e, zone_at(entries, e["seq"])) < "18:00"]
    assert narrow["business_hours_source"] == "--hours" and anna["after_hours_actions"] == len(late)
    # Default: the 30 local days ending today, by the till's clock.
    ctx = open_till(till.data_dir, ManualClock(datetime(2026, 3, 20, 12, 0, tzinfo=UTC)))
    try:
        report = make_report("activity", ctx)
        assert (report["from"], report["to"], report["window_days"]) == ("2026-02-19", "2026-03-20", 30)
        assert report["totals"]["actions"] == len(entries)
        later = open_till(till.data_dir, ManualClock(datetime(2026, 3, 2, 12, 0, tzinfo=UTC) + timedelta(days=45)))
        assert make_report("activity", later)["users"] == []
        later.close()
    finally:
        ctx.close()


def test_audit_report_totals_by_type_and_user_with_the_last_action(day) -> None:
    till, _scene, entries = day
    report = make_report("audit", till.ctx)
    s = report["summary"]
    users = Counter(who(e) for e in entries)
    assert s["total_actions"] == len(entries) and s["unique_users"] == len([u for u in users if u])
    assert s["high_risk_actions"] == sum(1 for e in entries if e["type"] in HIGH_RISK)
    assert {r["type"]: r["count"] for r in report["actions_by_type"]} == dict(Counter(e["type"] for e in entries))
    for row in report["actions_by_user"]:
        assert row["count"] == users[row["user_id"]]
        last = [e for e in entries if who(e) == row["user_id"]][-1]
        assert row["last_action_utc"] == last["ts"] and row["last_type"] == last["type"]
        zone = zone_at(entries, last["seq"])
        assert row["last_action"][11:16] == local_hhmm(last, zone)
    only_ben = make_report("audit", till.ctx, user="ben")
    assert only_ben["summary"]["total_actions"] == users["ben"]
    assert only_ben["summary"]["failed_logins"] == 2


@pytest.mark.parametrize("kind, as_json", [("activity", True), ("audit", False)])
def test_reading_a_report_is_an_audit_entry_hashing_what_was_printed(tmp_path, kind, as_json) -> None:
    till = make_till(tmp_path / "till")
    run_day(till, tmp_path)
    code, out, err = cli(till, "report", kind, *WINDOW, *(["--json"] if as_json else []))
    assert code == 0, err
    if as_json:
        assert json.loads(out)["report_type"] == kind
    with till.ctx.uow(read_only=True) as uow:
        entry = json.loads(uow.audit.last_body("export.created"))
    data = entry["data"]
    assert data["kind"] == f"report:{kind}" and data["format"] == ("json" if as_json else "text")
    assert data["sha256"] == hashlib.sha256(out.encode("utf-8")).hexdigest()
    assert data["filters"] == {"from": "2026-03-01", "to": "2026-03-03"}
    assert audit.verify(till.ctx).ok
    # The next report counts the read as a report, not as an export.
    again = make_report("activity", till.ctx, date_from="2026-03-01", date_to="2026-12-31")
    assert next(u for u in again["users"] if u["user_id"] is None)["reports_read"] == 1


@pytest.mark.parametrize("argv, message", [
    (["report", "activity", "--hours", "25:00-26:00"], "HH:MM-HH:MM"),
    (["report", "activity", "--hours", "09:00-09:00"], "same time"),
    (["report", "audit", "--from", "2026-03-09", "--to", "2026-03-01"], "is after"),
    (["report", "activity", "--from", "2026-03-09", "--to", "2026-03-01"], "is after"),
    (["report", "audit", "--to", "03/01/2026"], "not a valid date"),
    (["report", "activity", "--user", "x" * 10_000], "at most 200"),
])
def test_hostile_options_exit_2_and_write_no_entry(tmp_path: Path, argv, message) -> None:
    till = make_till(tmp_path / "till")
    with till.ctx.uow(read_only=True) as uow:
        before = uow.audit.count()
    code, out, err = cli(till, *argv)
    assert code == 2 and message in err and "Traceback" not in err and out == ""
    with till.ctx.uow(read_only=True) as uow:
        assert uow.audit.count() == before


def test_zone_shown_is_the_one_in_force(day) -> None:
    till, _scene, entries = day
    report = make_report("audit", till.ctx)
    first = report["summary"]["first_action"]
    assert first.endswith("+00:00")  # the log-in before the zone changed to Berlin
    assert report["summary"]["last_action"].endswith("+01:00") and ZONE in report["timezone_source"]
