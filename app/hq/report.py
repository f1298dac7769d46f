"""`hq report daily`: the store-level Z report from verified, consolidated data.

Refused while any till of the store has a shift open that day, entries pushed but not yet
verified, integrity problems, or sent nothing for that day (unless it is allowed to be missing:
then the report names it) (seed 001's rule: a daily report only over complete data).
Keys follow the till's X/Z report (docs/design.md), with `report_scope` "daily" and `store`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import psycopg

from db.central import report_repo


class ReportRefused(RuntimeError):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def _s(value: Decimal | int) -> str:
    """Money at two decimals (the scale the audit entries use for EUR-like currencies)."""
    return str(Decimal(value).quantize(Decimal("0.01")))


def _q(value: Decimal | int) -> str:
    """Quantities at three decimals, as in the audit log."""
    return str(Decimal(value).quantize(Decimal("0.001")))


def daily(conn: psycopg.Connection, store: str, day: date, allow_missing: frozenset[str] = frozenset()
          ) -> dict[str, Any]:
    """The daily report for one store and business date, or ReportRefused with the reasons.
    `allow_missing` names tills (full id or the part after the store) that may have sent nothing."""
    with conn.transaction():
        reasons = report_repo.blockers(conn, store, day)
        silent = report_repo.silent_tills(conn, store, day)
        allowed = {t.upper() for t in allow_missing} | {f"{store}-{t.upper()}" for t in allow_missing}
        missing = [t for t in silent if t in allowed]
        reasons += [f"till {t} sent nothing for {day} (pass --allow-missing {t} if it did not trade)"
                    for t in silent if t not in allowed]
        if reasons:
            raise ReportRefused(reasons)
        f = report_repo.daily_figures(conn, store, day)
    line_disc, sub_disc = Decimal(f["line_discount"]), Decimal(f["subtotal_discount"])
    sales_paid, refunds = Decimal(f["sales_gross"]), Decimal(f["refund_gross"])
    payments = {m: (Decimal(a), n) for m, a, n in f["payments"]}
    cash_taken = payments.get("cash", (Decimal(0), 0))[0] - Decimal(f["change"])
    if "cash" in payments:
        payments["cash"] = (cash_taken, payments["cash"][1])
    (in_n, in_amt), (out_n, out_amt) = f["cash_in"], f["cash_out"]
    logical = Decimal(f["opening_float"]) + cash_taken + Decimal(in_amt) - Decimal(out_amt)
    physical = Decimal(f["counted_cash"])
    return {
        "report_scope": "daily", "store": store, "business_date": day.isoformat(), "till": None,
        "tills": f["tills"], "missing_tills": missing,
        "sales_gross": {"amount": _s(sales_paid + line_disc + sub_disc), "quantity": _q(f["sales_qty"]),
                        "count": f["sales_count"]},
        "sales_net": {"amount": _s(sales_paid - refunds), "quantity": _q(f["sales_qty"] - f["refund_qty"]),
                      "count": f["sales_count"]},
        "discount_for_lineitems": {"amount": _s(line_disc), "quantity": "0.000", "count": f["line_discount_count"]},
        "discount_for_subtotal": {"amount": _s(sub_disc), "quantity": "0.000", "count": f["subtotal_discount_count"]},
        "returns": {"amount": _s(refunds), "quantity": _q(f["refund_qty"]), "count": f["refund_count"]},
        "taxes": [{"tax_name": code, "tax_amount": _s(tax), "target_amount": _s(base), "target_quantity": _q(qty)}
                  for code, tax, base, qty in f["taxes"]],
        "payments": [{"payment_name": m, "amount": _s(a), "count": n} for m, (a, n) in sorted(payments.items())],
        "cash": {
            "logical_amount": _s(logical), "physical_amount": _s(physical),
            "difference_amount": _s(physical - logical),
            "cash_in": {"amount": _s(in_amt), "count": in_n}, "cash_out": {"amount": _s(out_amt), "count": out_n},
        },
    }


def stores(conn: psycopg.Connection) -> list[str]:
    return report_repo.stores(conn)


def stock(conn: psycopg.Connection, store: str) -> dict[str, Any]:
    """Stock reconciled across the store's tills; `oversold` lists products sold past their stock.

    Head office's on-hand (md_stock, thousandths) already includes each till's entries up to its
    counted mark (md_stock_counted, none without one); only what later entries sold, less what
    voids gave back and refunds took back, is taken off it, so no sale is counted twice.
    """
    rows = []
    with conn.transaction():
        data = report_repo.stock_after_counted(conn, store)
    for sku, on_hand_milli, sold, voided, refunded in data:
        moved = Decimal(sold) - Decimal(voided) - Decimal(refunded)
        on_hand = None if on_hand_milli is None else Decimal(on_hand_milli) / 1000
        remaining = None if on_hand is None else on_hand - moved
        rows.append({"sku": sku, "on_hand": None if on_hand is None else _q(on_hand), "sold": _q(sold),
                     "voided": _q(voided), "refunded": _q(refunded),
                     "remaining": None if remaining is None else _q(remaining),
                     "oversold": remaining is not None and remaining < 0})
    return {"store": store, "products": rows, "oversold": [r["sku"] for r in rows if r["oversold"]]}
