"""Promotions on a real till: imported from a file, applied to every cart change, recorded per
line in the sale, on the Z report, refunded at the price paid, and held by audit verify."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from app.cli.main import main
from app.queries.carts import cart_view
from app.reports.daily import x_report, z_report
from app.usecases import cart_customer, cart_lifecycle, cart_lines, checkout, returns, shifts
from app.usecases import settings as settings_uc
from app.usecases.promotions import import_promotions
from tests.support.till import BARCODES

HEADER = "id,name,kind,skus,categories,buy,pay,bundle_price,percent,amount_off,prices,customer_group," \
         "starts_at,ends_at,daily_from,daily_to\n"


def promotions_file(tmp_path, *rows: str):
    path = tmp_path / "promotions.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def open_till(till):
    shifts.open_shift(till.ctx, "anna", 10000)
    return till


def scan(till, cart, code, times=1):
    for _ in range(times):
        cart_lines.add_item(till.ctx, cart, "anna", BARCODES[code])


def entries(till, type_):
    with till.ctx.uow(read_only=True) as uow:
        return [json.loads(body)["data"] for _seq, body, _hash in uow.audit.of_types((type_,))]


def verify_ok(till, capsys):
    code = main(["--data-dir", str(till.data_dir), "audit", "verify", "--json"])
    out = capsys.readouterr().out
    assert code == 0, out


@pytest.mark.parametrize(("units", "discount"), [(2, 0), (3, 119), (4, 119), (5, 119), (6, 238), (7, 238)])
def test_three_for_two_repeats_at_higher_quantities(open_till, tmp_path, units, discount):
    import_promotions(open_till.ctx, promotions_file(tmp_path, "1,Milk 3 for 2,multibuy,MILK1,,3,2"))
    cart = cart_lifecycle.start_cart(open_till.ctx, "anna")
    scan(open_till, cart, "milk", units)
    line = cart_view(open_till.ctx, cart).priced.lines[0]
    assert (line.promotion_id if discount else None, line.promotion_discount) == (1 if discount else None,
                                                                                  discount)
    assert line.gross == units * 119 - discount


def test_a_sale_records_its_promotions_and_verify_and_z_agree(open_till, tmp_path, capsys):
    ctx = open_till.ctx
    import_promotions(ctx, promotions_file(
        tmp_path, "1,Milk 3 for 2,multibuy,MILK1,,3,2", "2,Bread 2 for 5.00,multibuy,BREAD,,2,,5.00",
        "3,Cheese 10%,category,CHEESE,,,,,10"))
    cart = cart_lifecycle.start_cart(ctx, "anna")
    scan(open_till, cart, "bread")
    scan(open_till, cart, "milk", 4)
    scan(open_till, cart, "cheese")
    scan(open_till, cart, "bread")
    due = checkout.amount_due(ctx, cart).due
    assert due == 349 * 2 + 119 * 4 + 1290 - (698 - 500) - 119 - 129
    sale = checkout.add_payment(ctx, cart, "anna", "card", due).sale
    data = entries(open_till, "sale.completed")[-1]
    by_sku = {ln["sku"]: ln for ln in data["lines"]}
    assert (by_sku["MILK1"]["promotion_id"], by_sku["MILK1"]["promotion_discount"]) == (1, "1.19")
    assert (by_sku["BREAD"]["promotion_id"], by_sku["BREAD"]["promotion_discount"]) == (2, "1.98")
    assert (by_sku["CHEESE"]["promotion_id"], by_sku["CHEESE"]["discount"]) == (3, "1.29")
    assert sum(ln.promotion_discount for ln in sale.lines) == 119 + 198 + 129
    report = x_report(ctx, user_id="sofia")
    assert report["discount_for_lineitems"]["amount"] == "4.46"
    verify_ok(open_till, capsys)


def test_a_refund_returns_the_promoted_price_paid(open_till, tmp_path, capsys):
    ctx = open_till.ctx
    import_promotions(ctx, promotions_file(tmp_path, "1,Milk 3 for 2,multibuy,MILK1,,3,2"))
    cart = cart_lifecycle.start_cart(ctx, "anna")
    scan(open_till, cart, "milk", 3)
    sale = checkout.add_payment(ctx, cart, "anna", "card", 238).sale
    back = returns.refund(ctx, sale.receipt_no, "sofia", [(sale.lines[0].id, 3000)])
    assert back.gross == 238  # what was paid, not 3 x 1.19
    verify_ok(open_till, capsys)


def test_happy_hour_boundaries_are_the_stores_wall_clock(till, tmp_path):
    till.ctx = settings_uc.update(till.ctx, "admin", {"timezone": "Europe/Berlin"})
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    import_promotions(ctx, promotions_file(tmp_path, "5,Happy hour,category,,Dairy,,,,50,,,,,,17:00,18:00"))
    cart = cart_lifecycle.start_cart(ctx, "anna")
    scan(till, cart, "bread")
    seen = []
    for hour, minute in ((15, 59), (16, 0), (16, 59), (17, 0)):  # UTC; Berlin is UTC+1 in March
        till.clock.set(datetime(2026, 3, 2, hour, minute, tzinfo=UTC))
        seen.append(cart_view(ctx, cart).priced.lines[0].promotion_discount)
    assert seen == [0, 175, 175, 0]


def test_a_wholesale_customer_gets_the_price_list(open_till, tmp_path, capsys):
    ctx = open_till.ctx
    import_promotions(ctx, promotions_file(tmp_path, "7,Wholesale,price_list,,,,,,,,CHEESE=9.90;MILK1=0.99,wholesale"))
    cart = cart_lifecycle.start_cart(ctx, "anna")
    scan(open_till, cart, "cheese", 2)
    assert cart_view(ctx, cart).priced.gross == 2580  # a walk-in customer pays the shelf price
    cart_customer.attach_customer(ctx, cart, "anna", "c-1")  # Café Lumière, wholesale
    priced = cart_view(ctx, cart).priced
    assert (priced.lines[0].promotion_id, priced.gross) == (7, 1980)
    checkout.add_payment(ctx, cart, "anna", "card", 1980)
    verify_ok(open_till, capsys)


def test_the_z_report_agrees_with_the_audit_log_on_a_day_with_promotions(open_till, tmp_path):
    ctx = open_till.ctx
    import_promotions(ctx, promotions_file(tmp_path, "1,Milk 3 for 2,multibuy,MILK1,,3,2",
                                           "3,Dairy 5%,category,,Dairy,,,,5"))
    for n in range(1, 6):
        cart = cart_lifecycle.start_cart(ctx, "anna")
        scan(open_till, cart, "milk", n)
        scan(open_till, cart, "bread", n % 2)
        checkout.add_payment(ctx, cart, "anna", "cash", checkout.amount_due(ctx, cart).due_in_cash)
    with ctx.uow(read_only=True) as uow:
        expected = uow.shifts.expected_cash(uow.shifts.open_shift().id)
    shifts.close_shift(ctx, "anna", expected)
    report = z_report(ctx, user_id="sofia")
    sales = entries(open_till, "sale.completed")
    promo = sum(int(ln["promotion_discount"].replace(".", "")) for s in sales for ln in s["lines"])
    discounts = sum(int(ln["discount"].replace(".", "")) for s in sales for ln in s["lines"])
    assert promo > 0 and promo == discounts  # no cashier discounts today
    assert int(report["discount_for_lineitems"]["amount"].replace(".", "")) == discounts
    assert int(report["sales_net"]["amount"].replace(".", "")) == sum(int(s["gross"].replace(".", "")) for s in sales)
