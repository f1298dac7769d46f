"""`hq import --jobs N`: worker processes prepare chunks ahead of the walk, and the outcome is the one
of the import in a single process, row for row: accepted chain, Merkle state, consolidated rows,
forks, quarantined entries and problems, on chains that span many chunks."""

from __future__ import annotations

import hashlib

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.cli.main import main
from app.hq import enrol as enrolment
from app.hq.importer import import_all
from db.central.schema import connect, upgrade
from tests.central.chains import Chain
from tests.central.conftest import fresh_database, unique_store
from tests.central.test_hq_import import push

pytestmark = pytest.mark.pg
WITNESS = Ed25519PrivateKey.generate()
CHUNK = 7  # many chunks from a few dozen entries, so the workers run ahead of the walk


@pytest.fixture(scope="module")
def other_url():
    yield from fresh_database()


def _chains() -> list[tuple[Chain, list[tuple[int, str, bytes]]]]:
    """Two tills: days with checkpoints, a sale whose data cannot be consolidated, an unreadable
    second version at one seq, and (second till) a competing version at another: a fork."""
    store = unique_store()
    out = []
    for n, till_id in enumerate(("T01", "T02")):
        chain = Chain(f"{store}-{till_id}")
        chain.day("2026-03-02", 9)
        chain.add("sale.completed", {"business_date": "2026-03-02", "sale_id": "bad", "receipt_no": "r",
                                     "net": "x", "tax": "0", "gross": "abc", "lines": [], "payments": []})
        chain.day("2026-04-01", 8)
        extra = [(5, hashlib.sha256(b"not json").hexdigest(), b"not json")]
        if n:
            rival = Chain(chain.till, key=chain.key, rows=chain.rows[:10])
            rival.sale("2026-03-02", 500)
            extra.append(rival.rows[10])
        out.append((chain, extra))
    return out


TABLES = {
    "accepted_entries": "SELECT till, seq, hash, leaf_hash, type, ts, business_date FROM accepted_entries",
    "chain_state": "SELECT till, accepted_seq, accepted_hash, frontier, checkpoint_size, checkpoint_root, "
                   "checkpoint_frontier FROM chain_state",
    "sales_docs": "SELECT till, doc_kind, doc_id, business_date, gross, seq FROM sales_docs",
    "doc_lines": "SELECT till, doc_id, line_no, sku, qty, gross, business_date FROM doc_lines",
    "doc_payments": "SELECT till, doc_id, pay_no, method, amount FROM doc_payments",
    "shift_events": "SELECT till, shift_id, event, opening_float, counted_cash FROM shift_events",
    "quarantine": "SELECT till, seq, hash, stage, reason FROM quarantine",
    "problems": "SELECT till, kind, seq, detail FROM problems",
    "checkpoints": "SELECT till, tree_size, root, head FROM checkpoints",
}


def _contents(url: str) -> dict[str, list[tuple]]:
    with connect(url) as conn:
        return {name: sorted(conn.execute(query).fetchall(), key=repr) for name, query in TABLES.items()}


def test_workers_give_the_single_process_outcome(pg_url, other_url) -> None:
    chains = _chains()
    outcomes = {}
    for url, jobs in ((pg_url, 1), (other_url, 2)):
        upgrade(url)
        for chain, extra in chains:
            settings = enrolment.enrol(url, store=chain.till.split("-")[0], till_id=chain.till.split("-")[1],
                                       public_key=chain.public)
            push(settings, chain.rows + extra)
        with connect(url) as conn:
            results = import_all(conn, WITNESS, chunk=CHUNK, jobs=jobs)
        outcomes[jobs] = [(r.till, r.accepted, r.head_seq, r.checkpoints, r.forks, r.quarantined, r.problems)
                          for r in results]
    assert outcomes[1] == outcomes[2]
    for (till, accepted, _, checkpoints, forks, quarantined, _), (chain, _) in zip(outcomes[2], chains, strict=True):
        assert (till, accepted) == (chain.till, len(chain.rows))
        assert checkpoints == 2 and quarantined == 2 and forks == (1 if till.endswith("T02") else 0)
    one, two = _contents(pg_url), _contents(other_url)
    assert all(one[name] for name in ("accepted_entries", "sales_docs", "doc_lines", "quarantine", "problems"))
    assert one == two


def test_jobs_is_refused_when_not_a_small_whole_number(pg_url, capsys) -> None:
    for bad in ("0", "-1", "two", "65"):
        assert main(["hq", "import", "--db", pg_url, "--jobs", bad]) == 2
        err = capsys.readouterr().err
        assert "--jobs" in err and "Traceback" not in err
    with psycopg.connect(pg_url) as conn, pytest.raises(ValueError, match="jobs"):
        import_all(conn, WITNESS, jobs=0)


def test_text_with_copy_control_characters_is_stored_as_sent(pg_url) -> None:
    """The workers render rows in COPY's text format themselves: tabs, newlines, carriage returns and
    backslashes in a till's text must arrive unchanged, not split a row or shift a column."""
    upgrade(pg_url)
    chain = Chain(f"{unique_store()}-T01")
    tricky = "Tab\there\nnew\\line\r\\N"
    chain.add("sale.completed", {
        "business_date": "2026-03-02", "sale_id": "s\t1", "receipt_no": "r\\1", "shift_id": None,
        "customer_id": None, "subtotal_discount": "0.00", "net": "1.00", "tax": "0.00", "gross": "1.00",
        "change": "0.00", "payments": [{"method": "cash", "amount": "1.00"}],
        "lines": [{"sku": "S\n1", "name": tricky, "qty": "1.000", "unit_price": "1.00", "discount": "0.00",
                   "net": "1.00", "tax": "0.00", "gross": "1.00", "tax_code": "B"}]})
    settings = enrolment.enrol(pg_url, store=chain.till.split("-")[0], till_id="T01", public_key=chain.public)
    push(settings, chain.rows)
    with connect(pg_url) as conn:
        (result,) = import_all(conn, WITNESS, tills=[chain.till], jobs=2)
        assert result.accepted == 1 and not result.quarantined
        assert conn.execute("SELECT doc_id, sku, name FROM doc_lines WHERE till = %s", (chain.till,)).fetchone() \
            == ("s\t1", "S\n1", tricky)
