"""`audit export` checked by an independent verifier written from docs/design.md alone
(tests/support/independent_verifier.py: json + hashlib, no application code)."""

from __future__ import annotations

import json

import pytest

from app.usecases import (
    audit,
    auth,
    cart_customer,
    cart_discounts,
    cart_lifecycle,
    cart_lines,
    checkout,
    customers,
    returns,
    shifts,
)
from tests.support.independent_verifier import first_bad_seq, verify_export, verify_lines
from tests.support.till import BARCODES, PINS, make_till


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A day with every kind of entry, exported once."""
    base = tmp_path_factory.mktemp("export")
    till = make_till(base / "till")
    ctx = till.ctx
    auth.login(ctx, "anna", PINS["anna"])
    with pytest.raises(Exception, match="Wrong PIN"):
        auth.login(ctx, "ben", "0000")
    shifts.open_shift(ctx, "anna", 10000)
    sales = []
    for codes, pay, customer in (
        (["cheese", "milk", "milk"], [("card", 1000), ("cash", 1000)], None),
        (["bread"], [("cash", 500)], None),
        (["cheese"], [("account", 1290)], "c-1"),
        (["milk"], [("voucher", 100), ("other", 19)], None),
    ):
        c = cart_lifecycle.start_cart(ctx, "anna")
        for code in codes:
            cart_lines.add_item(ctx, c, "anna", BARCODES[code])
        if customer:
            cart_customer.attach_customer(ctx, c, "anna", customer)
        for method, amount in pay:
            result = checkout.add_payment(ctx, c, "anna", method, amount)
        sales.append(result.sale)
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", "APPLE", qty_milli=1234, weight_source="scale")
    cart_discounts.set_subtotal_discount(ctx, c, "anna", percent="5")
    sales.append(checkout.add_payment(ctx, c, "anna", "cash", 1000).sale)
    returns.void_sale(ctx, sales[1].receipt_no, "anna", "Kunde hat's sich anders überlegt", approval=till.approval())
    returns.refund(ctx, sales[0].receipt_no, "anna", [(sales[0].lines[1].id, 1000)], approval=till.approval())
    customers.take_account_payment(ctx, "c-1", "anna", 500, "cash")
    shifts.cash_in(ctx, "anna", 2000, "Wechselgeld — Bank")
    shifts.cash_out(ctx, "anna", 1000, "window cleaner", approval=till.approval())
    shifts.no_sale(ctx, "anna", "checking the float", approval=till.approval())
    with ctx.uow(read_only=True) as uow:
        expected = uow.shifts.expected_cash(uow.shifts.open_shift().id)
    shifts.close_shift(ctx, "anna", expected - 5, note="5 cents short")
    auth.logout(ctx, "anna")
    out = base / "audit.jsonl"
    count = audit.export(ctx, out)
    report = audit.verify(ctx)
    ctx.close()
    return out, count, report


def lines_of(path):
    return path.read_bytes().rstrip(b"\n").split(b"\n")


def test_the_export_verifies_independently(exported):
    path, count, report = exported
    assert report.ok
    problems = verify_export(path)
    assert problems == []
    lines = lines_of(path)
    assert len(lines) == count == report.entries
    last = json.loads(lines[-1])
    assert last["hash"] == report.head and last["seq"] == count
    types = {json.loads(line)["type"] for line in lines}
    assert {"sale.completed", "sale.voided", "refund.completed", "cash.in", "cash.out", "drawer.opened",
            "shift.opened", "shift.closed", "override.granted", "user.login", "user.login_failed",
            "user.logout"} <= types


def test_the_export_is_utf8_json_lines_in_seq_order(exported):
    path, _, _ = exported
    raw = path.read_bytes()
    assert "Comté".encode() in raw and b"\\u00e9" not in raw
    seqs = [json.loads(line)["seq"] for line in lines_of(path)]
    assert seqs == list(range(1, len(seqs) + 1))


def test_an_edited_amount_is_found(exported):
    path, _, _ = exported
    lines = lines_of(path)
    at = next(i for i, line in enumerate(lines) if b'"type":"sale.completed"' in line)
    lines[at] = lines[at].replace(b'"gross":"', b'"gross":"1', 1)
    assert first_bad_seq(verify_lines(lines)) == at + 1


def test_a_removed_line_is_found(exported):
    path, _, _ = exported
    lines = lines_of(path)
    del lines[6]
    problems = verify_lines(lines)
    assert first_bad_seq(problems) == 7


def test_swapped_lines_are_found(exported):
    path, _, _ = exported
    lines = lines_of(path)
    lines[3], lines[4] = lines[4], lines[3]
    assert first_bad_seq(verify_lines(lines)) == 4


def test_a_float_is_found(exported):
    path, _, _ = exported
    lines = lines_of(path)
    at = next(i for i, line in enumerate(lines) if b'"type":"cash.in"' in line)
    entry = json.loads(lines[at])
    text = lines[at].decode().replace(f'"amount":"{entry["data"]["amount"]}"', '"amount":20.0')
    lines[at] = text.encode()
    assert first_bad_seq(verify_lines(lines)) == at + 1


def test_a_negative_refund_line_is_found(exported):
    """Refund lines carry positive amounts (docs/design.md); flip one and re-hash the whole chain."""
    import hashlib

    from tests.support.independent_verifier import GENESIS, canonical

    path, _, _ = exported
    entries = [json.loads(line) for line in lines_of(path)]
    at = next(i for i, e in enumerate(entries) if e["type"] == "refund.completed")
    entries[at]["data"]["lines"][0]["gross"] = "-" + entries[at]["data"]["lines"][0]["gross"]
    prev = GENESIS
    for entry in entries:  # a forger who re-hashes everything still fails the content rule
        entry["prev"] = prev
        entry["hash"] = prev = hashlib.sha256(canonical(entry)).hexdigest()
    problems = verify_lines([json.dumps(e, ensure_ascii=False).encode() for e in entries])
    assert first_bad_seq(problems) == at + 1
    assert "positive" in problems[0][1]


def test_a_truncated_last_line_is_found(exported):
    path, _, _ = exported
    lines = lines_of(path)
    lines[-1] = lines[-1][: len(lines[-1]) // 2]
    assert first_bad_seq(verify_lines(lines)) == len(lines)


def test_key_order_and_escaping_in_the_file_do_not_matter(exported):
    """The hash covers the canonical form, not the file's spelling of it."""
    path, _, _ = exported
    respelled = [
        json.dumps(dict(reversed(list(json.loads(line).items()))), ensure_ascii=True, indent=None).encode()
        for line in lines_of(path)
    ]
    assert verify_lines(respelled) == []


def test_the_verifier_itself_refuses_a_wrong_genesis_and_a_foreign_till(tmp_path):
    import hashlib

    from tests.support.independent_verifier import canonical

    def entry(seq, prev, till="S001-T01"):
        body = {"v": 1, "till": till, "seq": seq, "ts": "2026-03-02T09:00:00.000000Z", "type": "user.login",
                "actor": "anna", "data": {"user_id": "anna"}, "prev": prev}
        return {**body, "hash": hashlib.sha256(canonical(body)).hexdigest()}

    first = entry(1, "1" * 64)
    assert first_bad_seq(verify_lines([json.dumps(first).encode()])) == 1
    good = entry(1, "0" * 64)
    foreign = entry(2, good["hash"], till="S999-T99")
    assert first_bad_seq(verify_lines([json.dumps(good).encode(), json.dumps(foreign).encode()])) == 2


def test_a_second_export_of_an_unchanged_till_is_identical(tmp_path):
    till = make_till(tmp_path / "t")
    shifts.open_shift(till.ctx, "anna", 0)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    audit.export(till.ctx, a)
    audit.export(till.ctx, b)
    assert a.read_bytes() == b.read_bytes()
    assert verify_export(a) == []
    assert not (tmp_path / "a.jsonl.part").exists()
