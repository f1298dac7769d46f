"""Building audit chains for central tests from real canonical entries (no till needed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.audit import checkpoint, merkle
from app.audit.format_v1 import GENESIS_PREV, make_entry


@dataclass
class Chain:
    till: str
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    rows: list[tuple[int, str, bytes]] = field(default_factory=list)
    start: datetime = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    @property
    def public(self) -> bytes:
        return checkpoint.public_bytes(self.key)

    @property
    def head(self) -> str:
        return self.rows[-1][1] if self.rows else GENESIS_PREV

    def add(self, type_: str, data: dict[str, Any], actor: str | None = "anna") -> tuple[int, str, bytes]:
        seq = len(self.rows) + 1
        ts = (self.start + timedelta(seconds=seq)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        _, body, digest = make_entry(till=self.till, seq=seq, ts=ts, type_=type_, actor=actor, data=data,
                                     prev=self.head)
        self.rows.append((seq, digest, body))
        return self.rows[-1]

    def checkpoint(self) -> tuple[int, str, bytes]:
        n = len(self.rows)
        root = merkle.root([body for _, _, body in self.rows]).hex()
        return self.add("audit.checkpoint", checkpoint.sign_checkpoint(self.key, self.till, n, root, self.head), None)

    def sale(self, day: str, n: int, shift: str = "sh1", gross: str = "3.50", method: str = "cash") -> None:
        self.add("sale.completed", {
            "business_date": day, "sale_id": f"{self.till}-s{n}", "receipt_no": f"{self.till}-{day}-{n:04d}",
            "shift_id": shift, "customer_id": None, "subtotal_discount": "0.00", "net": gross, "tax": "0.00",
            "gross": gross, "change": "0.00", "payments": [{"method": method, "amount": gross}],
            "lines": [{"sku": "MILK1", "name": "Milk", "qty": "1.000", "unit_price": gross, "discount": "0.00",
                       "net": gross, "tax": "0.00", "gross": gross, "tax_code": "B"}],
        })

    def day(self, day: str, sales: int, shift: str | None = None, close: bool = True) -> None:
        shift = shift or f"{self.till}-{day}"
        self.add("shift.opened", {"business_date": day, "shift_id": shift, "opening_float": "100.00"})
        for i in range(sales):
            self.sale(day, len(self.rows) + i, shift)
        if close:
            expected = str(Decimal("100.00") + Decimal("3.50") * sales)
            self.add("shift.closed", {"business_date": day, "shift_id": shift, "expected_cash": expected,
                                      "counted_cash": expected, "difference": "0.00"})
            self.checkpoint()
