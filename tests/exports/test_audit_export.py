"""The audit export on a real till: the Audit Log sheet read back from xlsx and csv holds one row per
entry of the range with its UTC and local time, the Summary's counts equal what the log itself
holds (read from `audit export` with json alone), the chain's verification shows (and a tampered
log says NO), filters narrow by local date, type, user, sale and customer, hostile filters exit 2
leaving nothing, and an empty range is headers and a zero summary."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from app.cli.main import main
from app.reports.audit_entries import HIGH_RISK
from app.usecases import audit, auth, cart_customer, cart_lifecycle, cart_lines, checkout, shifts
from app.usecases import exports as till_exports
from tests.support.audit_scene import ZONE, Scene, run_day
from tests.support.tamper import tamper
from tests.support.till import BARCODES, Till, make_till

LOG_HEADER = ["Till", "Seq", "Time (UTC)", "Local time", "Time zone", "Type", "User", "User name", "Approved by",
              "Sale / receipt", "Customer", "Description", "Data", "Hash"]


@pytest.fixture(scope="module")
def day(tmp_path_factory) -> tuple[Till, Scene, Path]:
    root = tmp_path_factory.mktemp("audit_export")
    till = make_till(root / "till")
    scene = run_day(till, root)
    # The next local day begins at 23:00 UTC: a log-in at 23:30 UTC is on 2026-03-03 in Berlin.
    till.clock.set(datetime(2026, 3, 2, 23, 30, tzinfo=UTC))
    auth.login(till.ctx, "ben", "2222")
    shifts.open_shift(till.ctx, "ben", 0)
    cart = cart_lifecycle.start_cart(till.ctx, "ben")
    cart_lines.add_item(till.ctx, cart, "ben", BARCODES["milk"])
    cart_customer.attach_customer(till.ctx, cart, "ben", "c-1")
    checkout.add_payment(till.ctx, cart, "ben", "cash", 200)
    till.clock.advance(minutes=1)
    return till, scene, root


def log_entries(till: Till, out: Path) -> list[dict]:
    """The whole log via `audit export` (JSON Lines), read with json alone."""
    till.ctx.close()
    assert main(["--data-dir", str(till.data_dir), "audit", "export", "--out", str(out)]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def local(entry: dict, zone: str) -> datetime:
    ts = datetime.fromisoformat(entry["ts"].replace("Z", "+00:00"))
    return ts.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def zone_of(entries: list[dict]) -> dict[int, str]:
    """The zone in force at each entry, worked out here from the settings.changed entries."""
    change = next(e for e in entries if e["type"] == "settings.changed" and "timezone" in e["data"]["changes"])
    before, after = change["data"]["changes"]["timezone"]["from"], change["data"]["changes"]["timezone"]["to"]
    return {e["seq"]: after if e["seq"] >= change["seq"] else before for e in entries}


def sheet_rows(path: Path, name: str) -> list[list]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [list(r) for r in wb[name].iter_rows(values_only=True)]
    finally:
        wb.close()


def summary(rows: list[list]) -> dict[tuple[str, str], object]:
    return {(r[0], r[1]): r[2] for r in rows[1:]}


def test_xlsx_has_one_row_per_entry_with_local_time_and_a_summary_of_the_log(day, tmp_path) -> None:
    till, scene, _root = day
    entries = log_entries(till, tmp_path / "log.jsonl")
    out = tmp_path / "audit.xlsx"
    written = till_exports.export(till.ctx, "audit", "xlsx", out, {})
    rows = sheet_rows(out, "Audit Log")
    assert rows[0] == LOG_HEADER
    assert [r[1] for r in rows[1:]] == [e["seq"] for e in entries]
    zones = zone_of(entries)
    assert zones[entries[0]["seq"]] == "UTC" and zones[entries[-1]["seq"]] == ZONE
    for row, entry in zip(rows[1:], entries, strict=True):
        assert row[0] == "S001-T01" and row[5] == entry["type"] and row[13] == entry["hash"]
        utc = datetime.fromisoformat(entry["ts"].replace("Z", "+00:00")).replace(tzinfo=None)
        assert abs((row[2] - utc).total_seconds()) < 0.001
        assert abs((row[3] - local(entry, zones[entry["seq"]])).total_seconds()) < 0.001
        assert row[4] == zones[entry["seq"]]
        assert json.loads(row[12]) == entry["data"]
        assert row[11] and row[11] != entry["type"]  # every type the till writes has a sentence
    late = next(r for r in rows[1:] if r[5] == "sale.completed" and r[9] == scene.after_hours_receipt)
    assert (late[3].hour, late[3].minute) == (21, 30) and late[7] == "Anna"
    failed = [r for r in rows[1:] if r[5] == "user.login_failed"]
    assert len(failed) == scene.failed["ben"] and {r[6] for r in failed} == {"ben"}

    s = summary(sheet_rows(out, "Summary"))
    types = Counter(e["type"] for e in entries)
    assert s[("Totals", "Entries")] == len(entries) == written.rows["Audit Log"]
    assert {k[1]: v for k, v in s.items() if k[0] == "By type"} == dict(types)
    assert {k[1]: v for k, v in s.items() if k[0] == "High-risk"} == {t: types.get(t, 0) for t in HIGH_RISK}
    assert s[("Totals", "High-risk actions")] == sum(types.get(t, 0) for t in HIGH_RISK)
    assert s[("Failed log-ins", "Ben (ben)")] == scene.failed["ben"] == s[("Totals", "Failed log-ins")]
    actors = Counter(e["actor"] or (e["data"]["user_id"] if e["type"] == "user.login_failed" else None)
                     for e in entries)
    assert s[("By user", "Anna (anna)")] == actors["anna"] and s[("By user", "Ben (ben)")] == actors["ben"]
    assert s[("Totals", "Unique users")] == len([a for a in actors if a])
    assert s[("Chain", "Verified")] == "yes" and s[("Chain", "Problems")] == 0
    kinds = {k[1].split()[0] for k in s if k[0] == "Anomaly"}
    assert kinds == {"LARGE_SALE", "AFTER_HOURS", "FAILED_LOGINS", "VOID_ANOMALY"}

    # The export is itself an entry naming the file by its hash, and the chain still verifies.
    with till.ctx.uow(read_only=True) as uow:
        last = json.loads(uow.audit.last_body("export.created"))
    assert last["data"]["kind"] == "audit" and last["data"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert last["data"]["rows"] == written.row_count
    assert audit.verify(till.ctx).ok


def test_csv_zip_reads_back_the_same_rows(day, tmp_path) -> None:
    till, _scene, _root = day
    out = tmp_path / "audit.zip"
    till_exports.export(till.ctx, "audit", "csv", out, {"from": "2026-03-02", "to": "2026-03-02"})
    with zipfile.ZipFile(out) as zf:
        text = zf.read("Audit Log.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    xlsx = tmp_path / "same.xlsx"
    till_exports.export(till.ctx, "audit", "xlsx", xlsx, {"from": "2026-03-02", "to": "2026-03-02"})
    expected = sheet_rows(xlsx, "Audit Log")
    assert rows[0] == LOG_HEADER and len(rows) == len(expected)
    for got, want in zip(rows[1:], expected[1:], strict=True):
        assert int(got[1]) == want[1] and got[5] == want[5]
        assert got[3][:19] == want[3].strftime("%Y-%m-%d %H:%M:%S")


def test_filters_by_local_date_type_user_sale_and_customer(day, tmp_path) -> None:
    till, scene, _root = day
    entries = log_entries(till, tmp_path / "log.jsonl")
    zones = zone_of(entries)

    def seqs(**filters: str) -> list[int]:
        out = tmp_path / "f.xlsx"
        till_exports.export(till.ctx, "audit", "xlsx", out, filters)
        return [r[1] for r in sheet_rows(out, "Audit Log")[1:]]

    on_3rd = [e["seq"] for e in entries if local(e, zones[e["seq"]]).date().isoformat() == "2026-03-03"]
    assert on_3rd and seqs(**{"from": "2026-03-03"})[:len(on_3rd)] == on_3rd
    assert seqs(to="2026-03-02") == [e["seq"] for e in entries if e["seq"] not in on_3rd]
    assert seqs(type="sale.voided") == [e["seq"] for e in entries if e["type"] == "sale.voided"]
    assert seqs(type="sale") == [e["seq"] for e in entries if e["type"].startswith("sale.")]
    ben = [e["seq"] for e in entries if "ben" in (e["actor"], e["data"].get("user_id"))]
    assert seqs(user="ben") == ben
    voided = scene.receipts[0]
    by_sale = seqs(sale=voided)
    assert [t for s in by_sale for e in entries if e["seq"] == s for t in [e["type"]]] == ["sale.completed",
                                                                                          "sale.voided"]
    customer = [e["seq"] for e in entries if e["data"].get("customer_id") == "c-1"]
    assert customer and seqs(customer="c-1") == customer


def test_tampered_log_export_says_the_chain_did_not_verify(tmp_path) -> None:
    till = make_till(tmp_path / "till")
    run_day(till, tmp_path)
    till.ctx.close()
    tamper(till.data_dir, "UPDATE audit_log SET body = CAST(replace(CAST(body AS TEXT), '\"reason\":\"wrong item\"', "
                          "'\"reason\":\"mistake\"') AS BLOB) WHERE type = 'sale.voided'")
    out = tmp_path / "tampered.xlsx"
    till_exports.export(till.ctx, "audit", "xlsx", out, {"from": "2026-03-02"})
    s = summary(sheet_rows(out, "Summary"))
    assert s[("Chain", "Verified")] == "NO" and int(str(s[("Chain", "Problems")])) >= 1
    void = next(r for r in sheet_rows(out, "Audit Log")[1:] if r[5] == "sale.voided")
    assert s[("Chain", "First bad entry")] == void[1]
    pdf = tmp_path / "tampered.pdf"
    till_exports.export(till.ctx, "audit", "pdf", pdf, {"from": "2026-03-02"})
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Chain verified: NO" in text and f"Chain: First bad entry: {void[1]}" in text


@pytest.mark.parametrize("argv, message", [
    (["--from", "2026-02-30"], "not a valid date"),
    (["--from", "2026-03-05", "--to", "2026-03-01"], "is after"),
    (["--user", "u" * 10_000], "at most 200"),
    (["--type", "nothing.like.this"], "not an audit entry type"),
    (["--sale", "bad\x1b[2J"], "printable"),
])
def test_hostile_filters_exit_2_and_leave_nothing(tmp_path, capsys, argv, message) -> None:
    till = make_till(tmp_path / "till")
    with till.ctx.uow(read_only=True) as uow:
        before = uow.audit.count()
    till.ctx.close()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code = main(["--data-dir", str(till.data_dir), "export", "audit", "--format", "xlsx", "--out",
                 str(out_dir / "a.xlsx"), *argv])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert list(out_dir.iterdir()) == []
    with till.ctx.uow(read_only=True) as uow:
        assert uow.audit.count() == before


def test_empty_range_is_headers_and_a_zero_summary(tmp_path) -> None:
    till = make_till(tmp_path / "till")
    run_day(till, tmp_path)
    out = tmp_path / "empty.xlsx"
    written = till_exports.export(till.ctx, "audit", "xlsx", out, {"from": "2030-01-01", "to": "2030-01-31"})
    assert written.rows["Audit Log"] == 0
    assert sheet_rows(out, "Audit Log") == [LOG_HEADER]
    s = summary(sheet_rows(out, "Summary"))
    assert s[("Totals", "Entries")] == 0 and s[("Totals", "High-risk actions")] == 0
    assert {k[1]: v for k, v in s.items() if k[0] == "High-risk"} == dict.fromkeys(HIGH_RISK, 0)
    assert not any(k[0] == "By type" for k in s)


def test_an_unreadable_entry_is_a_row_saying_so_not_a_crash(tmp_path) -> None:
    till = make_till(tmp_path / "till")
    run_day(till, tmp_path)
    till.ctx.close()
    tamper(till.data_dir, "UPDATE audit_log SET body = CAST('{not json' AS BLOB) WHERE type = 'cash.out'")
    out = tmp_path / "damaged.zip"
    till_exports.export(till.ctx, "audit", "csv", out, {})
    with zipfile.ZipFile(out) as zf:
        rows = list(csv.reader(io.StringIO(zf.read("Audit Log.csv").decode("utf-8-sig"))))
        summary_rows = list(csv.reader(io.StringIO(zf.read("Summary.csv").decode("utf-8-sig"))))
    damaged = [r for r in rows[1:] if r[5] == "(unreadable)"]
    assert len(damaged) == 1 and "not readable" in damaged[0][11]
    assert ["Chain", "Verified", "NO"] in summary_rows
