"""The one calculation behind X (flash), Z (daily) and shift reports.

Meanings (docs/design.md, "X and Z reports"), tax included throughout:
- sales_net = gross of kept (not voided) sales - gross of refunds;
- sales_gross = kept sales before line and subtotal discounts (gross + both discounts);
- so sales_gross - discount_for_lineitems - discount_for_subtotal - returns = sales_net exactly;
- payments per method: tendered of kept sales (cash net of change) - refund payments;
- cash.logical = opening floats + cash payments net of change and cash refunds + cash in - cash out.
"""

from __future__ import annotations

from typing import Any

from kernel.money import format_money, format_qty


def _tmpl(amount: int, qty: int, count: int, exp: int) -> dict[str, Any]:
    return {"amount": format_money(amount, exp), "quantity": format_qty(qty), "count": count}


def sales_report(f: dict[str, Any], tax_names: dict[str, str], exp: int) -> dict[str, Any]:
    """Report body (docs/design.md keys) from ReportQueries.figures; amounts as decimal strings."""
    net = f["sales_gross_paid"] - f["refund_gross"]
    gross = f["sales_gross_paid"] + f["line_discount"] + f["subtotal_discount"]
    cash_payments = f["payments"].get("cash", {}).get("amount", 0)
    cash_in, cash_out = f["cash_in"], f["cash_out"]
    logical = f["opening_floats"] + cash_payments + cash_in[0] - cash_out[0]
    return {
        "sales_gross": _tmpl(gross, f["qty"], f["sales_count"], exp),
        "sales_net": _tmpl(net, f["qty"] - f["refund_qty"], f["sales_count"], exp),
        "discount_for_lineitems": _tmpl(f["line_discount"], 0, f["line_discount_count"], exp),
        "discount_for_subtotal": _tmpl(f["subtotal_discount"], 0, f["subtotal_discount_count"], exp),
        "returns": _tmpl(f["refund_gross"], f["refund_qty"], f["refund_count"], exp),
        "taxes": [
            {"tax_name": code, "tax_label": tax_names.get(code, code), "tax_amount": format_money(t["tax"], exp),
             "target_amount": format_money(t["net"], exp), "target_quantity": format_qty(t["qty"])}
            for code, t in sorted(f["taxes"].items())
        ],
        "payments": [
            {"payment_name": method, "amount": format_money(p["amount"], exp), "count": p["count"]}
            for method, p in sorted(f["payments"].items())
        ],
        "cash": {
            "logical_amount": format_money(logical, exp),
            "physical_amount": format_money(f["counted"], exp),
            "difference_amount": format_money(f["counted"] - logical, exp),
            "cash_in": {"amount": format_money(cash_in[0], exp), "count": cash_in[1]},
            "cash_out": {"amount": format_money(cash_out[0], exp), "count": cash_out[1]},
            "shifts_closed": f["closed_count"], "shifts": f["shift_count"],
        },
        "voids": {"amount": format_money(f["void_gross"], exp), "count": f["void_count"]},
        "no_sale_count": f["no_sale_count"],
    }


def check_identity(report: dict[str, Any], exp: int) -> bool:
    """sales_gross - discounts - returns == sales_net, in minor units (a self-check for tests and Z)."""
    from kernel.money import parse_money

    def m(key: str) -> int:
        return parse_money(report[key]["amount"], exp)

    return m("sales_gross") - m("discount_for_lineitems") - m("discount_for_subtotal") - m("returns") == m("sales_net")
