"""Customer balances pulled from head office: each till shows head office's balance plus its own
account movements head office has not counted yet (by audit sequence number), never a charge twice
and never one dropped, and its credit-limit decisions rest on that; a till reads only its own
counted marks; hostile rows are refused whole, leaving the till as it was."""

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
from app.sync.pull_checks import PulledDataRefused, customer_problems
from app.usecases import cart_customer, cart_lifecycle, cart_lines, checkout, customers, returns
from db.central import pull_repo
from db.central.schema import connect, upgrade
from db.migrate import downgrade, upgrade_to_head
from kernel.errors import ApprovalRequired
from tests.central.conftest import unique_store
from tests.central.tills import (
    DEMO_CASHIER,
    DEMO_SUPERVISOR,
    balance,
    charge_on_account,
    make_synced_till,
    publish_customer,
    publish_products,
)
from tests.support.till import database_engine

WITNESS = Ed25519PrivateKey.generate()
CUSTOMER = "c-0001"  # on every demo till, and listed by head office under the same id
CROISSANT = "3760123000079"  # 1.10, may go below zero
BAGUETTE = "BAK-0001"


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    return pg_url


def import_store(url: str, tills: list[str]) -> dict[str, int]:
    """hq import; returns each till's accepted sequence number."""
    with connect(url) as conn:
        results = import_all(conn, WITNESS, tills=tills)
    assert results and all(not r.problems and not r.forks for r in results), results
    return {r.till: r.head_seq for r in results}


def set_balance(url: str, amount: int, counted: dict[str, int], credit_limit: int | None = None) -> None:
    with connect(url) as conn:
        if credit_limit is not None:
            conn.execute("UPDATE md_customers SET credit_limit = %s WHERE id = %s", (credit_limit, CUSTOMER))
        pull_repo.set_customer_balance(conn, CUSTOMER, amount, counted)
        conn.commit()


def _till_knowing_the_customer(url: str, tmp_path):  # type: ignore[no-untyped-def]
    """(store, ctx, settings) of a synced till that has pulled CUSTOMER (limit 2,500.00)."""
    store = unique_store()
    ctx, settings = make_synced_till(url, tmp_path / "t", store, days=0)
    with connect(url) as conn:
        publish_customer(conn, CUSTOMER, "Boulangerie Petit Four", 250_000)
        conn.commit()
    worker.sync_once(ctx, settings)
    return store, ctx, settings


@pytest.mark.pg
def test_two_offline_tills_charging_one_customer_never_count_a_charge_twice(url, tmp_path) -> None:
    store = unique_store()
    a, a_settings = make_synced_till(url, tmp_path / "a", store, "T01", days=0)
    b, b_settings = make_synced_till(url, tmp_path / "b", store, "T02", days=0)
    with connect(url) as conn:
        publish_customer(conn, CUSTOMER, "Boulangerie Petit Four", 250_000)
        conn.commit()
    worker.sync_once(a, a_settings)
    worker.sync_once(b, b_settings)
    # both tills charge the customer on account while offline
    a1 = charge_on_account(a, CUSTOMER, CROISSANT, 2)
    b1 = charge_on_account(b, CUSTOMER, CROISSANT, 3)
    a2 = charge_on_account(a, CUSTOMER, CROISSANT, 1)
    assert (balance(a, CUSTOMER), balance(b, CUSTOMER)) == (a1.gross + a2.gross, b1.gross)
    # the tills push; head office imports and publishes a balance that includes a's first charge (not
    # its second), all of b's, and a payment of 1.00 the customer made at head office
    for ctx, settings in ((a, a_settings), (b, b_settings)):
        worker.sync_once(ctx, settings)
    accepted = import_store(url, [a_settings.till, b_settings.till])
    assert accepted[a_settings.till] >= a2.audit_seq > a1.audit_seq
    central = a1.gross + b1.gross - 100
    set_balance(url, central, {a_settings.till: a1.audit_seq, b_settings.till: accepted[b_settings.till]})
    worker.sync_once(a, a_settings)
    worker.sync_once(b, b_settings)
    with a.uow(read_only=True) as uow:
        assert uow.people.customer(CUSTOMER).central_balance == central
        assert uow.people.counted_seq(CUSTOMER) == a1.audit_seq
    # a: head office's balance plus its uncounted second charge; b: head office's balance alone
    assert balance(a, CUSTOMER) == central + a2.gross
    assert balance(b, CUSTOMER) == central
    # b keeps charging offline: its new charge is on top, not dropped
    b2 = charge_on_account(b, CUSTOMER, CROISSANT, 4)
    assert balance(b, CUSTOMER) == central + b2.gross
    # head office lowers the limit to exactly what a may still take; credit decisions use the balance
    limit = central + a2.gross + 110
    set_balance(url, central, {a_settings.till: a1.audit_seq, b_settings.till: accepted[b_settings.till]},
                credit_limit=limit)
    worker.sync_once(a, a_settings)
    worker.sync_once(b, b_settings)
    assert customers.credit_status(a, CUSTOMER).available == 110
    a3 = charge_on_account(a, CUSTOMER, CROISSANT, 1)  # refused, had a's counted charge been added twice
    assert balance(a, CUSTOMER) == limit
    for ctx in (a, b):  # a is at the limit; b is past it with its uncounted charge
        cart_id = cart_lifecycle.start_cart(ctx, DEMO_CASHIER)
        cart_lines.add_item(ctx, cart_id, DEMO_CASHIER, CROISSANT)
        cart_customer.attach_customer(ctx, cart_id, DEMO_CASHIER, CUSTOMER)
        with pytest.raises(ApprovalRequired, match="credit limit"):
            checkout.add_payment(ctx, cart_id, DEMO_CASHIER, "account", 110)
        assert cart_lifecycle.get_cart(ctx, cart_id).payments == ()
        cart_lifecycle.cancel(ctx, cart_id, DEMO_CASHIER, approval=Approval(*DEMO_SUPERVISOR, reason="over the limit"))
    assert customers.credit_status(b, CUSTOMER).available == limit - central - b2.gross
    # a voids its first (counted) charge: the void's entry is after the mark, so it comes off
    returns.void_sale(a, a1.receipt_no, DEMO_CASHIER, "wrong account",
                      approval=Approval(*DEMO_SUPERVISOR, reason="wrong account"))
    assert balance(a, CUSTOMER) == central + a2.gross + a3.gross - a1.gross
    # once head office has counted everything, both tills show the same balance: nothing twice, nothing lost
    for ctx, settings in ((a, a_settings), (b, b_settings)):
        worker.sync_once(ctx, settings)
    accepted = import_store(url, [a_settings.till, b_settings.till])
    total = a2.gross + a3.gross + b1.gross + b2.gross - 100
    set_balance(url, total, accepted)
    worker.sync_once(a, a_settings)
    worker.sync_once(b, b_settings)
    assert balance(a, CUSTOMER) == balance(b, CUSTOMER) == total


@pytest.mark.pg
def test_a_payment_at_head_office_settles_the_tills_oldest_charges_in_aging(url, tmp_path) -> None:
    _store, ctx, settings = _till_knowing_the_customer(url, tmp_path)
    charge_on_account(ctx, CUSTOMER, CROISSANT, 2)
    second = charge_on_account(ctx, CUSTOMER, CROISSANT, 1)
    worker.sync_once(ctx, settings)
    accepted = import_store(url, [settings.till])
    # the customer paid the first charge at head office; the balance includes both charges
    set_balance(url, second.gross, {settings.till: accepted[settings.till]})
    worker.sync_once(ctx, settings)
    status = customers.credit_status(ctx, CUSTOMER)
    assert status.balance == second.gross
    assert sum(status.aging.values()) == second.gross, "aging shows no more open than the balance"


@pytest.mark.pg
def test_a_till_reads_only_its_own_counted_marks_and_writes_none(url, tmp_path) -> None:
    store = unique_store()
    a, a_settings = make_synced_till(url, tmp_path / "a", store, "T01", days=0)
    _b, b_settings = make_synced_till(url, tmp_path / "b", store, "T02", days=0)
    with connect(url) as conn:
        publish_customer(conn, CUSTOMER, "Boulangerie Petit Four", 250_000)
        publish_customer(conn, "c-other", "Nobody's", 1_000)
        pull_repo.set_customer_balance(conn, CUSTOMER, 700, {a_settings.till: 0, b_settings.till: 1})
        conn.commit()
    with psycopg.connect(**a_settings.kwargs(), connect_timeout=5) as conn:
        rows = pull_repo.master_changes(conn, {})["customers"]
        assert sorted((r["id"], r["central_balance"], r["counted_seq"]) for r in rows) == \
               [(CUSTOMER, 700, 0), ("c-other", 0, 0)]
        assert [r[0] for r in conn.execute("SELECT till FROM md_customer_counted")] == [a_settings.till]
        assert conn.execute("SELECT count(*) FROM md_customer_counted WHERE till = %s",
                            (b_settings.till,)).fetchone()[0] == 0
        conn.rollback()
        for statement in ("UPDATE md_customer_counted SET counted_seq = 0",
                          "DELETE FROM md_customer_counted",
                          f"INSERT INTO md_customer_counted (customer_id, till, counted_seq) "
                          f"VALUES ('{CUSTOMER}', '{a_settings.till}', 5)",
                          "UPDATE md_customers SET central_balance = 0"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()


def till_state(ctx) -> dict:  # type: ignore[no-untyped-def]
    """Everything a pull may write, and the logs it must never write."""
    con = sqlite3.connect(ctx.data_dir / "till.sqlite")
    try:
        return {
            "customers": con.execute("SELECT * FROM customers ORDER BY id").fetchall(),
            "counted": con.execute("SELECT * FROM customer_counted ORDER BY customer_id").fetchall(),
            "products": con.execute("SELECT id, price FROM products ORDER BY id").fetchall(),
            "marks": con.execute("SELECT key, value FROM sync_state WHERE key LIKE 'md_version.%' "
                                 "ORDER BY key").fetchall(),
            "ledger": con.execute("SELECT count(*) FROM customer_ledger").fetchone(),
            "audit": con.execute("SELECT count(*) FROM audit_log").fetchone(),
        }
    finally:
        con.close()


def _pull_refused(ctx, settings, match: str) -> None:  # type: ignore[no-untyped-def]
    before = till_state(ctx)
    with pytest.raises(PulledDataRefused, match=match):
        worker.sync_once(ctx, settings)
    assert till_state(ctx) == before, "a refused pull must leave the till as it was"
    status = worker.status(ctx)
    assert status.state == "error" and "customer balances from head office refused, nothing applied" \
        in status.last_error


@pytest.mark.pg
def test_hostile_customer_rows_are_refused_whole(url, tmp_path) -> None:
    store, ctx, settings = _till_knowing_the_customer(url, tmp_path)
    sale = charge_on_account(ctx, CUSTOMER, CROISSANT, 1)
    with connect(url) as conn:  # a good change in the same pull must not half-apply
        publish_products(conn, store, ctx, [BAGUETTE])
        conn.execute("UPDATE md_products SET price = 999 WHERE sku = %s", (BAGUETTE,))
        conn.commit()
    cases = [
        ("UPDATE md_customers SET central_balance = 1000000000000000 WHERE id = %s",
         "balance 1000000000000000 is not an amount"),
        ("UPDATE md_customers SET central_balance = -1000000000000000 WHERE id = %s", "is not an amount"),
        ("UPDATE md_customers SET credit_limit = -1 WHERE id = %s", "credit limit -1 is not an amount"),
        ("UPDATE md_customers SET terms_days = 1000000 WHERE id = %s", "payment terms of 1000000 days"),
    ]
    for statement, match in cases:
        with connect(url) as conn:
            conn.execute("UPDATE md_customers SET central_balance = 0, credit_limit = 250000, terms_days = 30 "
                         "WHERE id = %s", (CUSTOMER,))
            conn.execute(statement, (CUSTOMER,))
            conn.commit()
        _pull_refused(ctx, settings, match)
    set_balance(url, 0, {settings.till: 10**9})  # head office claims entries this till never wrote
    with connect(url) as conn:
        conn.execute("UPDATE md_customers SET credit_limit = 250000, terms_days = 30 WHERE id = %s", (CUSTOMER,))
        conn.commit()
    _pull_refused(ctx, settings, "up to #1000000000, but this till has written only")
    assert balance(ctx, CUSTOMER) == sale.gross
    # the command line says why and exits 1
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--data-dir", str(ctx.data_dir), "sync", "--once"]) == 1
    assert "refused, nothing applied" in out.getvalue() and "this till has written only" in out.getvalue()
    # fixed, it applies whole; a till head office no longer names is back to "none counted"
    set_balance(url, 500, {settings.till: sale.audit_seq})
    worker.sync_once(ctx, settings)
    assert worker.status(ctx).last_error is None
    assert balance(ctx, CUSTOMER) == 500
    with ctx.uow(read_only=True) as uow:
        assert uow.catalogue.by_sku(BAGUETTE).price == 999
    set_balance(url, 500, {})
    worker.sync_once(ctx, settings)
    assert balance(ctx, CUSTOMER) == 500 + sale.gross


@pytest.mark.pg
def test_set_customer_balance_refuses_bad_input_and_writes_nothing(url, tmp_path) -> None:
    store = unique_store()
    _ctx, settings = make_synced_till(url, tmp_path / "t", store, days=0)
    with connect(url) as conn:
        publish_customer(conn, CUSTOMER, "Boulangerie Petit Four", 250_000)
        pull_repo.set_customer_balance(conn, CUSTOMER, 300, {settings.till: 0})
        conn.commit()

    def state(conn):  # type: ignore[no-untyped-def]
        return (conn.execute("SELECT central_balance, version FROM md_customers WHERE id = %s",
                             (CUSTOMER,)).fetchone(),
                conn.execute("SELECT till, counted_seq, version FROM md_customer_counted ORDER BY till").fetchall())

    with connect(url) as conn:
        before = state(conn)
        for args, error in [
            (("nobody", 5, {}), LookupError),
            ((CUSTOMER, Decimal("1.5"), {}), TypeError),
            ((CUSTOMER, 1.5, {}), TypeError),
            ((CUSTOMER, True, {}), TypeError),
            ((CUSTOMER, 5, {settings.till: -1}), ValueError),
            ((CUSTOMER, 5, {settings.till: "7"}), ValueError),
            ((CUSTOMER, 5, {"S999-T99": 1}), psycopg.errors.ForeignKeyViolation),
        ]:
            with pytest.raises(error):
                pull_repo.set_customer_balance(conn, *args)
            assert state(conn) == before
        conn.commit()


def test_customer_rows_that_are_not_exact_are_refused() -> None:
    good = {"id": "c-1", "name": "A", "customer_type": "retail", "credit_limit": 10_000, "terms_days": 30,
            "blocked": False, "central_balance": -2_500, "counted_seq": 3, "version": 7}
    assert customer_problems([good], last_seq=3) == []
    bad = [
        ({"central_balance": Decimal("12.50")}, "balance 12.50 is not an amount"),
        ({"central_balance": 12.5}, "balance 12.5 is not an amount"),
        ({"central_balance": "1250"}, "balance 1250 is not an amount"),
        ({"central_balance": True}, "balance True is not an amount"),
        ({"central_balance": None}, "balance None is not an amount"),
        ({"credit_limit": 10**15}, "credit limit"),
        ({"terms_days": -1}, "payment terms of -1 days"),
        ({"blocked": "no"}, "blocked is not true or false"),
        ({"counted_seq": 4}, "up to #4, but this till has written only 3"),
        ({"counted_seq": -1}, "counted sequence -1 is not a sequence number"),
        ({"counted_seq": 2.0}, "counted sequence 2.0 is not a sequence number"),
        ({"version": 0}, "bad version 0"),
        ({"id": ""}, "bad id"),
        ({"id": 5}, "bad id"),
        ({"name": None}, "name is not text"),
    ]
    for change, reason in bad:
        problems = customer_problems([{**good, **change}], last_seq=3)
        assert len(problems) == 1 and reason in problems[0], (change, problems)


@pytest.mark.pg
def test_upgrading_a_till_fetches_every_customer_again_with_its_mark(url, tmp_path) -> None:
    """Marks head office wrote before a till had revision 0006 must still reach it."""
    _store, ctx, settings = _till_knowing_the_customer(url, tmp_path)
    sale = charge_on_account(ctx, CUSTOMER, CROISSANT, 1)
    set_balance(url, sale.gross, {settings.till: sale.audit_seq})
    worker.sync_once(ctx, settings)
    assert balance(ctx, CUSTOMER) == sale.gross
    with database_engine(ctx) as engine:
        downgrade(engine, "0006_customer_counted@-1")  # the marks are gone, the watermark is not
        upgrade_to_head(engine)
    assert balance(ctx, CUSTOMER) == 2 * sale.gross  # until the next pull: the charge counted twice
    assert worker.sync_once(ctx, settings).pulled.get("customers", 0) >= 1
    assert balance(ctx, CUSTOMER) == sale.gross
