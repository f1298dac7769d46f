"""`hq report stock` with counted marks: head office's figure already includes each till's entries
up to its mark, so only sales, voids and refunds of later entries move it; oversold products are
those that later entries took below zero."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.cli.main import main
from app.domain.permissions import Approval
from app.hq import report as hq_report
from app.hq.importer import import_all
from app.sync import worker
from app.usecases import returns
from db.central import pull_repo
from db.central.schema import connect, upgrade
from tests.central.conftest import unique_store
from tests.central.tills import (
    DEMO_CASHIER,
    DEMO_SUPERVISOR,
    make_synced_till,
    product_id,
    publish_products,
    sell_units,
)

pytestmark = pytest.mark.pg

WITNESS = Ed25519PrivateKey.generate()
BRIOCHE, BRIOCHE_CODE = "BAK-0011", "3760123000116"
BAGUETTE, BAGUETTE_CODE = "BAK-0001", "3760123000017"
APPROVAL = Approval(*DEMO_SUPERVISOR, reason="checked")


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    return pg_url


def push_and_import(url: str, tills) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Each till pushes; head office imports; returns each till's accepted sequence number."""
    for ctx, settings in tills:
        worker.sync_once(ctx, settings)
    with connect(url) as conn:
        results = import_all(conn, WITNESS, tills=[settings.till for _ctx, settings in tills])
    assert results and all(not r.problems and not r.forks for r in results), results
    return {r.till: r.head_seq for r in results}


def brioche(url: str, store: str) -> dict:
    with connect(url) as conn:
        report = hq_report.stock(conn, store)
    return next(row for row in report["products"] if row["sku"] == BRIOCHE)


def set_figure(url: str, store: str, pid: str, units: int, counted: dict[str, int]) -> None:
    with connect(url) as conn:
        pull_repo.set_stock_level(conn, store, pid, units * 1000, counted)
        conn.commit()


def test_only_entries_after_each_tills_mark_move_head_offices_figure(url, tmp_path, capsys) -> None:
    store = unique_store()
    a = make_synced_till(url, tmp_path / "a", store, "T01", days=0)
    b = make_synced_till(url, tmp_path / "b", store, "T02", days=0)
    (a_ctx, a_set), (b_ctx, _b_set) = a, b
    pid = product_id(a_ctx, BRIOCHE)
    with connect(url) as conn:
        publish_products(conn, store, a_ctx, [BRIOCHE])
        conn.commit()
    a_first = sell_units(a_ctx, BRIOCHE_CODE, 2)
    b_first = sell_units(b_ctx, BRIOCHE_CODE, 3)
    sell_units(b_ctx, BAGUETTE_CODE, 1)  # a product head office has no figure for
    accepted = push_and_import(url, [a, b])
    # head office counted 9, less the 5 both tills sold: the figure includes those sales
    set_figure(url, store, pid, 4, accepted)
    row = brioche(url, store)
    assert (row["on_hand"], row["sold"], row["remaining"], row["oversold"]) == ("4.000", "0.000", "4.000", False)
    # a till the figure names no mark for: every one of its entries still moves it
    set_figure(url, store, pid, 4, {a_set.till: accepted[a_set.till]})
    row = brioche(url, store)
    assert (row["sold"], row["remaining"], row["oversold"]) == ("3.000", "1.000", False)
    set_figure(url, store, pid, 4, accepted)
    # after the marks: sales, a void of a counted sale, a sale voided in turn, a refund of a counted sale
    sell_units(a_ctx, BRIOCHE_CODE, 3)
    sell_units(b_ctx, BRIOCHE_CODE, 2)
    returns.void_sale(a_ctx, a_first.receipt_no, DEMO_CASHIER, "wrong item", approval=APPROVAL)
    again = sell_units(a_ctx, BRIOCHE_CODE, 1)
    returns.void_sale(a_ctx, again.receipt_no, DEMO_CASHIER, "wrong item", approval=APPROVAL)
    returns.refund(b_ctx, b_first.receipt_no, DEMO_CASHIER, [(b_first.lines[0].id, 1000)], approval=APPROVAL)
    push_and_import(url, [a, b])
    row = brioche(url, store)
    assert (row["sold"], row["voided"], row["refunded"]) == ("6.000", "3.000", "1.000")
    assert (row["remaining"], row["oversold"]) == ("2.000", False)  # 4 - 6 + 3 + 1
    with connect(url) as conn:
        report = hq_report.stock(conn, store)
    baguette = next(r for r in report["products"] if r["sku"] == BAGUETTE)
    assert (baguette["on_hand"], baguette["sold"], baguette["oversold"]) == (None, "1.000", False)
    # b sells 3 more than head office's figure allows: oversold, and the command says so
    sell_units(b_ctx, BRIOCHE_CODE, 3)
    accepted = push_and_import(url, [a, b])
    row = brioche(url, store)
    assert (row["remaining"], row["oversold"]) == ("-1.000", True)
    capsys.readouterr()
    assert main(["hq", "report", "stock", "--db", url, "--store", store]) == 1
    assert f"OVERSOLD {BRIOCHE}: on hand 4.000, then sold 9.000, voided 3.000, refunded 1.000, remaining -1.000" \
        in capsys.readouterr().out
    # head office counts everything again: nothing after the marks, nothing oversold
    set_figure(url, store, pid, 0, accepted)
    capsys.readouterr()
    assert main(["hq", "report", "stock", "--db", url, "--store", store, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    row = next(r for r in report["products"] if r["sku"] == BRIOCHE)
    assert (row["on_hand"], row["sold"], row["remaining"], report["oversold"]) == ("0.000", "0.000", "0.000", [])


def test_a_store_that_does_not_exist_or_a_hostile_name_reports_nothing(url, tmp_path, capsys) -> None:
    store = unique_store()
    make_synced_till(url, tmp_path / "a", store, "T01", days=0)
    with connect(url) as conn:
        before = conn.execute("SELECT count(*) FROM md_stock").fetchone()[0]
    for name in ("NOPE", "x'); DROP TABLE md_stock; --", "\x1b[31m"):
        capsys.readouterr()
        assert main(["hq", "report", "stock", "--db", url, "--store", name, "--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["products"] == [] and report["oversold"] == []
    with connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM md_stock").fetchone()[0] == before
    assert main(["hq", "report", "stock", "--db", url]) == 2  # no store
