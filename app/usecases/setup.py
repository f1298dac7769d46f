"""Setting a till up: users, tax rates, the catalogue import and the demo data."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from app.catalogue.importer import RowError, parse_catalogue
from app.context import TillContext
from app.domain.pins import hash_pin
from kernel.errors import InvalidInput
from kernel.money import parse_money
from kernel.records import CustomerInfo

ROLES = ("cashier", "supervisor", "admin")


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)


def add_user(ctx: TillContext, user_id: str, name: str, role: str, pin: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"A role is one of {', '.join(ROLES)}.")
    try:
        pin_hash = hash_pin(pin)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    with ctx.uow() as uow:
        uow.people.upsert_user(user_id=user_id, name=name, role=role, pin_hash=pin_hash, active=True,
                               now=ctx.now_iso())
        uow.commit()


def add_tax_rate(ctx: TillContext, code: str, name: str, rate_bp: int) -> None:
    if not 0 <= rate_bp <= 10000:
        raise InvalidInput("A tax rate is between 0 and 100 %.")
    with ctx.uow() as uow:
        uow.catalogue.upsert_tax_rate(code, name, rate_bp)
        uow.commit()


def import_catalogue(ctx: TillContext, path: Path, *, strict: bool = False) -> ImportReport:
    """Import valid rows in one transaction; bad rows are reported and none of them is written.
    With strict, any bad row refuses the whole file."""
    with ctx.uow(read_only=True) as uow:
        known_taxes = set(uow.catalogue.tax_rates())
    result = parse_catalogue(Path(path), exponent=ctx.settings.exponent, known_tax_codes=known_taxes)
    report = ImportReport(errors=list(result.errors))
    if strict and result.errors:
        return report
    now = ctx.now_iso()
    with ctx.uow() as uow:
        rows: list[dict[str, Any]] = []
        stock: list[tuple[str, int]] = []  # (product id, quantity on hand) from the file
        for position, row in enumerate(result.rows):
            category_id = None
            if row.category:
                category_id = uow.catalogue.category_id_by_name(row.category)
                if category_id is None:
                    category_id = f"cat-{uuid.uuid5(uuid.NAMESPACE_URL, row.category).hex[:12]}"
                    uow.catalogue.upsert_category(category_id, row.category, position)
            existing = uow.catalogue.by_sku(row.sku)
            product_id = existing.id if existing else str(uuid.uuid5(uuid.NAMESPACE_URL, f"sku:{row.sku}"))
            clash = next((c for c in row.barcodes if uow.catalogue.barcode_owner(c) not in (None, product_id)), None)
            if clash:
                report.errors.append(RowError(row_number=row.row_number, column="barcodes",
                                              message=f"The barcode {clash} already belongs to another product."))
                continue
            rows.append({
                "id": product_id, "sku": row.sku, "name": row.name, "category_id": category_id, "unit": row.unit,
                "price": row.price, "cost": row.cost, "tax_code": row.tax_code,
                "allow_negative_stock": row.allow_negative_stock, "active": row.active, "updated_at": now,
                "barcodes": row.barcodes,
            })
            if row.stock_milli is not None:
                stock.append((product_id, row.stock_milli))
        report.imported = uow.catalogue.upsert_products(rows)
        for product_id, qty in stock:
            uow.stock.set_on_hand(product_id, qty, "import", now)
        uow.commit()
    return report


def _demo_file(name: str) -> Path:
    return Path(str(resources.files("resources").joinpath("demo", name)))


def load_demo(ctx: TillContext) -> ImportReport:
    """Tax rates, users, customers and the demo catalogue (idempotent)."""
    setup = json.loads(_demo_file("setup.json").read_text(encoding="utf-8"))
    for rate in setup["tax_rates"]:
        add_tax_rate(ctx, rate["code"], rate["name"], int(rate["rate_bp"]))
    with ctx.uow() as uow:
        existing = {u.id for u in uow.people.users(active_only=False)}
    for user in setup["users"]:
        if user["id"] not in existing:
            add_user(ctx, user["id"], user["name"], user["role"], user["pin"])
    with ctx.uow() as uow:
        for position, category in enumerate(setup.get("categories", [])):
            name = category["name"] if isinstance(category, dict) else category
            cat_id = category.get("id") if isinstance(category, dict) else None
            uow.catalogue.upsert_category(cat_id or f"cat-{uuid.uuid5(uuid.NAMESPACE_URL, name).hex[:12]}", name,
                                          position)
        for c in setup["customers"]:
            uow.people.upsert_customer(CustomerInfo(
                id=c["id"], name=c["name"], customer_type=c.get("type", "retail"),
                credit_limit=parse_money(str(c["credit_limit"]), ctx.settings.exponent),
                terms_days=int(c.get("terms_days", 30)), blocked=bool(c.get("blocked", False)), central_balance=0,
            ), ctx.now_iso())
        if setup.get("quick_keys"):
            uow.settings.set("quick_keys", ",".join(setup["quick_keys"]))
        uow.commit()
    return import_catalogue(ctx, _demo_file("catalogue.csv"))
