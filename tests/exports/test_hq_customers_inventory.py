"""`hq export customers|inventory` on a real central store: a till that sold on account offline for
two days, then charged, took cash and card payments, received and sold stock today, synced and was
imported. Head office's balances, aging, sales figures, account entries, stock levels and values
equal the till's own export for the same filters, before and after head office takes figures with
counted marks; the export is an hq_audit entry whose hash is the file's; hostile input exits 2."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.cli.main import main
from app.hq.importer import import_all
from app.sync import worker
from app.sync.pull_checks import PulledDataRefused
from app.usecases import customers, stock
from app.usecases import exports as till_exports
from db.central import pull_repo
from db.central.schema import connect, upgrade
from kernel.money import format_money
from tests.central.conftest import pg_url, unique_store  # noqa: F401 (the fixture)
from tests.central.tills import DEMO_CASHIER, charge_on_account, make_synced_till, on_hand, sell_units

WITNESS = Ed25519PrivateKey.generate()
SKUS = ("BAK-0011", "BAK-0001", "DAI-0012")
BRIOCHE_CODE = "3760123000116"
FRESH_CUSTOMER = "c-hq1"  # head office adds it: no charge in the simulated days, nothing overdue today


@pytest.fixture(scope="module")
def url(pg_url):  # noqa: F811
    upgrade(pg_url)
    return pg_url


def publish(conn, store: str, ctx) -> None:  # type: ignore[no-untyped-def]
    """Head office lists the till's customers and three of its products (same ids, costs, barcodes,
    categories) with counted stock figures that include none of the till's entries."""
    with ctx.uow(read_only=True) as uow:
        people = uow.export_customers.customers()
        products = [uow.catalogue.by_sku(sku) for sku in SKUS]
        rates = uow.catalogue.tax_rates()
        categories = dict(uow.catalogue.categories())
        barcodes = {p.id: uow.conn.exec_driver_sql("SELECT min(code) FROM barcodes WHERE product_id = ?",
                                                   (p.id,)).scalar_one() for p in products}
    pull_repo.upsert_master(conn, "md_customers", [
        {"id": c[0], "name": c[1], "customer_type": c[2], "credit_limit": c[3], "terms_days": c[4],
         "blocked": bool(c[5]), "central_balance": 0} for c in people]
        + [{"id": FRESH_CUSTOMER, "name": "Hôtel Nord", "customer_type": "wholesale", "credit_limit": 50_000,
            "terms_days": 14, "blocked": False, "central_balance": 0}])
    pull_repo.upsert_master(conn, "md_tax_rates", [{"code": c, "name": rates[c][0], "rate_bp": rates[c][1]}
                                                   for c in {p.tax_code for p in products}])
    pull_repo.upsert_master(conn, "md_products", [
        {"id": p.id, "store_id": store, "sku": p.sku, "name": p.name, "unit": p.unit, "price": p.price,
         "cost": p.cost, "tax_code": p.tax_code, "allow_negative_stock": p.allow_negative_stock,
         "category": categories.get(p.category_id), "barcodes": [barcodes[p.id]]} for p in products])
    for n, p in enumerate(products):
        pull_repo.set_stock_level(conn, store, p.id, (40 + n) * 1000, {})


def import_till(url: str, till: str) -> int:
    with connect(url) as conn:
        results = import_all(conn, WITNESS, tills=[till])
    assert results and not results[0].problems and not results[0].forks, results
    return results[0].head_seq


@pytest.fixture(scope="module")
def synced(url, tmp_path_factory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("hq_exports")
    store = unique_store()
    ctx, settings = make_synced_till(url, root / "till", store, days=2, sales=25, seed=4)
    with connect(url) as conn:
        publish(conn, store, ctx)
        conn.commit()
    worker.sync_once(ctx, settings)  # pulls the figures: till level = figure + its movements
    stock.receive(ctx, DEMO_CASHIER, SKUS[0], 6_000)
    sell_units(ctx, BRIOCHE_CODE, 2)
    charge_on_account(ctx, FRESH_CUSTOMER, BRIOCHE_CODE, 3)
    customers.take_account_payment(ctx, FRESH_CUSTOMER, DEMO_CASHIER, 100, "cash")
    customers.take_account_payment(ctx, FRESH_CUSTOMER, DEMO_CASHIER, 50, "card")
    worker.sync_once(ctx, settings)
    import_till(url, settings.till)
    return ctx, settings, store, root


def sheets_of(path: Path) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(path) as zf:
        return {name.removesuffix(".csv"): list(csv.reader(io.TextIOWrapper(zf.open(name), encoding="utf-8-sig")))
                for name in zf.namelist()}


def hq_export(url: str, kind: str, out: Path, *args: str) -> int:
    try:
        return main(["hq", "export", kind, "--db", url, "--format", "csv", "--out", str(out), "--json", *args])
    except SystemExit as exc:
        return int(exc.code or 0)


def test_head_office_customers_equal_the_tills(synced, url, tmp_path) -> None:
    ctx, settings, store, _root = synced
    for aging in (date.today().isoformat(), (date.today() + timedelta(days=75)).isoformat()):
        till_file, hq_file = tmp_path / f"till-{aging}.zip", tmp_path / f"hq-{aging}.zip"
        till_exports.export(ctx, "customers", "csv", till_file, {"aging_date": aging})
        assert hq_export(url, "customers", hq_file, "--aging-date", aging) == 0
        mine, theirs = sheets_of(till_file), sheets_of(hq_file)
        assert set(mine) == set(theirs) == {"Summary", "Customer Details", "Credit Aging", "Credit Transactions"}
        for sheet in mine:
            assert theirs[sheet] == mine[sheet], sheet
    details = {r[0]: r for r in mine["Customer Details"][1:]}
    header = mine["Customer Details"][0]
    balance = customers.credit_status(ctx, FRESH_CUSTOMER).balance
    assert details[FRESH_CUSTOMER][header.index("Balance")] == format_money(balance, 2) and balance > 0
    entries = [r for r in mine["Credit Transactions"][1:] if r[0] == FRESH_CUSTOMER]
    assert [r[3] for r in entries] == ["charge", "payment", "payment"]
    assert len({r[0] for r in mine["Credit Transactions"][1:]}) >= 2  # the simulated days charged others too


def test_counted_marks_keep_both_sides_equal(synced, url, tmp_path) -> None:
    """Head office takes the balances and stock as of its import (counted marks = the accepted
    seq); the till pulls them and sells on; both exports still agree."""
    ctx, settings, store, _root = synced
    with connect(url) as conn:
        accepted = conn.execute("SELECT accepted_seq FROM chain_state WHERE till = %s",
                                (settings.till,)).fetchone()[0]
        for cid in ("c-0002", FRESH_CUSTOMER):
            pull_repo.set_customer_balance(conn, cid, customers.credit_status(ctx, cid).balance,
                                           {settings.till: accepted})
        with ctx.uow(read_only=True) as uow:
            pid = uow.catalogue.by_sku(SKUS[0]).id
        pull_repo.set_stock_level(conn, store, pid, on_hand(ctx, pid), {settings.till: accepted})
        conn.commit()
    worker.sync_once(ctx, settings)
    sell_units(ctx, BRIOCHE_CODE, 1)
    customers.take_account_payment(ctx, FRESH_CUSTOMER, DEMO_CASHIER, 25, "card")
    worker.sync_once(ctx, settings)
    import_till(url, settings.till)
    aging = (date.today() + timedelta(days=40)).isoformat()
    till_file, hq_file = tmp_path / "till.zip", tmp_path / "hq.zip"
    till_exports.export(ctx, "customers", "csv", till_file, {"aging_date": aging})
    assert hq_export(url, "customers", hq_file, "--aging-date", aging) == 0
    assert sheets_of(hq_file)["Customer Details"] == sheets_of(till_file)["Customer Details"]
    assert sheets_of(hq_file)["Credit Aging"] == sheets_of(till_file)["Credit Aging"]
    till_inv, hq_inv = tmp_path / "till-inv.zip", tmp_path / "hq-inv.zip"
    till_exports.export(ctx, "inventory", "csv", till_inv, {})
    assert hq_export(url, "inventory", hq_inv) == 0
    mine = {r[1]: r for r in sheets_of(till_inv)["Stock Items"][1:]}
    theirs = {r[1]: r for r in sheets_of(hq_inv)["Stock Items"][1:]}
    assert all(theirs[sku] == mine[sku] for sku in SKUS)


def test_head_office_stock_equals_the_tills(synced, url, tmp_path) -> None:
    ctx, settings, store, _root = synced
    till_file, hq_file = tmp_path / "till.zip", tmp_path / "hq.zip"
    till_exports.export(ctx, "inventory", "csv", till_file, {})
    assert hq_export(url, "inventory", hq_file, "--store", store) == 0
    mine = {r[1]: r for r in sheets_of(till_file)["Stock Items"][1:]}
    theirs = sheets_of(hq_file)
    items = {r[1]: r for r in theirs["Stock Items"][1:]}
    assert sorted(items) == sorted(SKUS)  # head office lists only what it publishes
    for sku in SKUS:
        assert items[sku] == mine[sku], sku
    header = theirs["Stock Items"][0]
    with ctx.uow(read_only=True) as uow:
        level = on_hand(ctx, uow.catalogue.by_sku(SKUS[0]).id)
    assert items[SKUS[0]][header.index("On hand")] == f"{level // 1000}.{level % 1000:03d}"
    # a day back: today's delivery and sales are not in it
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert hq_export(url, "inventory", tmp_path / "back.zip", "--as-of", yesterday, "--movements") == 0
    back = sheets_of(tmp_path / "back.zip")
    back_items = {r[1]: r for r in back["Stock Items"][1:]}
    moved_today = sum(int(float(r[7]) * 1000) for r in theirs_movements(url, tmp_path)
                      if r[3] == SKUS[0] and r[0][:10] >= date.today().isoformat())
    assert int(float(back_items[SKUS[0]][header.index("On hand")]) * 1000) == level - moved_today
    assert all(r[0][:10] < date.today().isoformat() for r in back["Stock Movements"][1:])


def theirs_movements(url: str, tmp_path: Path) -> list[list[str]]:
    out = tmp_path / "moves.zip"
    assert hq_export(url, "inventory", out, "--movements") == 0
    rows = sheets_of(out)["Stock Movements"]
    reasons = {r[5] for r in rows[1:]}
    assert {"sale", "delivery"} <= reasons
    return rows[1:]


def test_the_export_is_in_hq_audit_with_the_files_hash(synced, url, tmp_path, capsys) -> None:
    out = tmp_path / "c.zip"
    capsys.readouterr()
    assert hq_export(url, "customers", out, "--by", "alice") == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    with connect(url) as conn:
        body = conn.execute("SELECT body FROM hq_audit WHERE type = 'export.created' ORDER BY seq DESC LIMIT 1"
                            ).fetchone()[0]
    entry = json.loads(bytes(body))
    assert entry["actor"] == "alice" and entry["data"]["kind"] == "customers"
    assert entry["data"]["sha256"] == printed["sha256"]


@pytest.mark.parametrize("args", [["--store", "NOPE99"], ["--store", "bad store"], ["--aging-date", "soon"],
                                  ["--credit-status", "late"]])
def test_hostile_head_office_exports_exit_2_with_no_file(synced, url, tmp_path, capsys, args) -> None:
    out = tmp_path / "x.zip"
    assert hq_export(url, "customers", out, *args) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def _statuses(path: Path) -> dict[str, list[str]]:
    return {r[1]: r for r in sheets_of(path)["Stock Items"][1:]}


def test_head_offices_reorder_levels_reach_the_till(synced, url, tmp_path) -> None:
    """A reorder level head office publishes travels with the product; both exports call the stock
    low; a level no till can hold is refused whole and the till keeps the last one."""
    ctx, settings, store, _root = synced
    with ctx.uow(read_only=True) as uow:
        product = uow.catalogue.by_sku(SKUS[1])
    level = on_hand(ctx, product.id) + 1_000
    with connect(url) as conn:
        conn.execute("UPDATE md_products SET reorder_level_milli = %s WHERE sku = %s", (level, SKUS[1]))
        conn.commit()
    worker.sync_once(ctx, settings)
    till_file, hq_file = tmp_path / "till.zip", tmp_path / "hq.zip"
    till_exports.export(ctx, "inventory", "csv", till_file, {"status": "low"})
    assert hq_export(url, "inventory", hq_file, "--status", "low") == 0
    mine, theirs = _statuses(till_file), _statuses(hq_file)
    assert mine[SKUS[1]] == theirs[SKUS[1]] and SKUS[1] in theirs
    header = sheets_of(hq_file)["Stock Items"][0]
    assert theirs[SKUS[1]][header.index("Reorder level")] == f"{level // 1000}.{level % 1000:03d}"
    with connect(url) as conn:
        conn.execute("UPDATE md_products SET reorder_level_milli = -5 WHERE sku = %s", (SKUS[1],))
        conn.commit()
    with pytest.raises(PulledDataRefused, match="reorder level -5"):
        worker.sync_once(ctx, settings)
    with ctx.uow(read_only=True) as uow:
        kept = uow.conn.exec_driver_sql("SELECT reorder_level_milli FROM products WHERE id = ?",
                                        (product.id,)).scalar_one()
    assert kept == level
    with connect(url) as conn:  # put it right, so the module's other tests can sync again
        conn.execute("UPDATE md_products SET reorder_level_milli = NULL WHERE sku = %s", (SKUS[1],))
        conn.commit()
    worker.sync_once(ctx, settings)
