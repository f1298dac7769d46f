"""Head office's audit and activity reports and audit export over a real till that sold (simulate),
changed its time zone, synced and was imported: the figures equal the till's own reports for the
same window, the export has one row per accepted entry with the zone the till's log gives, the
chain verification shows, reads and exports land in hq_audit, and hostile options exit 2."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.hq.importer import import_all
from app.hq.verify import verify_all
from app.reports.registry import make_report
from app.simulate.runner import simulate
from app.sync import worker
from app.usecases import auth
from app.usecases import settings as till_settings
from db.central.schema import connect, upgrade
from kernel.errors import PermissionDenied
from tests.central.conftest import unique_store
from tests.central.master_support import hq
from tests.central.tills import DEMO_CASHIER, make_synced_till

pytestmark = pytest.mark.pg
WITNESS = Ed25519PrivateKey.generate()
WINDOW = ["--from", "2000-01-01", "--to", "2100-12-31", "--hours", "07:00-21:00"]


@pytest.fixture(scope="module")
def scene(pg_url, tmp_path_factory):
    upgrade(pg_url)
    root = tmp_path_factory.mktemp("hq_activity")
    store = unique_store()
    ctx, settings = make_synced_till(pg_url, root / "till", store, days=0)
    with pytest.raises(PermissionDenied):  # still in UTC: the zone changes next
        auth.login(ctx, DEMO_CASHIER, "0000")
    ctx = till_settings.update(ctx, "u-marc", {"timezone": "Europe/Berlin"})
    simulate(ctx, 2, 12, seed=5)
    worker.sync_once(ctx, settings)
    with connect(pg_url) as conn:
        import_all(conn, WITNESS, tills=[settings.till])
    return pg_url, store, ctx, settings.till


def without_names(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "user_name"} for r in rows]


def till_entries(ctx) -> list[dict]:  # type: ignore[no-untyped-def]
    with ctx.uow(read_only=True) as uow:
        return [json.loads(body) | {"hash": digest} for _s, body, _p, digest in uow.audit.iter_raw()]


def test_hq_activity_matches_the_tills_own(scene) -> None:
    url, store, ctx, _till = scene
    mine = make_report("activity", ctx, date_from="2000-01-01", date_to="2100-12-31", hours="07:00-21:00")
    code, out, err = hq("report", "activity", "--db", url, "--store", store, *WINDOW, "--json")
    assert code == 0, err
    theirs = json.loads(out)
    assert mine["totals"]["actions"] == len(till_entries(ctx)) > 0
    assert mine["totals"]["logins"] > 0 and mine["totals"]["failed_logins"] > 0
    assert without_names(theirs["users"]) == without_names(mine["users"])
    assert theirs["totals"] == mine["totals"] and theirs["anomalies"] == mine["anomalies"]
    assert theirs["report_scope"] == "head_office" and theirs["scope_label"] == store


def test_hq_audit_report_matches_and_its_read_is_in_hq_audit(scene) -> None:
    url, store, ctx, _till = scene
    mine = make_report("audit", ctx)
    code, out, err = hq("report", "audit", "--db", url, "--store", store, "--by", "auditor", "--json")
    assert code == 0, err
    theirs = json.loads(out)
    assert theirs["summary"] == mine["summary"] and theirs["actions_by_type"] == mine["actions_by_type"]
    assert without_names(theirs["actions_by_user"]) == without_names(mine["actions_by_user"])
    with connect(url) as conn:
        seq, actor, body = conn.execute("SELECT seq, actor, body FROM hq_audit ORDER BY seq DESC LIMIT 1").fetchone()
        report = verify_all(conn)
    data = json.loads(bytes(body))["data"]
    assert actor == "auditor" and data["kind"] == "report:audit" and data["stores"] == [store]
    assert data["sha256"] == hashlib.sha256(out.encode("utf-8")).hexdigest()
    assert report["hq_audit"]["ok"]


def test_hq_export_one_row_per_accepted_entry_with_the_tills_zone(scene, tmp_path: Path) -> None:
    url, store, ctx, till = scene
    entries = till_entries(ctx)
    change = next(e for e in entries if e["type"] == "settings.changed")
    out = tmp_path / "hq_audit.xlsx"
    code, _out, err = hq("export", "audit", "--db", url, "--store", store, "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    wb = openpyxl.load_workbook(out, read_only=True)
    log = [list(r) for r in wb["Audit Log"].iter_rows(values_only=True)][1:]
    summary = {(r[0], r[1]): r[2] for r in list(wb["Summary"].iter_rows(values_only=True))[1:]}
    wb.close()
    assert [(r[0], r[1], r[13]) for r in log] == [(till, e["seq"], e["hash"]) for e in entries]
    assert {r[4] for r in log if r[1] < change["seq"]} == {"UTC"}
    assert {r[4] for r in log if r[1] >= change["seq"]} == {"Europe/Berlin"}
    assert summary[("Chain", "Verified")] == "yes" and summary[("Totals", "Entries")] == len(entries)
    with connect(url) as conn:
        seq, body = conn.execute("SELECT seq, body FROM hq_audit ORDER BY seq DESC LIMIT 1").fetchone()
        hq_count = conn.execute("SELECT count(*) FROM hq_audit").fetchone()[0]
    data = json.loads(bytes(body))["data"]
    assert data["kind"] == "audit" and data["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    # Head office's own log is the store id HQ.
    own = tmp_path / "own.xlsx"
    assert hq("export", "audit", "--db", url, "--store", "HQ", "--format", "xlsx", "--out", str(own))[0] == 0
    wb = openpyxl.load_workbook(own, read_only=True)
    rows = [list(r) for r in wb["Audit Log"].iter_rows(values_only=True)][1:]
    wb.close()
    assert [r[1] for r in rows] == list(range(1, hq_count + 1)) and {r[0] for r in rows} == {"HQ"}


@pytest.mark.parametrize("argv, message", [
    (["report", "activity", "--store", "NOPE99"], "no store"),
    (["report", "audit", "--from", "2026-03-09", "--to", "2026-03-01"], "is after"),
    (["report", "activity", "--hours", "7-21"], "HH:MM-HH:MM"),
    (["report", "audit", "--by", "x" * 10_000], "--by"),
    (["report", "audit", "--user", "y" * 10_000], "at most 200"),
])
def test_hostile_hq_options_exit_2(scene, argv, message) -> None:
    url = scene[0]
    with connect(url) as conn:
        before = conn.execute("SELECT count(*) FROM hq_audit").fetchone()[0]
    code, out, err = hq(*argv[:2], "--db", url, *argv[2:])
    assert code == 2 and message in err and "Traceback" not in err and out == ""
    with connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM hq_audit").fetchone()[0] == before


def test_hostile_hq_export_leaves_no_file(scene, tmp_path: Path) -> None:
    url = scene[0]
    code, _out, err = hq("export", "audit", "--db", url, "--store", "NOPE99", "--format", "xlsx",
                         "--out", str(tmp_path / "x.xlsx"))
    assert code == 2 and "no store" in err and list(tmp_path.iterdir()) == []


def test_without_store_every_till_and_head_offices_own_log(scene) -> None:
    url, _store, ctx, _till = scene
    with connect(url) as conn:
        own = conn.execute("SELECT count(*) FROM hq_audit").fetchone()[0]
    code, out, err = hq("report", "audit", "--db", url, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["scope_label"] == "every store"
    assert report["summary"]["total_actions"] == len(till_entries(ctx)) + own
