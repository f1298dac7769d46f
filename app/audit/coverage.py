"""Which columns of the finalised tables `audit verify` does not hold to an entry, and why.

The rule: every column of every finalised table (each table with an `audit_seq` column, each
append-only table, and `audit_log` itself) is checked by `audit verify` against the entry that
created its row - through the entry's projection (app/audit/projections.py), its envelope (`ts`,
`actor`, `type`), the rows the entry implies (app/audit/effects.py), or a value recomputed from
those (a sum of lines, an id made of parent and position) - or it is listed here with the
reason it is not. tests/adversarial/test_tamper.py walks the SQLite schema, changes every
column that is not listed here, and fails unless `audit verify` names the row's entry; so a
new column cannot slip through unchecked.
"""

from __future__ import annotations

# table -> {column: why no entry pins it}
DERIVED: dict[str, dict[str, str]] = {
    "customer_ledger": {
        "id": "row key only: a charge or credit gets a fresh id that no entry holds (a payment's id is its payment "
              "id and is checked); every fact of the row is in its other columns, which are checked",
    },
    "cash_counts": {
        "id": "row key only (autoincrement); each line is checked by shift, kind, denomination and quantity",
    },
    "shifts": {
        "status": "the open shift's state: ACTIVE and SUSPENDED follow the shift.suspended and shift.resumed "
                  "entries and are not re-derived; CLOSED is checked (it must mean a close record exists)",
    },
}
