"""Head office consolidates a line's `unit_cost` as the entry has it: a decimal string, null
(unknown) or absent (an entry written before tills recorded it); anything else is refused like
any other bad amount, and the entry's actor goes with the document."""

from __future__ import annotations

from typing import Any

import pytest

from app.hq.consolidate import DataError, rows_for
from db.central.import_repo import CONSOLIDATED_COLUMNS


def _sale(*costs: Any) -> dict[str, Any]:
    lines = []
    for cost in costs:
        line = {"sku": "MILK1", "name": "Milk", "qty": "2.000", "unit_price": "1.19", "discount": "0.00",
                "net": "2.16", "tax": "0.22", "gross": "2.38", "tax_code": "B"}
        if cost != "absent":
            line["unit_cost"] = cost
        lines.append(line)
    return {"till": "S001-T01", "seq": 7, "ts": "2026-03-02T09:00:00.000000Z", "type": "sale.completed",
            "actor": "anna", "data": {
                "sale_id": "s-1", "receipt_no": "S001-T01-20260302-0001", "business_date": "2026-03-02",
                "shift_id": "sh-1", "customer_id": None, "lines": lines, "subtotal_discount": "0.00",
                "net": "2.16", "tax": "0.22", "gross": "2.38", "change": "0.00",
                "payments": [{"method": "cash", "amount": "2.38"}]}}


def test_a_known_an_unknown_and_an_unrecorded_cost_are_kept_apart() -> None:
    rows = rows_for(_sale("0.61", None, "absent", "0.00"), "S001")
    unit_cost = CONSOLIDATED_COLUMNS["doc_lines"].index("unit_cost")
    assert [line[unit_cost] for line in rows["doc_lines"]] == ["0.61", None, None, "0.00"]
    actor = CONSOLIDATED_COLUMNS["sales_docs"].index("actor")
    assert rows["sales_docs"][0][actor] == "anna"
    assert all(len(r) == len(CONSOLIDATED_COLUMNS[table]) for table, rs in rows.items() for r in rs)


@pytest.mark.parametrize("bad", ["abc", "1e3", 0.61, 61, "", ["0.61"]])
def test_a_cost_that_is_not_a_decimal_string_is_refused(bad: Any) -> None:
    with pytest.raises(DataError):
        rows_for(_sale(bad), "S001")
