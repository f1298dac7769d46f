"""Stock levels pulled from head office: each till shows head office's level for the store plus its
own movements head office has not counted yet (by audit sequence number), never a sale twice and
never one dropped; the pull writes no stock movement; a till reads only its own store's figures and
its own counted marks; hostile figures are refused whole, leaving the till as it was."""

from __future__ import annotations

import io
import sqlite3
from contextlib import redirect_stdout
from decimal import Decimal

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.cli.main import main
from app.domain.permissions import Approval
from app.hq.importer import import_all
from app.sync import worker
from app.sync.pull_checks import PulledDataRefused
from app.usecases import cart_lifecycle, cart_lines, checkout, returns, shifts, stock
from db.central import pull_repo, report_repo
from db.central.schema import connect, upgrade
from db.migrate import downgrade, upgrade_to_head
from tests.central.conftest import unique_store
from tests.central.tills import (
    DEMO_CASHIER,
    DEMO_SUPERVISOR,
    make_synced_till,
    on_hand,
    product_id,
    publish_products,
    sell_units,
)
from tests.support.till import BARCODES, database_engine, make_till

WITNESS = Ed25519PrivateKey.generate()
BRIOCHE, BRIOCHE_CODE = "BAK-0011", "3760123000116"  # may not go below zero
BAGUETTE = "BAK-0001"  # may go below zero


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    return pg_url


def till_state(ctx) -> dict:  # type: ignore[no-untyped-def]
    """Everything a pull may write, and the logs it must never write."""
    con = sqlite3.connect(ctx.data_dir / "till.sqlite")
    try:
        return {
            "stock": con.execute("SELECT * FROM stock ORDER BY product_id").fetchall(),
            "central": con.execute("SELECT * FROM stock_central ORDER BY product_id").fetchall(),
            "products": con.execute("SELECT id, price, allow_negative_stock FROM products ORDER BY id").fetchall(),
            "marks": con.execute("SELECT key, value FROM sync_state WHERE key LIKE 'md_version.%' "
                                 "ORDER BY key").fetchall(),
            "movements": con.execute("SELECT count(*) FROM stock_movements").fetchone(),
            "audit": con.execute("SELECT count(*) FROM audit_log").fetchone(),
        }
    finally:
        con.close()


def refresh_from_imports(conn: psycopg.Connection, store: str, pid: str, sku: str, base_units: int) -> None:
    """What head office does: its base count minus what the store's tills sold (voids and refunds
    netted), as far as it imported them; each till's counted mark is its accepted sequence number."""
    moved = {row[0]: (row[2], row[3]) for row in report_repo.stock_reconciliation(conn, store)}
    sold, refunded = moved.get(sku, (Decimal(0), Decimal(0)))
    level = int((Decimal(base_units) - sold + refunded) * 1000)
    counted = {str(t): int(s) for t, s in conn.execute(
        "SELECT c.till, c.accepted_seq FROM chain_state c JOIN tills t USING (till) WHERE t.store_id = %s", (store,))}
    pull_repo.set_stock_level(conn, store, pid, level, counted)


def import_store(url: str, tills: list[str]) -> dict[str, int]:
    """hq import; returns each till's accepted sequence number."""
    with connect(url) as conn:
        results = import_all(conn, WITNESS, tills=tills)
    assert results and all(not r.problems and not r.forks for r in results), results
    return {r.till: r.head_seq for r in results}


@pytest.mark.pg
def test_two_offline_tills_of_a_store_never_count_a_sale_twice(url, tmp_path) -> None:
    store = unique_store()
    a, a_settings = make_synced_till(url, tmp_path / "a", store, "T01", days=0)
    b, b_settings = make_synced_till(url, tmp_path / "b", store, "T02", days=0)
    pid = product_id(a, BRIOCHE)
    assert pid == product_id(b, BRIOCHE)
    # both tills sell offline before head office has any figure
    sell_units(a, BRIOCHE_CODE, 2)
    sell_units(b, BRIOCHE_CODE, 3)
    with connect(url) as conn:
        publish_products(conn, store, a, [BRIOCHE])
        pull_repo.set_stock_level(conn, store, pid, 100_000, {})  # includes none of the tills' entries
        conn.commit()
    before = {name: till_state(ctx) for name, ctx in (("a", a), ("b", b))}
    assert worker.sync_once(a, a_settings).pulled.get("stock") == 1
    worker.sync_once(b, b_settings)
    assert (on_hand(a, pid), on_hand(b, pid)) == (98_000, 97_000)
    for name, ctx in (("a", a), ("b", b)):  # the pull wrote no movement, and one entry: master.applied
        after = till_state(ctx)
        assert after["movements"] == before[name]["movements"]
        assert after["audit"][0] == before[name]["audit"][0] + 1
        with ctx.uow(read_only=True) as uow:
            assert b'"type":"master.applied"' in uow.audit.body(uow.audit.head()[0])
    # a keeps selling offline; head office imports what was pushed and refreshes its figure
    third = sell_units(a, BRIOCHE_CODE, 1)
    assert on_hand(a, pid) == 97_000
    accepted = import_store(url, [a_settings.till, b_settings.till])
    assert accepted[a_settings.till] < third.audit_seq
    with connect(url) as conn:
        refresh_from_imports(conn, store, pid, BRIOCHE, 100)  # 100 - 2 - 3
        conn.commit()
    fourth = sell_units(a, BRIOCHE_CODE, 1)
    returns.void_sale(a, fourth.receipt_no, DEMO_CASHIER, "wrong item",
                      approval=Approval(*DEMO_SUPERVISOR, reason="wrong item"))
    fifth = sell_units(a, BRIOCHE_CODE, 2)
    worker.sync_once(a, a_settings)
    worker.sync_once(b, b_settings)
    with a.uow(read_only=True) as uow:
        assert uow.stock.central(pid) == (95_000, accepted[a_settings.till])
    # 95 from head office; a adds its third sale, the voided fourth (net 0) and the fifth; b adds nothing
    assert (on_hand(a, pid), on_hand(b, pid)) == (92_000, 95_000)
    # once head office has counted everything, both tills show the same figure: nothing twice, nothing lost
    import_store(url, [a_settings.till, b_settings.till])
    with connect(url) as conn:
        refresh_from_imports(conn, store, pid, BRIOCHE, 100)
        conn.commit()
    worker.sync_once(a, a_settings)
    worker.sync_once(b, b_settings)
    assert on_hand(a, pid) == on_hand(b, pid) == 100_000 - 2_000 - 3_000 - 1_000 - 2_000
    with a.uow(read_only=True) as uow:
        assert uow.stock.central(pid)[1] >= fifth.audit_seq


@pytest.mark.pg
def test_a_till_reads_only_its_own_store_and_its_own_counted_marks(url, tmp_path) -> None:
    store, other = unique_store(), unique_store()
    a, a_settings = make_synced_till(url, tmp_path / "a", store, "T01", days=0)
    _b, b_settings = make_synced_till(url, tmp_path / "b", store, "T02", days=0)
    pid = product_id(a, BRIOCHE)
    with connect(url) as conn:
        publish_products(conn, store, a, [BRIOCHE])
        conn.execute("INSERT INTO stores (store_id) VALUES (%s)", (other,))
        pull_repo.upsert_master(conn, "md_products", [{"id": "p-other", "store_id": other, "sku": "OTHER-1",
                                                       "name": "Other store", "price": 1, "tax_code": "C"}])
        pull_repo.set_stock_level(conn, store, pid, 40_000, {a_settings.till: 0, b_settings.till: 0})
        pull_repo.set_stock_level(conn, other, "p-other", 7_000, {})
        conn.execute("UPDATE md_stock_counted SET counted_seq = 1 WHERE till = %s", (b_settings.till,))
        conn.commit()
    with psycopg.connect(**a_settings.kwargs(), connect_timeout=5) as conn:
        rows = pull_repo.master_changes(conn, {})["stock"]
        assert [(r["product_id"], r["on_hand_milli"], r["counted_seq"]) for r in rows] == [(pid, 40_000, 0)]
        assert conn.execute("SELECT count(*) FROM md_stock WHERE store_id = %s", (other,)).fetchone()[0] == 0
        assert [r[0] for r in conn.execute("SELECT till FROM md_stock_counted")] == [a_settings.till]
        assert pull_repo.master_changes(conn, {})["stock"] == rows  # also inside a transaction already begun
        conn.rollback()
        for statement in ("UPDATE md_stock_counted SET counted_seq = 0",
                          "UPDATE md_stock SET on_hand_milli = 0",
                          f"INSERT INTO md_stock_counted (store_id, product_id, till, counted_seq) "
                          f"VALUES ('{store}', '{pid}', '{b_settings.till}', 0)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()


def _pull_refused(ctx, settings, match: str) -> None:  # type: ignore[no-untyped-def]
    before = till_state(ctx)
    with pytest.raises(PulledDataRefused, match=match):
        worker.sync_once(ctx, settings)
    assert till_state(ctx) == before, "a refused pull must leave the till as it was"
    status = worker.status(ctx)
    assert status.state == "error" and "refused, nothing applied" in status.last_error


@pytest.mark.pg
def test_hostile_stock_rows_are_refused_whole(url, tmp_path) -> None:
    store, other = unique_store(), unique_store()
    ctx, settings = make_synced_till(url, tmp_path / "t", store, days=0)
    brioche, baguette = product_id(ctx, BRIOCHE), product_id(ctx, BAGUETTE)
    with connect(url) as conn:
        publish_products(conn, store, ctx, [BRIOCHE, BAGUETTE])
        conn.execute("INSERT INTO stores (store_id) VALUES (%s)", (other,))
        pull_repo.upsert_master(conn, "md_products", [{"id": "p-hidden", "store_id": other, "sku": "HIDDEN-1",
                                                       "name": "Not this store's", "price": 1, "tax_code": "C"}])
        conn.execute("UPDATE md_products SET price = 999 WHERE id = %s", (baguette,))  # must not half-apply
        conn.commit()
    cases = [
        (lambda c: pull_repo.set_stock_level(c, store, brioche, -5_000, {}), "negative .* may not go below zero"),
        (lambda c: pull_repo.set_stock_level(c, store, brioche, 10**15, {}), "not a quantity this till can hold"),
        (lambda c: pull_repo.set_stock_level(c, store, brioche, 10**12 + 1, {}), "not a quantity"),
        (lambda c: pull_repo.set_stock_level(c, store, "p-hidden", 5_000, {}), "unknown product p-hidden"),
        (lambda c: pull_repo.set_stock_level(c, store, brioche, 5_000, {settings.till: 10**9}),
         "up to #1000000000, but this till has written only"),
    ]
    for write, match in cases:
        with connect(url) as conn:
            conn.execute("DELETE FROM md_stock WHERE store_id = %s", (store,))
            write(conn)
            conn.commit()
        _pull_refused(ctx, settings, match)
    # the command line says why and exits 1
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--data-dir", str(ctx.data_dir), "sync", "--once"]) == 1
    assert "refused, nothing applied" in out.getvalue() and "this till has written only" in out.getvalue()
    # a negative level is fine for a product that may go below zero; fixed rows apply, all together
    with connect(url) as conn:
        conn.execute("DELETE FROM md_stock WHERE store_id = %s", (store,))
        pull_repo.set_stock_level(conn, store, brioche, 5_000, {settings.till: 0})
        pull_repo.set_stock_level(conn, store, baguette, -2_000, {})
        conn.commit()
    worker.sync_once(ctx, settings)
    assert (on_hand(ctx, brioche), on_hand(ctx, baguette)) == (5_000, -2_000)
    with ctx.uow(read_only=True) as uow:
        assert uow.catalogue.by_id(baguette).price == 999
    assert worker.status(ctx).last_error is None


def _links(ctx) -> dict[int, tuple[str, int]]:  # type: ignore[no-untyped-def]
    with ctx.uow(read_only=True) as uow:
        rows = uow.conn.exec_driver_sql(
            "SELECT m.id, m.reason, e.audit_seq FROM stock_movements m "
            "JOIN stock_movement_entries e ON e.movement_id = m.id ORDER BY m.id").fetchall()
    return {int(r[0]): (r[1], int(r[2])) for r in rows}


def test_each_movement_is_tied_to_the_entry_that_recorded_it(tmp_path) -> None:
    """Sales, voids, refunds and deliveries carry their audit entry (the rule head office's counted
    mark relies on); set-up counts carry none. Old data gets the same links from the migration."""
    till = make_till(tmp_path / "till")
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 10_000)

    def sell(code: str):  # type: ignore[no-untyped-def]
        cart_id = cart_lifecycle.start_cart(ctx, "anna")
        cart_lines.add_item(ctx, cart_id, "anna", BARCODES[code])
        return checkout.add_payment(ctx, cart_id, "anna", "cash", 10_000).sale

    first, second = sell("cheese"), sell("milk")
    void = returns.void_sale(ctx, second.receipt_no, "anna", "mistake", approval=till.approval())
    refund = returns.refund(ctx, first.receipt_no, "anna", [(first.lines[0].id, 1000)], approval=till.approval())
    assert stock.receive(ctx, "anna", "CHEESE", 4_000) == 50_000 - 1_000 + 1_000 + 4_000
    with ctx.uow(read_only=True) as uow:
        delivery_seq = uow.audit.head()[0]
        assert b'"type":"stock.received"' in uow.audit.body(delivery_seq)
        cheese = uow.catalogue.by_sku("CHEESE").id
    links = _links(ctx)
    assert sorted(links.values()) == sorted([("sale", first.audit_seq), ("sale", second.audit_seq),
                                             ("void", void.audit_seq), ("refund", refund.audit_seq),
                                             ("delivery", delivery_seq)])
    with ctx.uow(read_only=True) as uow:
        unaudited = uow.conn.exec_driver_sql(
            "SELECT count(*) FROM stock_movements WHERE id NOT IN (SELECT movement_id FROM stock_movement_entries)"
        ).scalar_one()
        assert unaudited == 3  # the set-up counts of the test catalogue
        assert uow.stock.uncounted(cheese, 0) == -1_000 + 1_000 + 4_000
        assert uow.stock.uncounted(cheese, first.audit_seq) == 1_000 + 4_000
        assert uow.stock.uncounted(cheese, refund.audit_seq) == 4_000
        assert uow.stock.uncounted(cheese, delivery_seq) == 0
    with database_engine(ctx) as engine:
        downgrade(engine, "0005_central_pull@-1")
        upgrade_to_head(engine)
    assert _links(ctx) == links
