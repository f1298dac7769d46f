"""The shift report's hourly breakdown is in the store's time zone (the `timezone` setting) and says which."""

from __future__ import annotations

from datetime import UTC, datetime

from app.reports.shift_report import shift_report
from app.usecases import cart_lifecycle, cart_lines, checkout, shifts
from app.usecases import settings as settings_uc
from tests.support.till import BARCODES


def sell_at(till, when):
    till.clock.set(when)
    ctx = till.ctx
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["bread"])
    checkout.add_payment(ctx, c, "anna", "cash", checkout.amount_due(ctx, c).due_in_cash)


def test_a_berlin_till_opened_at_eight_shows_eight(till):
    till.ctx = settings_uc.update(till.ctx, "admin", {"timezone": "Europe/Berlin"})
    till.clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))  # 08:00 in Berlin (CET, UTC+1)
    shift = shifts.open_shift(till.ctx, "anna", 0)
    sell_at(till, datetime(2026, 3, 2, 7, 5, tzinfo=UTC))
    sell_at(till, datetime(2026, 3, 2, 7, 55, tzinfo=UTC))
    sell_at(till, datetime(2026, 3, 2, 9, 30, tzinfo=UTC))  # 10:30 in Berlin
    report = shift_report(till.ctx, shift.id)
    assert report["timezone"] == "Europe/Berlin"
    assert [(row["hour"], row["count"]) for row in report["hourly"]] == [("08:00", 2), ("10:00", 1)]


def test_the_default_zone_is_utc_and_is_named(till):
    till.clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    shift = shifts.open_shift(till.ctx, "anna", 0)
    sell_at(till, datetime(2026, 3, 2, 7, 5, tzinfo=UTC))
    report = shift_report(till.ctx, shift.id)
    assert report["timezone"] == "UTC"
    assert [row["hour"] for row in report["hourly"]] == ["07:00"]


def test_init_defaults_to_the_machines_zone(tmp_path) -> None:
    """`init` without --timezone takes the machine's zone (here TZ), not UTC; an explicit one wins."""
    import os
    import sqlite3
    import subprocess
    import sys

    def init(data: str, *extra: str) -> str:
        env = {**os.environ, "TZ": "Europe/Berlin"}
        done = subprocess.run([sys.executable, "-m", "app.cli.main", "--data-dir", data, "init", "--store", "S001",
                               "--till", "T01", *extra], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        db = sqlite3.connect(f"{data}/till.sqlite")
        try:
            return db.execute("SELECT value FROM settings WHERE key = 'timezone'").fetchone()[0]
        finally:
            db.close()

    assert init(str(tmp_path / "a")) == "Europe/Berlin"
    assert init(str(tmp_path / "b"), "--timezone", "America/New_York") == "America/New_York"
