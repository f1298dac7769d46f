"""Head office publishes promotions (`hq promotions import`), a real till pulls them with its
`master.applied` entry and prices carts with them; a bad file writes nothing at head office,
and a damaged rule in the central store is refused by the till's pull as a whole."""

from __future__ import annotations

import json

import pytest

from app.sync import worker
from app.sync.pull_checks import PulledDataRefused
from db.central.pull_repo import upsert_master
from db.central.schema import connect, upgrade
from tests.central.conftest import unique_store
from tests.central.master_support import barcode, central_state, hq, master_entries, seed_tax_rates, write_csv
from tests.central.tills import make_synced_till, sell_units

HEADER = "id,name,kind,skus,buy,pay,bundle_price,prices,customer_group,active\n"


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    seed_tax_rates(pg_url)
    return pg_url


def _promotions(url):  # type: ignore[no-untyped-def]
    with connect(url) as conn:
        return conn.execute("SELECT id, store_id, kind, active FROM md_promotions ORDER BY id").fetchall()


@pytest.mark.pg
def test_a_published_multibuy_reaches_the_till_and_prices_its_sales(url, tmp_path) -> None:
    store = unique_store()
    till, settings = make_synced_till(url, tmp_path / "a", store, days=0)
    code = barcode(7001)
    write_csv(tmp_path / "cat.csv", [["PR-0001", "Yoghurt", "0.80", "C", "each", "0.30", code, "12"]])
    assert hq("catalogue", "import", "--db", url, str(tmp_path / "cat.csv"))[0] == 0
    promo = tmp_path / "promotions.csv"
    promo.write_text(HEADER + "900001,Yoghurt 3 for 2,multibuy,PR-0001,3,2,,,,yes\n", encoding="utf-8")
    code_, out, err = hq("promotions", "import", "--db", url, "--store", store, "--json", str(promo))
    assert code_ == 0, err
    assert json.loads(out)["promotions"] == 1
    assert (900001, store, "multibuy", True) in _promotions(url)
    report = worker.sync_once(till, settings)
    assert report.pulled["promotions"] == 1
    assert json.loads(master_entries(till)[-1])["data"]["counts"]["promotions"] == 1
    assert sell_units(till, code, 6).gross == 4 * 80  # repeats: two bundles of three
    # withdrawn at head office: the next pull switches it off at the till
    promo.write_text(HEADER + "900001,Yoghurt 3 for 2,multibuy,PR-0001,3,2,,,,no\n", encoding="utf-8")
    assert hq("promotions", "import", "--db", url, "--store", store, str(promo))[0] == 0
    worker.sync_once(till, settings)
    assert sell_units(till, code, 3).gross == 3 * 80


@pytest.mark.pg
@pytest.mark.parametrize("row", [
    "900101,Bad kind,nonsense,PR-0001,3,2,,,,yes",
    "900102,=HYPERLINK(\"x\"),multibuy,PR-0001,3,2,,,,yes",
    "900103,Negative list,price_list,,,,,PR-0001=-1.00,wholesale,yes",
    f"900104,{'N' * 10_000},multibuy,PR-0001,3,2,,,,yes",
    "900105,Pays all,multibuy,PR-0001,3,3,,,,yes",
])
def test_a_hostile_file_writes_nothing_at_head_office(url, tmp_path, row) -> None:
    path = tmp_path / "promotions.csv"
    path.write_text(HEADER + "900100,Good one,multibuy,PR-0001,2,1,,,,yes\n" + row + "\n", encoding="utf-8")
    before = (central_state(url), _promotions(url))
    code, _out, err = hq("promotions", "import", "--db", url, str(path))
    assert code == 2
    assert "nothing written" in err and "Traceback" not in err and err.count("\n") == 1
    assert (central_state(url), _promotions(url)) == before


@pytest.mark.pg
def test_a_damaged_rule_in_the_central_store_is_refused_by_the_pull(url, tmp_path) -> None:
    store = unique_store()
    till, settings = make_synced_till(url, tmp_path / "b", store, days=0)
    with connect(url) as conn:
        upsert_master(conn, "md_promotions", [{"id": 900201, "store_id": store, "name": "Broken", "kind": "multibuy",
                                               "rule": json.dumps({"skus": ["X"], "buy": 3, "pay": 5})}])
    with pytest.raises(PulledDataRefused, match="promotions from head office refused"):
        worker.sync_once(till, settings)
    with till.uow(read_only=True) as uow:
        assert uow.promotions.all() == []
