"""Head office publishes master data (catalogue, prices, users, customers, stock counts) through the CLI;
a real till pulls each change in one transaction with a `master.applied` entry and sells at the new price;
a till offline meanwhile learns it on reconnect; a scheduled price applies at its time by the till's
clock; a cart keeps the price it was rung up at."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.bootstrap import open_till
from app.domain.pins import verify_pin
from app.hq.importer import import_all
from app.sync import worker
from app.sync.pull_checks import PulledDataRefused
from app.usecases import auth, cart_lifecycle, cart_lines, checkout, customers, shifts
from db.central.schema import CentralUnavailable, connect, upgrade
from kernel.clock import ManualClock
from kernel.errors import DomainError
from tests.central.conftest import unique_store
from tests.central.master_support import barcode, hq, master_entries, seed_tax_rates, write_csv
from tests.central.tills import DEMO_CASHIER, make_synced_till, on_hand, sell_units

WITNESS = Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    seed_tax_rates(pg_url)
    return pg_url


def _product(ctx, sku):  # type: ignore[no-untyped-def]
    with ctx.uow(read_only=True) as uow:
        return uow.catalogue.by_sku(sku)


@pytest.mark.pg
def test_catalogue_and_price_reach_a_till_that_sells_at_them(url, tmp_path) -> None:
    store = unique_store()
    till, settings = make_synced_till(url, tmp_path / "a", store, days=0)
    code = barcode(1)
    csv = write_csv(tmp_path / "cat.csv", [["HQ-0001", "Pain de campagne", "3.20", "C", "each", "1.10", code, "12"],
                                           ["HQ-0002", "Olives (kg)", "14.90", "A", "kg", "7.00", "", "2.500"]])
    assert hq("catalogue", "import", "--db", url, str(csv))[0] == 0
    with connect(url) as conn:
        row = conn.execute("SELECT barcodes, reorder_level_milli, cost FROM md_products "
                           "WHERE sku = 'HQ-0001'").fetchone()
    assert row == ([code], 12_000, 110)
    report = worker.sync_once(till, settings)
    assert report.pulled["products"] == 2
    entry = json.loads(master_entries(till)[-1])
    assert entry["data"]["counts"]["products"] == 2 and entry["actor"] is None
    low, high = entry["data"]["versions"]["products"]
    assert 1 <= low <= high
    assert sell_units(till, code, 1).gross == 320
    # a price for every store, now
    assert hq("price", "set", "--db", url, "--sku", "HQ-0001", "--price", "2.49")[0] == 0
    worker.sync_once(till, settings)
    assert _product(till, "HQ-0001").price == 249
    assert json.loads(master_entries(till)[-1])["data"]["counts"] == {"prices": 1, "products": 1}
    assert sell_units(till, code, 2).gross == 498
    # a price for this store only wins over the one for all stores; a re-import changes it again
    assert hq("price", "set", "--db", url, "--sku", "HQ-0001", "--price", "2.29", "--store", store)[0] == 0
    worker.sync_once(till, settings)
    assert sell_units(till, code, 1).gross == 229
    write_csv(csv, [["HQ-0001", "Pain de campagne", "3.50", "C", "each", "1.10", code, "12"]])
    assert hq("catalogue", "import", "--db", url, str(csv))[0] == 0
    worker.sync_once(till, settings)
    assert sell_units(till, code, 1).gross == 350
    with till.uow(read_only=True) as uow:  # superseded prices are gone, the one in force stays
        kept = uow.conn.exec_driver_sql("SELECT price FROM price_schedule WHERE product_id = ?",
                                        (_product(till, "HQ-0001").id,)).fetchall()
    assert kept == [(350,)]


@pytest.mark.pg
def test_a_cart_keeps_the_price_it_was_rung_up_at(url, tmp_path) -> None:
    store = unique_store()
    till, settings = make_synced_till(url, tmp_path / "a", store, days=0)
    code = barcode(3)
    csv = write_csv(tmp_path / "cat.csv", [["HQ-0003", "Tarte", "9.00", "C", "each", "3.00", code, ""]])
    assert hq("catalogue", "import", "--db", url, str(csv))[0] == 0
    worker.sync_once(till, settings)
    shifts.open_shift(till, DEMO_CASHIER, 10_000)
    cart = cart_lifecycle.start_cart(till, DEMO_CASHIER)
    cart_lines.add_item(till, cart, DEMO_CASHIER, code)
    assert hq("price", "set", "--db", url, "--sku", "HQ-0003", "--price", "12.00")[0] == 0
    worker.sync_once(till, settings)
    assert _product(till, "HQ-0003").price == 1200
    result = checkout.add_payment(till, cart, DEMO_CASHIER, "cash", 100_000)
    assert result.status == "COMPLETED" and result.sale.gross == 900
    assert sell_units(till, code, 1).gross == 1200


@pytest.mark.pg
def test_an_offline_till_learns_every_change_on_reconnect(url, tmp_path) -> None:
    store = unique_store()
    till, settings = make_synced_till(url, tmp_path / "a", store, days=0)
    offline = replace(settings, conninfo={**settings.conninfo, "port": "1"})
    with pytest.raises(CentralUnavailable):
        worker.sync_once(till, offline)
    code = barcode(4)
    csv = write_csv(tmp_path / "cat.csv", [["HQ-0004", "Fougasse", "4.10", "C", "each", "1.00", code, ""]])
    assert hq("catalogue", "import", "--db", url, str(csv))[0] == 0
    assert hq("price", "set", "--db", url, "--sku", "HQ-0004", "--price", "3.90", "--store", store)[0] == 0
    assert hq("users", "add", "--db", url, "--id", f"u-{store.lower()}", "--name", "Noor", "--role", "supervisor",
              "--pin", "8642", "--store", store)[0] == 0
    assert hq("customers", "add", "--db", url, "--id", f"c-{store.lower()}", "--name", "Café Lune",
              "--type", "wholesale", "--contact", "Mme Lune", "--credit-limit", "300.00", "--terms", "14")[0] == 0
    assert hq("customers", "block", "--db", url, "--id", f"c-{store.lower()}")[0] == 0
    stock_file = tmp_path / "count.csv"
    stock_file.write_text("sku,counted\nHQ-0004,25\n", encoding="utf-8")
    assert hq("stock", "count", "--db", url, "--store", store, str(stock_file))[0] == 0
    with pytest.raises(CentralUnavailable):  # still offline: nothing learnt
        worker.sync_once(till, offline)
    assert _product(till, "HQ-0004") is None
    pulled = worker.sync_once(till, settings).pulled
    # (products and prices of every store that earlier tests of this module published come too)
    assert all(pulled[k] >= 1 for k in ("products", "prices", "users", "customers")) and pulled["stock"] == 1
    assert len(master_entries(till)) == 1  # everything in one transaction, one entry
    product = _product(till, "HQ-0004")
    assert product.price == 390 and on_hand(till, product.id) == 25_000
    user = auth.login(till, f"u-{store.lower()}", "8642")
    assert user.role == "supervisor"
    status = customers.credit_status(till, f"c-{store.lower()}")
    assert status.customer.blocked and status.customer.credit_limit == 30_000 and status.customer.terms_days == 14
    assert sell_units(till, code, 2).gross == 780
    # the till's master.applied entries travel and import like any other; head office's chains verify
    worker.sync_once(till, settings)
    with connect(url) as conn:
        assert not import_all(conn, WITNESS, tills=[settings.till])[0].problems
    code, out, _err = hq("verify", "--db", url, "--json")
    report = json.loads(out)
    assert report["tills"][settings.till]["ok"] and report["hq_audit"]["ok"], report
    # later changes: PIN and role, unblock, disable
    assert hq("users", "set", "--db", url, "--id", f"u-{store.lower()}", "--pin", "1357", "--role", "cashier")[0] == 0
    assert hq("customers", "unblock", "--db", url, "--id", f"c-{store.lower()}")[0] == 0
    worker.sync_once(till, settings)
    assert auth.login(till, f"u-{store.lower()}", "1357").role == "cashier"
    assert not customers.credit_status(till, f"c-{store.lower()}").customer.blocked
    assert hq("users", "disable", "--db", url, "--id", f"u-{store.lower()}")[0] == 0
    worker.sync_once(till, settings)
    with pytest.raises(DomainError):
        auth.login(till, f"u-{store.lower()}", "1357")
    with connect(url) as conn:
        pin_hash = conn.execute("SELECT pin_hash FROM md_users WHERE id = %s", (f"u-{store.lower()}",)).fetchone()[0]
        logged = b"".join(bytes(r[0]) for r in conn.execute("SELECT body FROM hq_audit"))
    assert pin_hash.startswith("scrypt$") and verify_pin("1357", pin_hash)
    # as a JSON value: the bare digits can turn up inside any hex hash of the log
    assert b'"1357"' not in logged and b'"8642"' not in logged and b"scrypt" not in logged


@pytest.mark.pg
def test_a_scheduled_price_applies_at_its_time_by_the_tills_clock(url, tmp_path) -> None:
    store = unique_store()
    _till, settings = make_synced_till(url, tmp_path / "a", store, days=0)
    start = datetime.now(UTC)
    clock = ManualClock(start)
    till = open_till(tmp_path / "a", clock=clock)
    code = barcode(5)
    csv = write_csv(tmp_path / "cat.csv", [["HQ-0005", "Bûche de Noël", "18.00", "C", "each", "6.00", code, ""]])
    assert hq("catalogue", "import", "--db", url, str(csv))[0] == 0
    when = (start + timedelta(hours=2)).astimezone(UTC).isoformat()
    assert hq("price", "set", "--db", url, "--sku", "HQ-0005", "--price", "12.00", "--from", when)[0] == 0
    worker.sync_once(till, settings)
    assert _product(till, "HQ-0005").price == 1800
    assert sell_units(till, code, 1).gross == 1800
    entries = len(master_entries(till))
    clock.advance(hours=1, minutes=59)
    assert _product(till, "HQ-0005").price == 1800
    clock.advance(minutes=2)
    # offline: the price pulled earlier still takes effect by the till's own clock
    with pytest.raises(CentralUnavailable):
        worker.sync_once(till, replace(settings, conninfo={**settings.conninfo, "port": "1"}))
    assert _product(till, "HQ-0005").price == 1200
    entry = json.loads(master_entries(till)[-1])
    assert len(master_entries(till)) == entries + 1 and entry["data"]["prices_in_force"] == 1
    assert sell_units(till, code, 1).gross == 1200
    worker.sync_once(till, settings)  # nothing new: no further entry
    assert len(master_entries(till)) == entries + 1


@pytest.mark.pg
def test_a_product_whose_sku_the_till_holds_under_another_id_refuses_the_pull(url, tmp_path) -> None:
    """A till set up with its own catalogue (here the demo's) before head office published one."""
    store = unique_store()
    till, settings = make_synced_till(url, tmp_path / "a", store, days=0)
    csv = write_csv(tmp_path / "cat.csv", [["BAK-0001", "Baguette", "1.30", "C", "each", "0.40", "", ""]])
    assert hq("catalogue", "import", "--db", url, str(csv), "--store", store)[0] == 0
    before = _product(till, "BAK-0001")
    with pytest.raises(PulledDataRefused, match="SKU BAK-0001 is another product on this till"):
        worker.sync_once(till, settings)
    assert _product(till, "BAK-0001") == before and master_entries(till) == []
    assert "products from head office refused" in worker.status(till).last_error


@pytest.mark.pg
def test_a_product_of_one_store_and_its_prices_stay_with_that_stores_tills(url, tmp_path) -> None:
    mine, other = unique_store(), unique_store()
    till, settings = make_synced_till(url, tmp_path / "a", mine, days=0)
    far, far_settings = make_synced_till(url, tmp_path / "b", other, days=0)
    code = barcode(6)
    csv = write_csv(tmp_path / "cat.csv", [["HQ-0006", "Kouign-amann", "3.00", "C", "each", "1.00", code, ""]])
    assert hq("catalogue", "import", "--db", url, str(csv), "--store", mine)[0] == 0
    assert hq("price", "set", "--db", url, "--sku", "HQ-0006", "--price", "3.40")[0] == 0  # no --store
    write_csv(csv, [["HQ-0006", "Kouign-amann", "3.60", "C", "each", "1.00", code, ""]])
    assert hq("catalogue", "import", "--db", url, str(csv))[0] == 0
    worker.sync_once(far, far_settings)  # sees neither the product nor its prices, and is not refused
    assert _product(far, "HQ-0006") is None
    worker.sync_once(till, settings)
    assert sell_units(till, code, 1).gross == 360


def test_a_store_price_from_a_catalogue_file_for_products_already_listed(url, tmp_path) -> None:
    """Importing a catalogue again with --store gives that store its prices and leaves the base
    price and the listing as they were (the row head office already holds keeps its NOT NULL price)."""
    mine, other = unique_store(), unique_store()
    till, settings = make_synced_till(url, tmp_path / "a", mine, days=0)
    far, far_settings = make_synced_till(url, tmp_path / "b", other, days=0)
    code = barcode(7)
    csv = write_csv(tmp_path / "cat.csv", [["HQ-0007", "Far breton", "2.50", "C", "each", "0.90", code, ""]])
    assert hq("catalogue", "import", "--db", url, str(csv))[0] == 0
    write_csv(csv, [["HQ-0007", "Far breton", "2.80", "C", "each", "0.90", code, ""]])
    result = hq("catalogue", "import", "--db", url, str(csv), "--store", mine)
    assert result[0] == 0, result
    with connect(url) as conn:
        assert conn.execute("SELECT price, store_id FROM md_products WHERE sku = 'HQ-0007'").fetchone() == (250, None)
    worker.sync_once(till, settings)
    worker.sync_once(far, far_settings)
    assert sell_units(till, code, 1).gross == 280
    assert sell_units(far, code, 1).gross == 250
