"""Property tests over the entry reader and the verifier: random bytes, truncations and bit flips
in bodies, hashes and columns never raise; the verifier always fails and names the first bad seq."""

from __future__ import annotations

import hashlib
import sqlite3

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.audit import coverage
from app.audit.format_v1 import make_entry, parse_entry, read_entry, read_entry_fast
from tests.adversarial.schema import ROW_FILTER, entry_of_row, finalised_tables

TILL = "S001-T01"
GOOD = make_entry(till=TILL, seq=7, ts="2026-03-02T09:04:00.000000Z", type_="sale.completed", actor="anna",
                  data={"sale_id": "s-1", "lines": [{"qty": "1.000", "gross": "2.50", "name": "Brie – 200 g"}],
                        "payments": [{"method": "cash", "amount": "5.00"}], "n": 3}, prev="0" * 64)[1]
# Columns that tie a row to another record (besides audit_seq): changed, they make that record wrong too.
LINKS = frozenset({("shift_closes", "shift_id"), ("cash_counts", "shift_id"), ("stock_movement_entries", "movement_id"),
                   ("stock_movements", "id")})
FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for at, bit in flips:
        if out:
            out[at % len(out)] ^= 1 << bit
    return bytes(out)


bit_flips = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 7)), min_size=1, max_size=4)
damaged_bodies = st.one_of(
    st.binary(max_size=600),
    st.integers(0, len(GOOD) - 1).map(lambda n: GOOD[:n]),
    bit_flips.map(lambda flips: _flip(GOOD, flips)),
    st.integers(1, 3000).map(lambda depth: b'{"data":' + b"[" * depth + b"]" * depth + b"}"),
)


@FUZZ
@given(body=damaged_bodies, digest=st.one_of(st.just(hashlib.sha256(GOOD).hexdigest()), st.text(max_size=70)))
def test_the_entry_reader_never_raises(body, digest):
    for read in (read_entry, read_entry_fast):
        entry, reason = read(7, digest, body, TILL)
        assert (entry is None) != (reason is None) and (reason is None or isinstance(reason, str))
    entry, reason = parse_entry(7, body, TILL)
    assert (entry is None) != (reason is None)
    assert read_entry(7, digest, body.decode("latin-1"), TILL) == (None, "body is not stored as bytes")  # type: ignore[arg-type]


@FUZZ
@given(data=st.data(), how=st.sampled_from(["random bytes", "truncated", "bit flips", "re-hashed bit flips"]))
def test_a_damaged_body_is_found_at_its_seq(live, data, how):
    live.restore()
    head = live.con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    seq = data.draw(st.integers(1, head - 1 if how == "re-hashed bit flips" else head), label="seq")
    body = bytes(live.con.execute("SELECT body FROM audit_log WHERE seq = ?", (seq,)).fetchone()[0])
    if how == "random bytes":
        damaged = data.draw(st.binary(max_size=800), label="bytes")
    elif how == "truncated":
        damaged = body[:data.draw(st.integers(0, len(body) - 1), label="cut")]
    else:
        damaged = _flip(body, data.draw(bit_flips, label="flips"))
    assume(damaged != body)
    live.run("UPDATE audit_log SET body = ? WHERE seq = ?", (damaged, seq))
    if how == "re-hashed bit flips":  # the hash matches again: only the next link, or what the body says, can tell
        live.run("UPDATE audit_log SET hash = ? WHERE seq = ?", (hashlib.sha256(damaged).hexdigest(), seq))
    report = live.verify()
    assert not report.ok and report.entries == head
    assert report.first_bad_seq in ((seq, seq + 1) if how == "re-hashed bit flips" else (seq,)), report.as_dict()


values = st.one_of(st.integers(-(2**63), 2**63 - 1), st.text(max_size=24), st.binary(max_size=24), st.none(),
                   st.floats(allow_nan=False, allow_infinity=False))


@FUZZ
@given(data=st.data(), column=st.sampled_from(["hash", "prev", "ts", "type", "actor"]), value=values)
def test_a_damaged_log_column_is_found_at_its_seq(live, data, column, value):
    live.restore()
    head = live.con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    seq = data.draw(st.integers(1, head), label="seq")
    before = live.con.execute(f"SELECT {column}, typeof({column}) FROM audit_log WHERE seq = ?", (seq,)).fetchone()
    try:
        live.run(f"UPDATE audit_log SET {column} = ? WHERE seq = ?", (value, seq))
    except sqlite3.IntegrityError:  # NOT NULL, UNIQUE: the schema refuses it before verify has to
        assume(False)
    after = live.con.execute(f"SELECT {column}, typeof({column}) FROM audit_log WHERE seq = ?", (seq,)).fetchone()
    assume(after != before)
    report = live.verify()
    assert not report.ok and report.first_bad_seq == seq, report.as_dict()


@FUZZ
@given(data=st.data(), value=values)
def test_a_damaged_record_column_is_found_at_its_entry(live, data, value):
    live.restore()
    columns = [(table, col[1], col[2].upper() == "INTEGER" and col[5] == 1)
               for table in finalised_tables(live.con) if table != "audit_log"
               for col in live.con.execute(f'PRAGMA table_info("{table}")')
               if col[1] not in coverage.DERIVED.get(table, {})]
    table, column, is_rowid = data.draw(st.sampled_from(columns), label="column")
    rowids = [r[0] for r in live.con.execute(f'SELECT rowid FROM "{table}" WHERE {ROW_FILTER.get(table, "1")}')]
    rowid = data.draw(st.sampled_from(rowids), label="row")
    seq = entry_of_row(live.con, table, rowid)
    read = f'SELECT "{column}", typeof("{column}") FROM "{table}" WHERE rowid = ?'
    before = live.con.execute(read, (rowid,)).fetchone()
    try:
        live.run(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?', (value, rowid))
    except sqlite3.IntegrityError:
        assume(False)
    after = live.con.execute(read, (value if is_rowid else rowid,)).fetchone()  # a rowid alias moves its row
    assume(after != before)
    report = live.verify()
    assert not report.ok and seq in {p.seq for p in report.problems}, report.as_dict()
    if column != "audit_seq" and (table, column) not in LINKS:  # a moved record is also its new place's problem
        assert report.first_bad_seq == seq, report.as_dict()
