"""Rendering a report as printed receipt text (32, 42 or 48 columns) and as journal text.

The receipt is what the printer prints; the journal is the electronic journal line block: same
figures, one per line, prefixed with the till and date so a journal can be grepped.
"""

from __future__ import annotations

from typing import Any

WIDTHS = (32, 42, 48)


def _row(label: str, value: str, width: int) -> str:
    label = label[: max(1, width - len(value) - 1)]
    return f"{label}{' ' * (width - len(label) - len(value))}{value}"


def _center(text: str, width: int) -> str:
    return text[:width].center(width).rstrip()


def sales_lines(report: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs shared by the receipt and the journal: one list, two layouts."""
    rows: list[tuple[str, str]] = []
    for key, label in (
        ("sales_gross", "Gross sales"),
        ("discount_for_lineitems", "Line discounts"),
        ("discount_for_subtotal", "Subtotal discounts"),
        ("returns", "Returns"),
        ("sales_net", "Net sales"),
    ):
        item = report[key]
        rows.append((f"{label} ({item['count']})", item["amount"]))
    rows.append(("", ""))
    for tax in report["taxes"]:
        rows.append((f"Tax {tax['tax_name']} on {tax['target_amount']}", tax["tax_amount"]))
    rows.append(("", ""))
    for pay in report["payments"]:
        rows.append((f"{pay['payment_name'].title()} ({pay['count']})", pay["amount"]))
    rows.append(("", ""))
    rows += cash_lines(report["cash"])
    if "voids" in report:
        rows.append((f"Voids ({report['voids']['count']})", report["voids"]["amount"]))
    if "no_sale_count" in report:
        rows.append(("No-sale openings", str(report["no_sale_count"])))
    return rows + people_lines(report)


def people_lines(report: dict[str, Any]) -> list[tuple[str, str]]:
    """Average sale and each cashier by name (reports made before these keys have none)."""
    rows: list[tuple[str, str]] = []
    if "average_sale" in report:
        rows += [("", ""), (f"Average sale ({report['average_sale']['count']})", report["average_sale"]["amount"])]
    for cashier in report.get("cashiers", []):
        rows.append((f"{cashier['name']} ({cashier['count']})", cashier["amount"]))
        rows.append(("  average sale", cashier["average_sale"]))
    return rows


def cash_lines(cash: dict[str, Any]) -> list[tuple[str, str]]:
    """Cash rows. A blind report (a cashier's X) has no expected cash and no difference; the
    counted cash and the difference appear only once every shift reported is counted (closed), so
    a mid-shift X never shows a count of 0.00 and a "difference" of the whole drawer."""
    rows = [
        (f"Cash in ({cash['cash_in']['count']})", cash["cash_in"]["amount"]),
        (f"Cash out ({cash['cash_out']['count']})", cash["cash_out"]["amount"]),
    ]
    if "logical_amount" in cash:
        rows.append(("Expected cash", cash["logical_amount"]))
    uncounted = cash.get("shifts", 0) - cash.get("shifts_closed", 0)
    if uncounted > 0:
        rows.append(("Shifts not counted yet", str(uncounted)))
    else:
        rows.append(("Counted cash", cash["physical_amount"]))
        if "difference_amount" in cash:
            rows.append(("Difference", cash["difference_amount"]))
    return rows


def anomaly_lines(report: dict[str, Any]) -> list[tuple[str, str]]:
    """A shift report's flagged anomalies: kind and receipt (a large sale's), amount."""
    return [(f"{a['kind']} {(a.get('receipt_no') or '')[-4:]}".strip(), str(a.get("amount") or ""))
            for a in report.get("anomalies") or []]


def _title(report: dict[str, Any]) -> str:
    scope = {"flash": "X REPORT (FLASH)", "daily": "Z REPORT (DAILY)", "shift": "SHIFT REPORT"}
    return scope.get(report.get("report_scope", ""), str(report.get("report_scope", "REPORT")).upper())


def receipt_text(report: dict[str, Any], width: int = 42, store_name: str = "") -> str:
    if width not in WIDTHS:
        raise ValueError(f"receipt width must be one of {WIDTHS}")
    out = [_center(store_name, width)] if store_name else []
    out.append(_center(_title(report), width))
    if report.get("copy"):
        out.append(_center(f"*** COPY {report.get('copy_no', '')} ***", width))
    out.append(_row("Till", str(report.get("till", "")), width))
    out.append(_row("Business date", str(report.get("business_date", "")), width))
    for key, label in (("business_counter", "Day no."), ("open_counter", "Shift no.")):
        if report.get(key) is not None:
            out.append(_row(label, str(report[key]), width))
    shift = report.get("shift") or {}
    if shift.get("cashier_name"):
        out.append(_row("Cashier", str(shift["cashier_name"]), width))
    out.append("-" * width)
    out += [_row(label, value, width) if label else "" for label, value in sales_lines(report)]
    if report.get("anomalies"):
        out.append("-" * width)
        out.append(f"Anomalies ({len(report['anomalies'])})")
        out += [_row(label, value, width) for label, value in anomaly_lines(report)]
    if report.get("checkpoint_short"):
        out.append("-" * width)
        out.append(_row("Audit root", report["checkpoint_short"], width))
    if report.get("run_by"):
        out.append(_row("Run by", str(report["run_by"]["name"]), width))
    out.append(_row("Printed", str(report.get("generate_date_time", ""))[:19], width))
    return "\n".join(out) + "\n"


def journal_text(report: dict[str, Any]) -> str:
    prefix = f"{report.get('till', '')} {report.get('business_date', '')} {report.get('report_scope', '')}"
    lines = [f"{prefix} {_title(report)}" + (" COPY" if report.get("copy") else "")]
    lines += [f"{prefix} {label}: {value}" for label, value in sales_lines(report) if label]
    lines += [f"{prefix} anomaly {a['kind']}: {a['detail']}" for a in report.get("anomalies") or []]
    if report.get("checkpoint_root"):
        lines.append(f"{prefix} audit root: {report['checkpoint_root']}")
    return "\n".join(lines) + "\n"
