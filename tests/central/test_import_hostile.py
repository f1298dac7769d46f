"""Entries a till signed and chained but whose content head office cannot store as it stands:
they are accepted into the chain and quarantined with a reason, the rest of the till's data and
every other till still import, and nothing is consolidated twice."""

from __future__ import annotations

import psycopg
import pytest

from app.audit.format_v1 import make_entry
from db.central.schema import connect, upgrade
from tests.central.chains import Chain
from tests.central.conftest import unique_store
from tests.central.test_hq_import import enrol_chain, push, run_import

pytestmark = pytest.mark.pg
DAY = "2026-03-02"


@pytest.fixture(scope="module")
def url(pg_url):
    upgrade(pg_url)
    return pg_url


def _add_with_ts(chain: Chain, type_: str, data: dict, ts: str) -> None:
    seq = len(chain.rows) + 1
    _, body, digest = make_entry(till=chain.till, seq=seq, ts=ts, type_=type_, actor="anna", data=data,
                                 prev=chain.head)
    chain.rows.append((seq, digest, body))


def _sale(chain: Chain, sale_id: str, **changes: object) -> None:
    data = {"business_date": DAY, "sale_id": sale_id, "receipt_no": f"R-{sale_id}", "shift_id": "sh1",
            "customer_id": None, "subtotal_discount": "0.00", "net": "2.00", "tax": "0.00", "gross": "2.00",
            "change": "0.00", "payments": [{"method": "cash", "amount": "2.00"}],
            "lines": [{"sku": "MILK1", "name": "Milk", "qty": "1.000", "unit_price": "2.00", "discount": "0.00",
                       "net": "2.00", "tax": "0.00", "gross": "2.00", "tax_code": "B"}]}
    data.update(changes)
    chain.add("sale.completed", data)


def _docs(url: str, till: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT doc_id, gross::text FROM sales_docs WHERE till = %s ORDER BY seq",
                            (till,)).fetchall()


def _reasons(url: str, till: str) -> dict[int, str]:
    with connect(url) as conn:
        return {int(s): r for s, r in conn.execute(
            "SELECT seq, reason FROM quarantine WHERE till = %s AND stage = 'import'", (till,))}


def test_unstorable_content_is_quarantined_and_blocks_no_one(url) -> None:
    store = unique_store()
    bad, bad_settings = enrol_chain(url, store, "T01")
    good, good_settings = enrol_chain(url, store, "T02")
    _sale(bad, "a")
    _sale(bad, "b", receipt_no=12345678901234567890)  # 2
    _sale(bad, "c", customer_id=["not", "an", "id"])  # 3
    _sale(bad, "d", lines=[{"sku": "MILK1", "name": {"de": "Milch"}, "qty": "1.000", "net": "2.00",
                            "tax": "0.00", "gross": "2.00", "tax_code": "B"}])  # 4
    _sale(bad, "a", gross="9.99")  # 5: the same sale id again on the same day
    _sale(bad, "e")  # 6
    _sale(bad, "nul\x00byte")  # 7: PostgreSQL text cannot hold NUL
    _sale(bad, "f")  # 8
    good.day(DAY, 3)
    push(bad_settings, bad.rows)
    push(good_settings, good.rows)

    results = run_import(url, [bad.till, good.till])

    assert results[good.till].accepted == len(good.rows) and not results[good.till].problems
    assert results[bad.till].accepted == len(bad.rows) == 8
    assert results[bad.till].quarantined == 5
    reasons = _reasons(url, bad.till)
    assert set(reasons) == {2, 3, 4, 5, 7}, reasons
    assert "customer_id must be a string" in reasons[3] and "name must be a string" in reasons[4]
    assert "already consolidated" in reasons[5] and "cannot be stored" in reasons[7]
    assert _docs(url, bad.till) == [("a", "2.00"), ("e", "2.00"), ("f", "2.00")]
    with psycopg.connect(url) as conn:  # the refused documents left no lines or payments behind
        lines = conn.execute("SELECT count(*) FROM doc_lines WHERE till = %s", (bad.till,)).fetchone()[0]
        payments = conn.execute("SELECT count(*) FROM doc_payments WHERE till = %s", (bad.till,)).fetchone()[0]
    assert lines == payments == 3
    assert run_import(url, [bad.till])[bad.till].accepted == 0  # idempotent


@pytest.mark.parametrize("ts", ["yesterday-ish", "2026-02-30T10:00:00.000000Z", "2026-03-02T08:00:00Z", 17])
def test_an_entry_without_a_valid_time_stops_its_till_only(url, ts) -> None:
    store = unique_store()
    bad, bad_settings = enrol_chain(url, store, "T01")
    good, good_settings = enrol_chain(url, store, "T02")
    _sale(bad, "a")
    _add_with_ts(bad, "sale.completed", {"business_date": DAY, "sale_id": "b"}, ts)
    _sale(bad, "c")
    good.day(DAY, 2)
    push(bad_settings, bad.rows)
    push(good_settings, good.rows)

    results = run_import(url, [bad.till, good.till])

    assert results[good.till].accepted == len(good.rows) and not results[good.till].problems
    assert results[bad.till].accepted == 1 and results[bad.till].quarantined == 1
    assert "ts is not a UTC time" in _reasons(url, bad.till)[2]


def test_a_document_consolidated_by_an_earlier_import_is_not_taken_again(url) -> None:
    chain, settings = enrol_chain(url, unique_store(), "T01")
    _sale(chain, "x")
    push(settings, chain.rows)
    assert run_import(url, [chain.till])[chain.till].accepted == 1
    chain.add("shift.opened", {"business_date": DAY, "shift_id": "sh1", "opening_float": "50.00"})
    _sale(chain, "x", gross="5.00")
    chain.add("shift.opened", {"business_date": DAY, "shift_id": "sh1", "opening_float": "60.00"})
    _sale(chain, "y")
    push(settings, chain.rows[1:])

    result = run_import(url, [chain.till])[chain.till]

    assert result.accepted == 4 and result.head_seq == 5
    assert set(_reasons(url, chain.till)) == {3, 4}
    assert _docs(url, chain.till) == [("x", "2.00"), ("y", "2.00")]
    assert run_import(url, [chain.till])[chain.till].accepted == 0  # idempotent
