"""Head office publishes costs with the catalogue: an empty cost cell is unknown (NULL in
md_products), "0" is a free product, and the till's pull keeps the difference, so its next sale
records an unknown unit cost as null and a free one as 0. A later import that names the cost
makes it known on the till."""

from __future__ import annotations

import json

import pytest

from app.sync import worker
from app.usecases import cart_lifecycle, cart_lines, checkout, shifts
from db.central.schema import connect, upgrade
from tests.central.conftest import unique_store
from tests.central.master_support import barcode, hq, seed_tax_rates, write_csv
from tests.central.tills import DEMO_CASHIER, make_synced_till

pytestmark = pytest.mark.pg


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    seed_tax_rates(pg_url)
    return pg_url


def _costs(ctx, skus):  # type: ignore[no-untyped-def]
    with ctx.uow(read_only=True) as uow:
        return {sku: uow.catalogue.by_sku(sku).cost for sku in skus}


def test_unknown_and_free_costs_travel_apart_to_the_till(url, tmp_path) -> None:
    store = unique_store()
    till, settings = make_synced_till(url, tmp_path / "a", store, days=0)
    skus = ["HQC-0001", "HQC-0002", "HQC-0003"]
    codes = [barcode(100 + i) for i in range(3)]
    rows = [[skus[0], "Tea", "2.10", "C", "each", "", codes[0], ""],
            [skus[1], "Sample", "0.50", "C", "each", "0", codes[1], ""],
            [skus[2], "Jam", "4.00", "C", "each", "1.25", codes[2], ""]]
    assert hq("catalogue", "import", "--db", url, "--store", store, str(write_csv(tmp_path / "c.csv", rows)))[0] == 0
    with connect(url) as conn:
        published = dict(conn.execute("SELECT sku, cost FROM md_products WHERE sku = ANY(%s)", (skus,)).fetchall())
    assert published == {skus[0]: None, skus[1]: 0, skus[2]: 125}
    worker.sync_once(till, settings)
    assert _costs(till, skus) == {skus[0]: None, skus[1]: 0, skus[2]: 125}
    shifts.open_shift(till, DEMO_CASHIER, 10_000)
    cart = cart_lifecycle.start_cart(till, DEMO_CASHIER)
    for code in codes:
        cart_lines.add_item(till, cart, DEMO_CASHIER, code)
    sale = checkout.add_payment(till, cart, DEMO_CASHIER, "cash", 10_000).sale
    assert [line.unit_cost for line in sale.lines] == [None, 0, 125]
    with till.uow(read_only=True) as uow:
        body = [b for _s, b, _p, _h in uow.audit.iter_raw() if b"sale.completed" in b][-1]
    assert [line["unit_cost"] for line in json.loads(body)["data"]["lines"]] == [None, "0.00", "1.25"]
    rows[0][5] = "1.80"  # head office learns what the tea costs
    assert hq("catalogue", "import", "--db", url, str(write_csv(tmp_path / "d.csv", rows)))[0] == 0
    worker.sync_once(till, settings)
    assert _costs(till, skus)[skus[0]] == 180
