"""Building real tills on real SQLite files for tests."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from app.bootstrap import DB_NAME, init_till, open_till, reload_settings
from app.context import TillContext
from app.domain.permissions import Approval
from app.usecases import setup
from db.engine import make_engine
from kernel.clock import ManualClock
from kernel.records import CustomerInfo

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PINS = {"anna": "1111", "ben": "2222", "sofia": "9999", "admin": "0000"}
BARCODES = {
    "milk": "4006381333931",
    "bread": "5901234123457",
    "cheese": "4012345678901",
    "free": "4000000000006",
}


@dataclass
class Till:
    ctx: TillContext
    clock: ManualClock
    data_dir: Path

    def approval(self, reason: str = "checked") -> Approval:
        return Approval(approver_id="sofia", pin=PINS["sofia"], reason=reason)


_TEMPLATE: Path | None = None


def make_till(data_dir: Path, *, clock: ManualClock | None = None, cash_rounding: int = 0) -> Till:
    """A fresh till in data_dir: a copy of one built once per process (scrypt-hashed PINs and
    migrations are slow on purpose, and every test needs the same starting point)."""
    global _TEMPLATE
    if _TEMPLATE is None:
        root = Path(tempfile.mkdtemp(prefix="tillstone-template-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        _build(root / "till", ManualClock(START))
        _TEMPLATE = root / "till"
    shutil.copytree(_TEMPLATE, data_dir, dirs_exist_ok=True)
    clock = clock or ManualClock(START)
    ctx = open_till(data_dir, clock)
    if cash_rounding:
        with ctx.uow() as uow:
            uow.settings.set("cash_rounding", str(cash_rounding))
            uow.commit()
        ctx = reload_settings(ctx)
    return Till(ctx=ctx, clock=clock, data_dir=data_dir)


@contextmanager
def database_engine(ctx: TillContext) -> Iterator[Engine]:
    """An engine of the test's own on the till's database file, for migrating it by hand. The
    context's connections are released first; its next unit of work connects again."""
    ctx.close()
    engine = make_engine(Path(ctx.data_dir) / DB_NAME)
    try:
        yield engine
    finally:
        engine.dispose()


def _build(data_dir: Path, clock: ManualClock) -> None:
    ctx = init_till(data_dir, store="S001", till="T01", clock=clock)
    setup.add_tax_rate(ctx, "A", "Standard 20%", 2000)
    setup.add_tax_rate(ctx, "B", "Reduced 10%", 1000)
    for uid, role in (("anna", "cashier"), ("ben", "cashier"), ("sofia", "supervisor"), ("admin", "admin")):
        setup.add_user(ctx, uid, uid.title(), role, PINS[uid])
    now = ctx.now_iso()
    with ctx.uow() as uow:
        uow.catalogue.upsert_category("dairy", "Dairy")
        rows = [
            ("p-milk", "MILK1", "Milk 1L", "each", 119, "B", [BARCODES["milk"]], False),
            ("p-bread", "BREAD", "Sourdough bread", "each", 349, "B", [BARCODES["bread"]], False),
            ("p-cheese", "CHEESE", "Comté cheese", "each", 1290, "A", [BARCODES["cheese"]], False),
            ("p-apple", "APPLE", "Apples", "kg", 299, "B", [], True),
            ("p-free", "FREE", "Free sample", "each", 0, "A", [BARCODES["free"]], True),
        ]
        uow.catalogue.upsert_products(
            {"id": pid, "sku": sku, "name": name, "category_id": "dairy", "unit": unit, "price": price, "cost": 0,
             "tax_code": tax, "allow_negative_stock": neg, "active": True, "updated_at": now, "barcodes": codes}
            for pid, sku, name, unit, price, tax, codes, neg in rows
        )
        for pid in ("p-milk", "p-bread", "p-cheese"):
            uow.stock.set_on_hand(pid, 50_000, "import", now)
        uow.people.upsert_customer(CustomerInfo("c-1", "Café Lumière", "wholesale", 10_000, 30, False, 0), now)
        uow.people.upsert_customer(CustomerInfo("c-2", "Blocked Ltd", "retail", 10_000, 30, True, 0), now)
        uow.commit()
    ctx.close()  # close every connection so the copy is a complete, quiet database
