"""Every audit entry type the code writes has a readable description, and a description never
fails on data that is not what its type holds (the audit export must show a damaged log)."""

from __future__ import annotations

import re
from pathlib import Path

from app.reports.audit_describe import DESCRIPTIONS, describe
from app.reports.audit_entries import UNREADABLE, AuditRow

ROOT = Path(__file__).resolve().parents[2]
_LITERAL = re.compile(r'"([a-z]+\.[a-z_]+)"')


def written_types() -> set[str]:
    """Type names in the lines of app/ that append entries (type_=..., record(...), the constants)."""
    found: set[str] = set()
    for path in (ROOT / "app").rglob("*.py"):
        if path.name == "audit_describe.py":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if "type_" in line or "record(uow, ctx," in line or "_TYPE = " in line or "MASTER_APPLIED = " in line:
                found.update(_LITERAL.findall(line))
            if 'type_=f"cash.{kind}"' in line:
                found.update({"cash.in", "cash.out"})
    return found


def test_every_written_type_is_described() -> None:
    types = written_types()
    assert {"sale.completed", "cart.price_override", "audit.checkpoint", "master.applied", "customer.blocked",
            "cash.out"} <= types  # the scan sees each way an entry is written
    assert types - set(DESCRIPTIONS) == set()


def test_damaged_data_gets_a_sentence_not_an_error() -> None:
    for type_ in DESCRIPTIONS:
        for data in ({}, {"lines": 5, "payments": "x", "changes": [1], "counts": 3, "gross": {"a": 1}}):
            text = describe(AuditRow("S", "S-T", 1, None, type_, None, data, "0" * 64))
            assert text and len(text) <= 500 and text.isprintable()
    assert "not readable" in describe(AuditRow("S", "S-T", 1, None, UNREADABLE, None, {}, ""))
    hostile = describe(AuditRow("S", "S-T", 1, None, "cash.out", None, {"reason": "x\x1b[2J" + "y" * 9000,
                                                                         "amount": "1.00"}, ""))
    assert hostile.isprintable() and len(hostile) == 500
