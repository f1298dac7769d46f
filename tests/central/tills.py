"""Real tills (SQLite, real use cases via `simulate`) enrolled in a central test database."""

from __future__ import annotations

import json
from pathlib import Path

from app.audit import checkpoint
from app.bootstrap import init_till, open_till
from app.hq import enrol as enrolment
from app.simulate.runner import simulate
from app.sync.connection import CentralSettings, read_file
from app.usecases.checkpoints import ensure_till_key
from app.usecases.setup import load_demo


def make_synced_till(url: str, data_dir: Path, store: str, till: str = "T01", *, days: int = 2,
                     sales: int = 20, seed: int = 1) -> tuple[object, CentralSettings]:
    """A till that sold offline for `days`, enrolled with its own key and connected."""
    ctx = init_till(data_dir, store=store, till=till)
    load_demo(ctx)
    public = ensure_till_key(data_dir)
    if days:
        simulate(ctx, days, sales, seed=seed)
    settings = enrolment.enrol(url, store=store, till_id=till, public_key=public)
    out = data_dir.parent / f"{store}-{till}.central.json"
    out.write_text(json.dumps(settings.to_json()))
    enrolment.install(data_dir, read_file(out), ctx.settings.audit_till)
    assert checkpoint.load_public_key(data_dir) == public
    return open_till(data_dir), settings


def audit_rows(ctx) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    with ctx.uow(read_only=True) as uow:
        return [(seq, digest) for seq, _body, _prev, digest in uow.audit.iter_raw()]


# -- selling offline and head office's side of stock (tests/central/test_pull_stock.py) ----------
DEMO_CASHIER, DEMO_SUPERVISOR = "u-anna", ("u-sofia", "5555")


def product_id(ctx, sku: str) -> str:  # type: ignore[no-untyped-def]
    with ctx.uow(read_only=True) as uow:
        return uow.catalogue.by_sku(sku).id


def sell_units(ctx, barcode: str, units: int):  # type: ignore[no-untyped-def]
    """One cash sale of `units` pieces through the real use cases (a shift is opened if needed)."""
    from app.usecases import cart_lifecycle, cart_lines, checkout, shifts

    if shifts.current_shift(ctx) is None:
        shifts.open_shift(ctx, DEMO_CASHIER, 10_000)
    cart_id = cart_lifecycle.start_cart(ctx, DEMO_CASHIER)
    for _ in range(units):
        cart_lines.add_item(ctx, cart_id, DEMO_CASHIER, barcode)
    result = checkout.add_payment(ctx, cart_id, DEMO_CASHIER, "cash", 100_000)
    assert result.status == "COMPLETED"
    return result.sale


def on_hand(ctx, pid: str) -> int:  # type: ignore[no-untyped-def]
    with ctx.uow(read_only=True) as uow:
        return uow.stock.on_hand(pid)


def publish_products(conn, store: str, ctx, skus: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Head office lists the till's demo products (same ids) for the store, with their tax rates."""
    from db.central import pull_repo

    with ctx.uow(read_only=True) as uow:
        products = [uow.catalogue.by_sku(sku) for sku in skus]
        rates = uow.catalogue.tax_rates()
    pull_repo.upsert_master(conn, "md_tax_rates", [{"code": c, "name": rates[c][0], "rate_bp": rates[c][1]}
                                                   for c in {p.tax_code for p in products}])
    pull_repo.upsert_master(conn, "md_products", [
        {"id": p.id, "store_id": store, "sku": p.sku, "name": p.name, "unit": p.unit, "price": p.price,
         "tax_code": p.tax_code, "allow_negative_stock": p.allow_negative_stock}
        for p in products
    ])


# -- customers on account and head office's side of their balances (tests/central/test_pull_balances.py) --
def charge_on_account(ctx, customer_id: str, barcode: str, units: int, approval=None):  # type: ignore[no-untyped-def]
    """One sale of `units` pieces put wholly on the customer's account through the real use cases."""
    from app.usecases import cart_customer, cart_lifecycle, cart_lines, checkout, shifts

    if shifts.current_shift(ctx) is None:
        shifts.open_shift(ctx, DEMO_CASHIER, 10_000)
    cart_id = cart_lifecycle.start_cart(ctx, DEMO_CASHIER)
    for _ in range(units):
        cart_lines.add_item(ctx, cart_id, DEMO_CASHIER, barcode)
    cart_customer.attach_customer(ctx, cart_id, DEMO_CASHIER, customer_id)
    due = checkout.amount_due(ctx, cart_id).due
    result = checkout.add_payment(ctx, cart_id, DEMO_CASHIER, "account", due, approval=approval)
    assert result.status == "COMPLETED"
    return result.sale


def balance(ctx, customer_id: str) -> int:  # type: ignore[no-untyped-def]
    from app.usecases import customers

    return customers.credit_status(ctx, customer_id).balance


def publish_customer(conn, customer_id: str, name: str, credit_limit: int, terms_days: int = 30) -> None:  # type: ignore[no-untyped-def]
    """Head office lists a customer (the demo's id on every till) with a credit limit in minor units
    and nothing owed yet."""
    from db.central import pull_repo

    pull_repo.upsert_master(conn, "md_customers", [{"id": customer_id, "name": name, "customer_type": "wholesale",
                                                    "credit_limit": credit_limit, "terms_days": terms_days,
                                                    "central_balance": 0}])
