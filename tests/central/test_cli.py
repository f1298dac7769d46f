"""The central CLI end to end, and its answers to hostile input (exit 2, nothing written)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import psycopg
import pytest

from app.bootstrap import init_till
from app.cli.main import main
from app.simulate.runner import simulate
from app.usecases.checkpoints import ensure_till_key
from app.usecases.setup import load_demo
from db.central import pull_repo, push_repo
from db.central.schema import connect
from tests.central.chains import Chain
from tests.central.conftest import unique_store

pytestmark = pytest.mark.pg


@pytest.fixture(scope="module")
def url(pg_url):
    assert main(["central", "init", "--db", pg_url]) == 0
    return pg_url


def run_json(capsys, argv: list[str]) -> tuple[int, dict]:
    capsys.readouterr()
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else {})


def test_full_flow_through_the_cli(url, tmp_path, capsys, monkeypatch) -> None:
    store = unique_store()
    data = tmp_path / "till"
    ctx = init_till(data, store=store, till="T01")
    load_demo(ctx)
    public = ensure_till_key(data)
    simulate(ctx, 2, 15, seed=4)
    conn_file = tmp_path / "conn.json"
    code, out = run_json(capsys, ["central", "enroll", "--db", url, "--store", store, "--till", "T01",
                                  "--public-key", public.hex(), "--out", str(conn_file)])
    assert code == 0 and out["till"] == f"{store}-T01"
    assert conn_file.stat().st_mode & 0o077 == 0
    assert main(["--data-dir", str(data), "central", "connect", str(conn_file)]) == 0
    code, status = run_json(capsys, ["--data-dir", str(data), "sync", "--status"])
    assert code == 0 and status["unsynced"] > 0
    code, pushed = run_json(capsys, ["--data-dir", str(data), "sync", "--once"])
    assert code == 0 and pushed["ok"] and pushed["inserted"] == status["unsynced"]
    monkeypatch.setenv("TILLSTONE_HQ_KEY_DIR", str(tmp_path / "hq"))
    code, imported = run_json(capsys, ["hq", "import", "--db", url, "--till", f"{store}-T01"])
    assert code == 0 and imported["tills"][0]["accepted"] == status["unsynced"]
    code, verified = run_json(capsys, ["hq", "verify", "--db", url])
    assert verified["tills"][f"{store}-T01"]["ok"]
    with ctx.uow(read_only=True) as uow:
        day = uow.conn.exec_driver_sql(
            "SELECT json_extract(body, '$.data.business_date') FROM audit_log WHERE type = 'sale.completed' "
            "ORDER BY seq LIMIT 1").scalar_one()
    code, report = run_json(capsys, ["hq", "report", "daily", "--db", url, "--business-date", day, "--store", store])
    assert code == 0 and report["reports"][0]["sales_net"]["count"] > 0
    r = report["reports"][0]
    assert Decimal(r["sales_net"]["amount"]) == sum(Decimal(p["amount"]) for p in r["payments"])
    # one till in the store: head office's daily figures equal the till's own Z report
    code, z = run_json(capsys, ["--data-dir", str(data), "report", "z", "--business-date", day])
    assert code == 0
    for key in ("sales_gross", "sales_net", "discount_for_lineitems", "discount_for_subtotal", "returns",
                "payments"):
        assert r[key] == z[key], key
    for key in ("logical_amount", "physical_amount", "difference_amount", "cash_in", "cash_out"):
        assert r["cash"][key] == z["cash"][key], key


def test_daily_report_refused_while_a_shift_is_open(url, capsys, tmp_path) -> None:
    store = unique_store()
    chain = Chain(f"{store}-T01")
    code, out = run_json(capsys, ["central", "enroll", "--db", url, "--store", store, "--till", "T01",
                                  "--public-key", chain.public.hex(), "--out", str(tmp_path / "c.json")])
    assert code == 0 and out["till"] == chain.till
    settings = json.loads((tmp_path / "c.json").read_text())
    chain.day("2026-03-02", 2, close=False)
    kwargs = settings["conninfo"]
    with psycopg.connect(**kwargs) as conn:
        push_repo.push_batch(conn, till=chain.till, batch_id=uuid.uuid4(), rows=chain.rows,
                             till_time=datetime.now(UTC))
    main(["hq", "import", "--db", url, "--till", chain.till, "--key-dir", str(tmp_path / "hq")])
    code, report = run_json(capsys, ["hq", "report", "daily", "--db", url, "--business-date", "2026-03-02",
                                     "--store", store])
    assert code == 1 and "open" in report["refused"][store][0]
    # stock: head office had 1 unit of MILK1 for this store; the till sold 2 of them
    with connect(url) as conn:
        pull_repo.upsert_master(conn, "md_tax_rates", [{"code": "B", "name": "Reduced", "rate_bp": 1000}])
        pull_repo.upsert_master(conn, "md_products", [{"id": "milk", "store_id": store, "sku": "MILK1",
                                                       "name": "Milk", "price": 350, "tax_code": "B"}])
        pull_repo.upsert_master(conn, "md_stock", [{"store_id": store, "product_id": "milk", "on_hand_milli": 1000}])
        conn.commit()
    code, stock = run_json(capsys, ["hq", "report", "stock", "--db", url, "--store", store])
    assert code == 1 and stock["oversold"] == ["MILK1"]


@pytest.mark.parametrize("argv", [
    ["central", "enroll", "--db", "URL", "--store", "bad store", "--till", "T01"],
    ["central", "enroll", "--db", "URL", "--store", "S1", "--till", "T01", "--public-key", "zz"],
    ["central", "enroll", "--db", "URL", "--store", "S1", "--till", "T01", "--public-key", "ab" * 31],
    ["hq", "report", "daily", "--db", "URL", "--business-date", "2026-13-45"],
    ["sync", "--batch-size", "0"],
])
def test_bad_input_exits_2(url, argv, tmp_path) -> None:
    argv = [a.replace("URL", url) for a in argv]
    if argv[0] == "sync":
        init_till(tmp_path / "t", store="S1", till="T01")
        argv = ["--data-dir", str(tmp_path / "t"), *argv]
    assert main(argv) == 2


def test_enrolling_twice_and_unreachable_database(url, tmp_path) -> None:
    store = unique_store()
    out = tmp_path / "a.json"
    key = ["--public-key", Chain(f"{store}-T01").public.hex()]
    assert main(["central", "enroll", "--db", url, "--store", store, "--till", "T01", *key, "--out", str(out)]) == 0
    assert main(["central", "enroll", "--db", url, "--store", store, "--till", "T01", *key,
                 "--out", str(tmp_path / "b.json")]) == 2
    assert not (tmp_path / "b.json").exists()
    dead = "postgresql://postgres@127.0.0.1:1/nothing"
    assert main(["hq", "verify", "--db", dead]) == 2
    assert main(["central", "init", "--db", dead]) == 2


def test_connect_refuses_bad_or_foreign_files(url, tmp_path) -> None:
    data = tmp_path / "till"
    init_till(data, store="S9", till="T01")
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    assert main(["--data-dir", str(data), "central", "connect", str(junk)]) == 2
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"v": 1, "till": "S8-T01", "store_id": "S8", "conninfo": {
        "host": "h", "dbname": "d", "user": "u", "password": "p"}}))
    assert main(["--data-dir", str(data), "central", "connect", str(foreign)]) == 2
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps({"v": 1, "till": "S9-T01", "store_id": "S9", "conninfo": {
        "host": "h", "dbname": "d", "user": "u", "password": "p", "options": "-c role=postgres"}}))
    assert main(["--data-dir", str(data), "central", "connect", str(evil)]) == 2
    assert not (data / "central.json").exists()
    assert main(["--data-dir", str(data), "sync", "--once"]) == 2  # not connected


def test_sync_once_against_a_dead_database_exits_1_and_keeps_everything(url, tmp_path) -> None:
    data = tmp_path / "till"
    ctx = init_till(data, store="S7", till="T01")
    load_demo(ctx)
    simulate(ctx, 1, 3, seed=1)
    conn_file = tmp_path / "c.json"
    conn_file.write_text(json.dumps({"v": 1, "till": "S7-T01", "store_id": "S7", "conninfo": {
        "host": "127.0.0.1", "port": "1", "dbname": "d", "user": "u", "password": "p"}}))
    assert main(["--data-dir", str(data), "central", "connect", str(conn_file)]) == 0
    assert main(["--data-dir", str(data), "sync", "--once"]) == 1
    assert main(["--data-dir", str(data), "sync", "--status"]) == 0


def test_daily_report_refuses_a_till_that_sent_nothing_unless_allowed_missing(url, capsys, tmp_path) -> None:
    store = unique_store()
    chain = Chain(f"{store}-T01")
    tills = []
    for name in ("T01", "T02"):
        key = ["--public-key", (chain if name == "T01" else Chain(f"{store}-{name}")).public.hex()]
        code, out = run_json(capsys, ["central", "enroll", "--db", url, "--store", store, "--till", name, *key,
                                      "--out", str(tmp_path / f"{name}.json")])
        assert code == 0
        tills.append(out["till"])
    assert tills[0] == chain.till
    settings = json.loads((tmp_path / "T01.json").read_text())
    chain.day("2026-03-02", 2, close=True)
    with psycopg.connect(**settings["conninfo"]) as conn:
        push_repo.push_batch(conn, till=chain.till, batch_id=uuid.uuid4(), rows=chain.rows,
                             till_time=datetime.now(UTC))
    main(["hq", "import", "--db", url, "--till", chain.till, "--key-dir", str(tmp_path / "hq")])
    argv = ["hq", "report", "daily", "--db", url, "--business-date", "2026-03-02", "--store", store]
    code, report = run_json(capsys, argv)
    assert code == 1 and report["reports"] == []
    assert report["refused"][store] == [f"till {tills[1]} sent nothing for 2026-03-02 "
                                        f"(pass --allow-missing {tills[1]} if it did not trade)"]
    code, report = run_json(capsys, [*argv, "--allow-missing", tills[1]])
    assert code == 0 and report["refused"] == {}
    assert report["reports"][0]["missing_tills"] == [tills[1]]
    assert report["reports"][0]["sales_net"]["count"] == 2
    capsys.readouterr()
    assert main([*argv, "--allow-missing", "t02"]) == 0  # the till's own name within the store will do
    assert f"till {tills[1]} sent nothing for 2026-03-02: not in these figures (allowed)" in capsys.readouterr().out


def test_enroll_without_the_tills_key_is_refused_with_the_command_to_run(url, capsys, tmp_path) -> None:
    """#15: a key made at enrolment is not the one the till signs with, so `central connect` refused
    the file; enrolment now takes the till's own key and says how to give it."""
    store = unique_store()
    out = tmp_path / "c.json"
    assert main(["central", "enroll", "--db", url, "--store", store, "--till", "T01", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert (f"tillstone central enroll --db {url} --store {store} --till T01 "
            '--public-key "$(cat TILLDIR/checkpoint_ed25519.pub)"') in err
    assert not out.exists()
    data = tmp_path / "till"  # the flow it names works, and nothing was enrolled by the refusal
    init_till(data, store=store, till="T01")
    public = (data / "checkpoint_ed25519.pub").read_text().strip()
    assert main(["central", "enroll", "--db", url, "--store", store, "--till", "T01", "--public-key", public,
                 "--out", str(out)]) == 0
    assert main(["--data-dir", str(data), "central", "connect", str(out)]) == 0
    assert main(["--data-dir", str(data), "sync", "--once"]) == 0
