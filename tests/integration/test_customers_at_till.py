"""Customers at the till (seed 003): a supervisor adds a customer offline, changes type and
contact details, adjusts a balance; account payments lower it. Each write is audited in its
transaction (`customer.created`, `customer.updated`, `credit.adjusted`) and `audit verify` holds
an adjustment's ledger row to its entry. Credit limit and terms are head office's unless the
till is standalone."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.domain.customer_fields import CustomerFields
from app.domain.permissions import Approval
from app.usecases import audit, customers, settings, shifts
from kernel.errors import ApprovalRequired, InvalidInput, PermissionDenied, StateError


def entries(ctx, type_):
    with ctx.uow(read_only=True) as uow:
        rows = uow.conn.execute(text("SELECT body FROM audit_log WHERE type = :t ORDER BY seq"), {"t": type_})
        return [json.loads(r[0]) for r in rows]


def count_rows(ctx, table):
    with ctx.uow(read_only=True) as uow:
        return uow.conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_a_supervisor_adds_a_customer_who_is_audited_and_found(till):
    ctx = till.ctx
    cid = customers.add_customer(ctx, "sofia", CustomerFields(
        name="  Bäckerei Nord ", customer_type="WHOLESALE", contact_person="Jo Frank", phone="+49 30 1234-56",
        email="jo@example.org"))
    info = customers.credit_status(ctx, cid).customer
    assert (info.name, info.customer_type, info.contact_person, info.phone, info.email) == (
        "Bäckerei Nord", "wholesale", "Jo Frank", "+49 30 1234-56", "jo@example.org")
    assert (info.credit_limit, info.terms_days, info.blocked) == (0, 30, False)
    [entry] = entries(ctx, "customer.created")
    assert entry["actor"] == "sofia"
    assert entry["data"] == {
        "customer_id": cid, "name": "Bäckerei Nord", "customer_type": "wholesale", "contact_person": "Jo Frank",
        "phone": "+49 30 1234-56", "email": "jo@example.org", "credit_limit": "0.00", "terms_days": 30,
        "approved_by": "sofia"}
    assert audit.verify(ctx).ok


def test_a_cashier_needs_a_supervisor_to_add_or_change_a_customer(till):
    ctx = till.ctx
    before = count_rows(ctx, "customers")
    with pytest.raises(ApprovalRequired, match="add or change a customer"):
        customers.add_customer(ctx, "anna", CustomerFields(name="Walk-in Ltd"))
    assert count_rows(ctx, "customers") == before
    cid = customers.add_customer(ctx, "anna", CustomerFields(name="Walk-in Ltd"), approval=till.approval())
    [entry] = entries(ctx, "customer.created")
    assert (entry["actor"], entry["data"]["approved_by"]) == ("anna", "sofia")
    assert entries(ctx, "override.granted")[-1]["data"]["action"] == "customer_edit"
    with pytest.raises(ApprovalRequired):
        customers.update_customer(ctx, "anna", cid, CustomerFields(phone="030 555"))


def test_contact_details_change_with_from_and_to(till):
    ctx = till.ctx
    updated = customers.update_customer(ctx, "sofia", "c-1", CustomerFields(
        customer_type="RETAIL", contact_person="Marie", email="marie@cafe.example", phone="0301234"))
    assert (updated.customer_type, updated.contact_person, updated.email) == ("retail", "Marie", "marie@cafe.example")
    [entry] = entries(ctx, "customer.updated")
    assert entry["data"]["changes"] == {
        "customer_type": {"from": "wholesale", "to": "retail"}, "contact_person": {"from": "", "to": "Marie"},
        "email": {"from": "", "to": "marie@cafe.example"}, "phone": {"from": "", "to": "0301234"}}
    with pytest.raises(InvalidInput, match="Nothing was changed"):
        customers.update_customer(ctx, "sofia", "c-1", CustomerFields(contact_person="Marie"))
    assert len(entries(ctx, "customer.updated")) == 1


def test_credit_limit_and_terms_only_on_a_standalone_till(till):
    ctx = till.ctx
    assert customers.standalone(ctx)
    customers.update_customer(ctx, "sofia", "c-1", CustomerFields(credit_limit=25_000, terms_days=14))
    info = customers.credit_status(ctx, "c-1").customer
    assert (info.credit_limit, info.terms_days) == (25_000, 14)
    assert entries(ctx, "customer.updated")[-1]["data"]["changes"] == {
        "credit_limit": {"from": "100.00", "to": "250.00"}, "terms_days": {"from": 30, "to": 14}}
    (till.data_dir / "central.json").write_text("{}")  # connected once: head office owns credit now
    assert not customers.standalone(ctx)
    with pytest.raises(StateError, match="set by head office"):
        customers.update_customer(ctx, "sofia", "c-1", CustomerFields(credit_limit=1))
    with pytest.raises(StateError, match="set by head office"):
        customers.add_customer(ctx, "sofia", CustomerFields(name="New", terms_days=60))
    customers.update_customer(ctx, "sofia", "c-1", CustomerFields(phone="0401"))  # contact details still can


def test_the_standalone_setting_switches_it_off(till):
    ctx = settings.update(till.ctx, "admin", {"standalone": "false"})
    assert not customers.standalone(ctx)
    with pytest.raises(StateError, match="set by head office"):
        customers.update_customer(ctx, "sofia", "c-1", CustomerFields(credit_limit=1))


def test_an_account_payment_lowers_the_balance_and_is_a_credit_adjustment(till):
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    customers.adjust_balance(ctx, "sofia", "c-1", 3_000, "Opening balance from the old ledger")
    assert customers.take_account_payment(ctx, "c-1", "anna", 1_000, "cash") == 2_000
    adjusted = entries(ctx, "credit.adjusted")
    assert [e["data"]["kind"] for e in adjusted] == ["adjustment", "payment"]
    payment = adjusted[1]["data"]
    assert (payment["amount"], payment["balance_before"], payment["balance_after"], payment["method"]) == (
        "-10.00", "30.00", "20.00", "cash")
    [cash_in] = [e for e in entries(ctx, "cash.in") if e["data"].get("customer_id") == "c-1"]
    assert payment["ref"] == cash_in["data"]["movement_id"]
    assert adjusted[1]["seq"] == cash_in["seq"] + 1  # written together, in the payment's transaction
    assert customers.credit_status(ctx, "c-1").balance == 2_000
    assert audit.verify(ctx).ok


def test_a_manual_adjustment_is_held_to_its_entry_by_verify(till):
    ctx = till.ctx
    balance = customers.adjust_balance(ctx, "sofia", "c-1", -2_500, "Goodwill credit")
    assert balance == -2_500
    [entry] = entries(ctx, "credit.adjusted")
    assert entry["data"]["approved_by"] == "sofia" and entry["data"]["reason"] == "Goodwill credit"
    assert audit.verify(ctx).ok
    with ctx.uow() as uow:  # a ledger row changed behind the till's back
        uow.conn.execute(text("DROP TRIGGER customer_ledger_no_update"))
        uow.conn.execute(text("UPDATE customer_ledger SET amount = -250000 WHERE kind = 'adjustment'"))
        uow.commit()
    report = audit.verify(ctx)
    assert not report.ok
    assert entry["seq"] in {p.seq for p in report.problems}


def test_adjustments_need_a_supervisor_and_a_reason(till):
    ctx = till.ctx
    with pytest.raises(ApprovalRequired, match="adjust a customer's balance"):
        customers.adjust_balance(ctx, "anna", "c-1", 100, "x")
    bad = [(0, "why", "zero"), (10**12, "why", "too large"), (1.5, "why", "exactly"), (True, "why", "exactly"),
           (100, "", "reason"), (100, "a\x1b[2Jb", "control"), (100, "x" * 121, "at most 120")]
    for amount, reason, match in bad:
        with pytest.raises(InvalidInput, match=match):
            customers.adjust_balance(ctx, "sofia", "c-1", amount, reason)
    with pytest.raises(PermissionDenied):
        customers.adjust_balance(ctx, "anna", "c-1", 100, "x", approval=Approval("sofia", "0001", "r"))
    assert entries(ctx, "credit.adjusted") == [] and count_rows(ctx, "customer_ledger") == 0


@pytest.mark.parametrize(("fields", "match"), [
    (CustomerFields(name="x" * 10_000), "at most 120"),
    (CustomerFields(name="   "), "needs a name"),
    (CustomerFields(name="Evil\x1b[2J"), "control characters"),
    (CustomerFields(name="Two\nlines"), "control characters"),
    (CustomerFields(name="Ok", email="not-an-email"), "not an e-mail address"),
    (CustomerFields(name="Ok", email="a@b"), "not an e-mail address"),
    (CustomerFields(name="Ok", email="a b@c.de"), "not an e-mail address"),
    (CustomerFields(name="Ok", email="x" * 10_000 + "@example.org"), "at most 254"),
    (CustomerFields(name="Ok", phone="call me"), "phone number"),
    (CustomerFields(name="Ok", phone="1" * 41), "at most 40"),
    (CustomerFields(name="Ok", customer_type="VIP"), "RETAIL or WHOLESALE"),
    (CustomerFields(name="Ok", contact_person="\x00"), "control characters"),
    (CustomerFields(name="Ok", credit_limit=-1), "between 0"),
    (CustomerFields(name="Ok", terms_days=366), "between 0 and 365"),
    (CustomerFields(name="Ok", terms_days=True), "whole number"),
    (CustomerFields(name=None), "needs a name"),
])
def test_hostile_customer_fields_are_refused_and_nothing_is_written(till, fields, match):
    ctx = till.ctx
    before = count_rows(ctx, "customers"), count_rows(ctx, "audit_log")
    with pytest.raises(InvalidInput, match=match):
        customers.add_customer(ctx, "sofia", fields)
    if fields.name is not None and fields.name.strip():
        with pytest.raises(InvalidInput, match=match):
            customers.update_customer(ctx, "sofia", "c-1", fields)
    assert (count_rows(ctx, "customers"), count_rows(ctx, "audit_log")) == before


def test_negative_and_fractional_account_payments_are_refused(till):
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    before = count_rows(ctx, "audit_log")
    for amount, match in ((-500, "more than zero"), (0, "more than zero"), (2.5, "exactly")):
        with pytest.raises(InvalidInput, match=match):
            customers.take_account_payment(ctx, "c-1", "anna", amount, "cash")
    assert count_rows(ctx, "audit_log") == before and count_rows(ctx, "customer_ledger") == 0


def test_a_customer_added_offline_buys_on_account_within_the_limit_set_here(till):
    from tests.integration.test_customers_credit import on_account

    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    cid = customers.add_customer(ctx, "sofia", CustomerFields(name="Kiosk am Markt", credit_limit=5_000))
    _cart, result = on_account(till, cid)
    assert result.status == "COMPLETED"
    assert customers.credit_status(ctx, cid).balance == 1_290
    assert audit.verify(ctx).ok
