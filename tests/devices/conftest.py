"""Shared fixtures: a real till database migrated to the spool revision, a fake network printer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import Engine

from db.engine import make_engine
from db.migrate import till_config
from devices.fakes.network_printer import FakeNetworkPrinter


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:
    eng = make_engine(tmp_path / "till.sqlite")
    cfg = till_config(eng)
    with eng.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003_print_spool")
        conn.commit()
    yield eng
    eng.dispose()


@pytest.fixture
def printer() -> Iterator[FakeNetworkPrinter]:
    with FakeNetworkPrinter() as fake:
        yield fake


SALE = {
    "sale_id": "6d1f0b52-1111-4a57-9e0a-000000000001",
    "receipt_no": "S001-T01-20261121-0007",
    "shift_id": "6d1f0b52-2222-4a57-9e0a-000000000002",
    "customer_id": None,
    "lines": [
        {"sku": "100", "name": "Café crème", "qty": "2.000", "unit_price": "3.20", "discount": "0.00",
         "net": "5.33", "tax": "1.07", "gross": "6.40", "tax_code": "A"},
        {"sku": "200", "name": "Pâté à l'ancienne", "qty": "0.345", "unit_price": "24.90", "discount": "0.50",
         "net": "7.67", "tax": "0.42", "gross": "8.09", "tax_code": "B"},
    ],
    "subtotal_discount": "0.00",
    "net": "13.00",
    "tax": "1.49",
    "gross": "14.49",
    "payments": [{"method": "cash", "amount": "20.00"}],
    "change": "5.51",
    "business_date": "2026-11-21",
}
