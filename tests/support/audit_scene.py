"""One day of a real till for the audit export and the audit and activity reports: a time zone
change, business hours, log-ins and failed log-ins, sales (one large, one after hours), a void,
a refund, a no-sale opening, a cash out, a price override, anomalies at the shift close and an
export, on a ManualClock. `Scene` keeps what was done, counted as it was done, so tests compare
the reports with the actions rather than with numbers copied from a run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.usecases import auth, cart_discounts, cart_lifecycle, cart_lines, checkout, returns, settings, shifts
from app.usecases import exports as till_exports
from kernel.errors import PermissionDenied
from tests.support.till import BARCODES, Till

ZONE = "Europe/Berlin"  # UTC+1 in March
HOURS = "07:00-21:00"


@dataclass
class Scene:
    logins: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    sales: Counter[str] = field(default_factory=Counter)
    sales_gross: Counter[str] = field(default_factory=Counter)
    voids: Counter[str] = field(default_factory=Counter)
    void_gross: Counter[str] = field(default_factory=Counter)
    refunds: Counter[str] = field(default_factory=Counter)
    after_hours_receipt: str = ""
    receipts: list[str] = field(default_factory=list)
    gross: dict[str, int] = field(default_factory=dict)  # receipt -> sale gross
    export_file: Path | None = None


def _sell(till: Till, scene: Scene, user: str, codes: list[str], tender: int, method: str = "cash") -> str:
    ctx = till.ctx
    cart = cart_lifecycle.start_cart(ctx, user)
    for code in codes:
        cart_lines.add_item(ctx, cart, user, code)
    sale = checkout.add_payment(ctx, cart, user, method, tender).sale
    assert sale is not None
    scene.sales[user] += 1
    scene.sales_gross[user] += sale.gross
    scene.receipts.append(sale.receipt_no)
    scene.gross[sale.receipt_no] = sale.gross
    return sale.receipt_no


def run_day(till: Till, out_dir: Path) -> Scene:
    """The day, 2026-03-02 in Berlin. Returns what was done."""
    scene = Scene()
    till.clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))  # 09:00 Berlin
    auth.login(till.ctx, "anna", "1111")  # still in UTC: the zone changes next
    scene.logins["anna"] += 1
    till.ctx = settings.update(till.ctx, "admin", {"timezone": ZONE})
    with till.ctx.uow() as uow:  # thresholds the anomaly rules read (not settings a screen edits)
        for key, value in {"business_hours": HOURS, "anomaly_failed_logins": "2", "anomaly_min_sales": "3",
                           "anomaly_void_count": "0"}.items():
            uow.settings.set(key, value)
        uow.commit()
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 5_000)
    for _ in range(2):  # ben mistypes twice during anna's shift, then gets in
        till.clock.advance(minutes=1)
        try:
            auth.login(ctx, "ben", "0000")
        except PermissionDenied:
            scene.failed["ben"] += 1
    auth.login(ctx, "ben", "2222")
    scene.logins["ben"] += 1
    for _ in range(4):
        till.clock.advance(minutes=5)
        _sell(till, scene, "anna", [BARCODES["milk"]], 500)
    till.clock.advance(minutes=5)
    big = _sell(till, scene, "anna", [BARCODES["cheese"]] * 3, 3_870, "card")  # LARGE_SALE
    till.clock.advance(minutes=5)
    voided = scene.receipts[0]
    returns.void_sale(ctx, voided, "anna", "wrong item", approval=till.approval())
    scene.voids["anna"] += 1
    scene.void_gross["anna"] += scene.gross[voided]
    with ctx.uow(read_only=True) as uow:
        sold = uow.sales.sale_by_receipt(big)
        assert sold is not None
        line = sold.lines[0]
    returns.refund(ctx, big, "anna", [(line.id, 1000)], approval=till.approval())
    scene.refunds["anna"] += 1
    shifts.no_sale(ctx, "anna", "change for the bakery", approval=till.approval())
    shifts.cash_out(ctx, "anna", 1_000, "window cleaner", approval=till.approval())
    cart = cart_lifecycle.start_cart(ctx, "anna")
    bread = cart_lines.add_item(ctx, cart, "anna", BARCODES["bread"])
    cart_discounts.override_price(ctx, cart, bread.id, "anna", 300, approval=till.approval())
    checkout.add_payment(ctx, cart, "anna", "cash", 300)
    scene.sales["anna"] += 1
    scene.sales_gross["anna"] += 300
    till.clock.set(datetime(2026, 3, 2, 20, 30, tzinfo=UTC))  # 21:30 Berlin: after hours
    scene.after_hours_receipt = _sell(till, scene, "anna", [BARCODES["milk"]], 200)
    with ctx.uow(read_only=True) as uow:
        shift = uow.shifts.open_shift()
        assert shift is not None
        expected = uow.shifts.expected_cash(shift.id)
    shifts.close_shift(ctx, "anna", expected)
    till.clock.advance(minutes=5)
    scene.export_file = out_dir / "early.xlsx"
    till_exports.export(ctx, "audit", "xlsx", scene.export_file, {"to": "2026-03-02"}, user_id="sofia")
    return scene
