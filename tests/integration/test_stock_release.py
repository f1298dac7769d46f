"""Expired stock holds are released by a scheduled job (`tillstone stock release-expired` for cron,
the GUI's worker every few minutes), audited as `stock.released` with the count."""

from __future__ import annotations

import json

from sqlalchemy import text

from app.bootstrap import open_till
from app.cli.main import main
from app.usecases import audit, cart_lifecycle, cart_lines, shifts
from tests.support.till import BARCODES, make_till


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def released_entries(ctx):
    with ctx.uow(read_only=True) as uow:
        rows = uow.conn.execute(text("SELECT body FROM audit_log WHERE type = 'stock.released' ORDER BY seq"))
        return [json.loads(body)["data"] for body in rows.scalars()]


def active_holds(ctx):
    with ctx.uow(read_only=True) as uow:
        return uow.conn.execute(text("SELECT COUNT(*) FROM stock_reservations WHERE status = 'ACTIVE'")).scalar_one()


def test_release_expired_is_audited_with_the_count_and_an_empty_run_writes_nothing(tmp_path):
    till = make_till(tmp_path / "till")
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["bread"])
    cart_lines.add_item(ctx, c, "anna", BARCODES["milk"])
    cart_lifecycle.park(ctx, c, "anna")
    till.clock.advance(minutes=45)
    assert cart_lifecycle.release_expired(ctx, dry_run=True) == 2
    assert active_holds(ctx) == 2 and released_entries(ctx) == []
    assert cart_lifecycle.release_expired(ctx) == 2
    assert active_holds(ctx) == 0
    assert released_entries(ctx) == [{"count": 2}]
    assert cart_lifecycle.release_expired(ctx) == 0
    assert released_entries(ctx) == [{"count": 2}]
    assert audit.verify(ctx).ok


def test_the_cli_releases_expired_holds_and_dry_run_changes_nothing(tmp_path, capsys):
    till = make_till(tmp_path / "till")
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    c = cart_lifecycle.start_cart(ctx, "anna")
    cart_lines.add_item(ctx, c, "anna", BARCODES["bread"])
    ctx.close()  # the command runs on the real clock, long after the test clock's hold expired
    data = till.data_dir
    code, out, err = run(capsys, "--data-dir", data, "stock", "release-expired", "--dry-run")
    assert (code, err) == (0, "") and "1 expired stock hold(s) would be released" in out
    code, out, _ = run(capsys, "--data-dir", data, "stock", "release-expired", "--json")
    assert code == 0 and json.loads(out) == {"released": 1, "expired": 1, "dry_run": False}
    code, out, _ = run(capsys, "--data-dir", data, "stock", "release-expired")
    assert code == 0 and "released 0 expired" in out
    reopened = open_till(data)
    try:
        assert released_entries(reopened) == [{"count": 1}]
        assert active_holds(reopened) == 0
    finally:
        reopened.close()
