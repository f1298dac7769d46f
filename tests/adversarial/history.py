"""One till with a row in every finalised table: what the adversarial tests copy and attack.

A shift opened and closed by denomination, sales in cash, by card (with a reference), on account
and with a line discount, a void and refunds (one to the account), cash in and out, a no-sale, an
account payment in cash and one by card, a delivery, a cash shortage raised and resolved, and
the Z report that closes the day.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from app.bootstrap import DB_NAME
from app.reports import daily
from app.usecases import (
    audit,
    cart_customer,
    cart_discounts,
    cart_lifecycle,
    cart_lines,
    checkout,
    customers,
    discrepancies,
    returns,
    shifts,
    stock,
)
from tests.support.till import BARCODES, make_till


def _sell(till, codes: list[str], pay: list[tuple[str, int]], *, customer: str | None = None,  # type: ignore[no-untyped-def]
          discount: str | None = None, reference: str | None = None):
    ctx = till.ctx
    till.clock.advance(minutes=4)  # every record at its own time, so a changed time is a changed value
    c = cart_lifecycle.start_cart(ctx, "anna")
    for code in codes:
        line = cart_lines.add_item(ctx, c, "anna", BARCODES[code])
    if discount:
        cart_discounts.set_line_discount(ctx, c, line.id, "anna", percent=discount)
    if customer:
        cart_customer.attach_customer(ctx, c, "anna", customer)
    for method, amount in pay:
        result = checkout.add_payment(ctx, c, "anna", method, amount, reference=reference)
    return result.sale


def build(root: Path) -> tuple[Path, dict[str, Any]]:
    """The till's data directory, and the seqs and ids tests aim at."""
    till = make_till(root / "till")
    ctx = till.ctx
    with ctx.uow() as uow:
        uow.settings.set("cash_tolerance", "100")
        uow.commit()
    shifts.open_shift(ctx, "anna", counts={"20.00": 5, "1.00": 10})
    cash = _sell(till, ["cheese", "milk"], [("cash", 2000)], discount="10")
    card = _sell(till, ["bread"], [("card", 349)], reference="AUTH-7731")
    on_account = _sell(till, ["milk"], [("account", 119)], customer="c-1")
    voided = _sell(till, ["bread"], [("account", 349)], customer="c-1")
    till.clock.advance(minutes=1)
    void = returns.void_sale(ctx, voided.receipt_no, "anna", "wrong account", approval=till.approval())
    refund = returns.refund(ctx, cash.receipt_no, "anna", [(cash.lines[1].id, 1000)], approval=till.approval())
    account_refund = returns.refund(ctx, on_account.receipt_no, "anna", [(on_account.lines[0].id, 1000)],
                                    approval=till.approval())
    till.clock.advance(minutes=9)
    shifts.cash_in(ctx, "anna", 500, "change from the bank")
    shifts.cash_out(ctx, "anna", 300, "window cleaner", approval=till.approval())
    shifts.no_sale(ctx, "anna", "customer wanted change", approval=till.approval())
    customers.take_account_payment(ctx, "c-1", "anna", 200, "cash")
    customers.take_account_payment(ctx, "c-1", "anna", 100, "card")
    stock.receive(ctx, "anna", "MILK1", 12_000)
    with ctx.uow(read_only=True) as uow:
        expected = uow.shifts.expected_cash(uow.shifts.open_shift().id)
    counts = {"20.00": 5, "1.00": 10}  # the float; the rest in 1.00 coins, 5.00 short
    counts["1.00"] += (expected - 11_000 - 500) // 100
    till.clock.advance(hours=6)
    closed = shifts.close_shift(ctx, "anna", counts=counts, note="counted twice")
    [raised] = closed["discrepancies"]
    discrepancies.resolve(ctx, "sofia", raised, "note found in the safe")
    daily.z_report(ctx, user_id="sofia")
    report = audit.verify(ctx)
    assert report.ok, report.as_dict()
    ctx.close()
    con = sqlite3.connect(till.data_dir / DB_NAME)
    seq_of = {name: con.execute(sql).fetchone()[0] for name, sql in {
        "cash_in": "SELECT audit_seq FROM cash_movements WHERE kind = 'in' AND reason LIKE 'change%'",
        "cash_out": "SELECT audit_seq FROM cash_movements WHERE kind = 'out'",
        "account_cash": "SELECT audit_seq FROM cash_movements WHERE reason LIKE 'Account payment%'",
        "account_card": "SELECT seq FROM audit_log WHERE type = 'account.payment'",
        "delivery": "SELECT seq FROM audit_log WHERE type = 'stock.received'",
        "close": "SELECT audit_seq FROM shift_closes",
        "z": "SELECT audit_seq FROM z_reports",
    }.items()}
    con.close()
    return till.data_dir, {
        **seq_of, "cash": cash.audit_seq, "card": card.audit_seq, "on_account": on_account.audit_seq,
        "voided": voided.audit_seq, "void": void.audit_seq, "refund": refund.audit_seq,
        "account_refund": account_refund.audit_seq, "cash_id": cash.id, "on_account_id": on_account.id,
        "head": report.entries,
    }
