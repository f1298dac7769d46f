"""A readable sentence for every audit entry type the code writes, at the till (`audit_log`) and at
head office (`hq_audit`), made from the entry's data. The table is the list of types: a type not in
it is described by its name, and an entry whose data is not what its type holds gets a sentence
saying so, never an error (the export must show a damaged log, not stop on it)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.reports.audit_entries import UNREADABLE, AuditRow

Describe = Callable[[Mapping[str, Any]], str]
MAX_TEXT = 500


def _v(data: Mapping[str, Any], key: str, default: str = "?") -> str:
    value = data.get(key)
    return default if value is None or value == "" else str(value)


def _approved(data: Mapping[str, Any]) -> str:
    by = data.get("approved_by")
    return f", approved by {by}" if by else ""


def _methods(data: Mapping[str, Any]) -> str:
    payments = data.get("payments") or []
    return ", ".join(f"{p.get('method', '?')} {p.get('amount', '?')}" for p in payments) or "nothing"


def _count(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    return len(value) if isinstance(value, (list, dict)) else 0


def _changes(data: Mapping[str, Any]) -> str:
    changes = data.get("changes") or {}
    parts = []
    for key, change in changes.items():
        if isinstance(change, Mapping):
            parts.append(f"{key} from {change.get('from')!s} to {change.get('to')!s}")
        else:
            parts.append(f"{key} to {change!s}")
    return "; ".join(parts) or "nothing"


def _export(data: Mapping[str, Any]) -> str:
    kind = _v(data, "kind")
    what = f"Report {kind[len('report:'):]} read" if kind.startswith("report:") else f"Export of {kind}"
    target = f" to {data['file']}" if data.get("file") else ""
    return f"{what} as {_v(data, 'format')}{target}: {_v(data, 'rows', '0')} rows, sha256 {_v(data, 'sha256')[:16]}"


DESCRIPTIONS: dict[str, Describe] = {
    "sale.completed": lambda d: (f"Sale {_v(d, 'receipt_no')}: {_v(d, 'gross')} for {_count(d, 'lines')} line(s), "
                                 f"paid {_methods(d)}" + (f", customer {d['customer_id']}" if d.get("customer_id")
                                                          else "")),
    "sale.voided": lambda d: f"Sale {_v(d, 'receipt_no')} voided ({_v(d, 'gross')}): {_v(d, 'reason', '')}"
                             + _approved(d),
    "refund.completed": lambda d: (f"Refund {_v(d, 'receipt_no')} of {_v(d, 'gross')} ({_count(d, 'lines')} line(s)) "
                                   f"paid back {_methods(d)}" + _approved(d)),
    "refund.rejected": lambda d: f"Refund of {_v(d, 'receipt_no')} refused: {_v(d, 'reason', '')}",
    "cash.in": lambda d: f"Cash in {_v(d, 'amount')}: {_v(d, 'reason', '')}",
    "cash.out": lambda d: f"Cash out {_v(d, 'amount')}: {_v(d, 'reason', '')}",
    "drawer.opened": lambda d: f"Drawer opened without a sale: {_v(d, 'reason', '')}",
    "shift.opened": lambda d: f"Shift opened by {_v(d, 'user_id')} with a float of {_v(d, 'opening_float')}",
    "shift.suspended": lambda d: f"Shift suspended: {_v(d, 'reason', '')}",
    "shift.resumed": lambda d: "Shift resumed" + _approved(d),
    "shift.closed": lambda d: (f"Shift closed: expected {_v(d, 'expected_cash')}, counted {_v(d, 'counted_cash')}, "
                               f"difference {_v(d, 'difference')}"),
    "discrepancy.raised": lambda d: f"Discrepancy {_v(d, 'kind')} of {_v(d, 'amount')}: {_v(d, 'detail', '')}",
    "discrepancy.resolved": lambda d: f"Discrepancy resolved by {_v(d, 'resolved_by')}: {_v(d, 'note', '')}",
    "anomaly.flagged": lambda d: f"Anomaly {_v(d, 'kind')} flagged at shift close: {_v(d, 'detail', '')}",
    "override.granted": lambda d: (f"Override {_v(d, 'action')} approved by {_v(d, 'approved_by')}: "
                                   f"{_v(d, 'reason', '')}"),
    "user.login": lambda d: f"{_v(d, 'user_id')} logged in",
    "user.logout": lambda d: f"{_v(d, 'user_id')} logged out",
    "user.login_failed": lambda d: (f"Wrong PIN for {_v(d, 'user_id')} (attempt {_v(d, 'attempt')})"
                                    + (f" typed to approve {d['approval']}" if d.get("approval") else "")
                                    + (", user locked" if d.get("locked") else "")),
    "account.payment": lambda d: (f"Account payment of {_v(d, 'amount')} by {_v(d, 'method')} "
                                  f"for {_v(d, 'customer_id')}"),
    "cart.line_added": lambda d: f"Added {_v(d, 'qty')} x {_v(d, 'sku')} at {_v(d, 'unit_price')}",
    "cart.qty_changed": lambda d: f"Quantity of {_v(d, 'sku')} changed from {_v(d, 'from')} to {_v(d, 'to')}"
                                  + _approved(d),
    "cart.line_voided": lambda d: f"Line {_v(d, 'sku')} ({_v(d, 'qty')}) removed" + _approved(d),
    "cart.discount": lambda d: (f"Line discount {_v(d, 'percent', '')}{'%' if d.get('percent') else ''} "
                                f"{_v(d, 'amount', '')}".rstrip() + _approved(d)),
    "cart.subtotal_discount": lambda d: (f"Subtotal discount {_v(d, 'percent', '')}{'%' if d.get('percent') else ''} "
                                         f"{_v(d, 'amount', '')}".rstrip() + _approved(d)),
    "cart.price_override": lambda d: f"Price of {_v(d, 'sku')} changed from {_v(d, 'from')} to {_v(d, 'to')}"
                                     + _approved(d),
    "cart.parked": lambda d: "Cart parked" + (f" as {d['label']}" if d.get("label") else ""),
    "cart.resumed": lambda d: "Parked cart resumed",
    "cart.cancelled": lambda d: f"Cart with {_v(d, 'lines')} line(s) cancelled" + _approved(d),
    "cart.payment_removed": lambda d: f"Payment {_v(d, 'method')} {_v(d, 'amount')} removed" + _approved(d),
    "stock.received": lambda d: f"Received {_v(d, 'qty')} of {_v(d, 'sku')}",
    "stock.released": lambda d: f"{_v(d, 'count')} stock hold(s) released" + (
        f" ({_v(d, 'reason')}, cart {_v(d, 'cart_id')})" if d.get("cart_id") else " (expired)"),
    "stock.reserved": lambda d: f"Stock held for cart {_v(d, 'cart_id')} ({_v(d, 'reason')}): "
                                f"{len(d.get('holds') or [])} product(s)",
    "customer.created": lambda d: f"Customer {_v(d, 'customer_id')} ({_v(d, 'name')}, {_v(d, 'customer_type')}) "
                                  "added at the till",
    "customer.updated": lambda d: f"Customer {_v(d, 'customer_id')} changed at the till: {_changes(d)}",
    "credit.adjusted": lambda d: f"Balance of customer {_v(d, 'customer_id')} {_v(d, 'kind')} {_v(d, 'amount')}: "
                                 f"{_v(d, 'balance_before')} to {_v(d, 'balance_after')}",
    "promotions.imported": lambda d: f"{_v(d, 'count')} promotion(s) imported, {_v(d, 'active', '?')} active",
    "settings.changed": lambda d: f"Settings changed: {_changes(d)}",
    "report.z": lambda d: f"Z report {_v(d, 'business_counter')} of {_v(d, 'business_date')}: net {_v(d, 'sales_net')}",
    "report.z_copy": lambda d: f"Copy of Z report {_v(d, 'business_counter')} of {_v(d, 'business_date')}",
    "day.opened": lambda d: f"Business day {_v(d, 'business_date')} opened after {_v(d, 'previous')}",
    "audit.checkpoint": lambda d: f"Signed checkpoint of {_v(d, 'tree_size')} entries ({_v(d, 'reason', '')})",
    "master.applied": lambda d: "Master data from head office applied: " + (", ".join(
        f"{k} {v}" for k, v in (d.get("counts") or {}).items()) or "scheduled prices only"),
    "export.created": _export,
    # head office's own log (hq_audit)
    "catalogue.imported": lambda d: (f"Catalogue {_v(d, 'file')} imported: {_v(d, 'products')} products "
                                     f"({_v(d, 'added')} new), {_v(d, 'prices')} prices"),
    "tax.set": lambda d: f"Tax rate {_v(d, 'code')} ({_v(d, 'name')}) set to {_v(d, 'rate_bp')} bp",
    "price.set": lambda d: (f"Price of {_v(d, 'sku')} set to {_v(d, 'price')} from {_v(d, 'effective_from')}"
                            + (f" in store {d['store']}" if d.get("store") else "")),
    "stock.counted": lambda d: (f"Stock count for store {_v(d, 'store')}: {_v(d, 'products')} products, "
                                f"{_v(d, 'total')}"),
    "user.added": lambda d: f"User {_v(d, 'user_id')} ({_v(d, 'name')}, {_v(d, 'role')}) added",
    "user.changed": lambda d: f"User {_v(d, 'user_id')} changed: {_changes(d)}"
                              + (", PIN changed" if d.get("pin_changed") else ""),
    "user.disabled": lambda d: f"User {_v(d, 'user_id')} disabled",
    "customer.added": lambda d: f"Customer {_v(d, 'customer_id')} ({_v(d, 'name')}) added",
    "customer.changed": lambda d: f"Customer {_v(d, 'customer_id')} changed: {_changes(d)}",
    "customer.blocked": lambda d: f"Customer {_v(d, 'customer_id')} blocked",
    "customer.unblocked": lambda d: f"Customer {_v(d, 'customer_id')} unblocked",
}
KNOWN_TYPES = frozenset(DESCRIPTIONS)


def describe(row: AuditRow) -> str:
    """The sentence for one entry, printable and at most MAX_TEXT characters."""
    if row.type == UNREADABLE:
        return "This entry's body is not readable JSON: run audit verify."
    maker = DESCRIPTIONS.get(row.type)
    if maker is None:
        return row.type
    try:
        text = maker(row.data)
    except (AttributeError, LookupError, TypeError, ValueError):
        text = f"{row.type} (its data is not what this type holds)"
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"
