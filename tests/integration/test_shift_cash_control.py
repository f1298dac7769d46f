"""Shifts: counted floats, blind close by denomination, discrepancies and their resolution,
suspension, expired-shift closing, and hostile input. Real SQLite, ManualClock."""

from __future__ import annotations

import pytest

from app.domain.permissions import Approval
from app.reports.shift_report import shift_report
from app.usecases import audit, cart_lifecycle, cart_lines, checkout, discrepancies, shifts
from kernel.errors import InvalidInput, NotFound, PermissionDenied, StateError
from tests.support.till import BARCODES, PINS, Till


def _audit_count(till: Till) -> int:
    with till.ctx.uow(read_only=True) as uow:
        return uow.audit.count()


def _cash_sale(till: Till, user: str = "anna") -> int:
    cart_id = cart_lifecycle.start_cart(till.ctx, user)
    cart_lines.add_item(till.ctx, cart_id, user, BARCODES["cheese"])
    result = checkout.add_payment(till.ctx, cart_id, user, "cash", 2000)
    return result.sale.gross


def test_blind_close_by_denomination_raises_and_resolves_a_shortage(till: Till) -> None:
    with till.ctx.uow() as uow:
        uow.settings.set("cash_tolerance", "100")
        uow.commit()
    shift = shifts.open_shift(till.ctx, "anna", counts={"20.00": 5, "1.00": 10, "0.50": 4})
    assert shift.opening_float == 11_200
    gross = _cash_sale(till)
    till.clock.advance(hours=3)
    # The cashier counts 5 euro short: beyond the 1.00 tolerance.
    result = shifts.close_shift(till.ctx, "anna", counts={"20.00": 5, "10.00": 1, "1.00": 10, "0.50": 4,
                                                            "0.05": 18})
    expected = 11_200 + gross
    assert result["expected"] == expected
    assert result["difference"] == result["counted"] - expected < -100
    [found] = discrepancies.for_shift(till.ctx, shift.id)
    assert found.kind == "CASH_SHORT" and found.amount == -result["difference"] and found.resolved_at is None
    assert not discrepancies.is_reconciled(till.ctx, shift.id)
    report = shift_report(till.ctx, shift.id)
    assert report["shift"]["closing_counts"]["20.00"] == 5 and report["reconciled"] is False
    # A cashier cannot resolve it; a supervisor must, and must write a note.
    with pytest.raises(PermissionDenied):
        discrepancies.resolve(till.ctx, "anna", found.id, "miscounted")
    with pytest.raises(InvalidInput):
        discrepancies.resolve(till.ctx, "sofia", found.id, "   ")
    done = discrepancies.resolve(till.ctx, "sofia", found.id, "coin roll found under the drawer")
    assert done.resolved_by == "sofia" and done.note.startswith("coin roll")
    with pytest.raises(StateError):
        discrepancies.resolve(till.ctx, "sofia", found.id, "again")
    assert discrepancies.is_reconciled(till.ctx, shift.id)
    report = audit.verify(till.ctx)
    assert report.ok and report.records_checked >= 3
    # Editing the resolution note behind the audit log's back is found by verify.
    import sqlite3

    db = sqlite3.connect(till.data_dir / "till.sqlite")
    db.execute("DROP TRIGGER discrepancy_resolutions_no_update")
    db.execute("UPDATE discrepancy_resolutions SET note = 'nothing happened'")
    db.commit()
    db.close()
    assert [p.kind for p in audit.verify(till.ctx).problems] == ["record"]


def test_difference_within_tolerance_raises_nothing_and_over_is_cash_over(till: Till) -> None:
    with till.ctx.uow() as uow:
        uow.settings.set("cash_tolerance", "50")
        uow.commit()
    shift = shifts.open_shift(till.ctx, "anna", 10_000)
    result = shifts.close_shift(till.ctx, "anna", 10_030)
    assert result["discrepancies"] == [] and discrepancies.is_reconciled(till.ctx, shift.id)
    shift2 = shifts.open_shift(till.ctx, "ben", 10_030)
    shifts.close_shift(till.ctx, "ben", 12_000)
    [over] = discrepancies.for_shift(till.ctx, shift2.id)
    assert (over.kind, over.amount) == ("CASH_OVER", 1_970)


def test_float_warning_when_it_differs_from_the_last_close(till: Till) -> None:
    assert shifts.opening_float_warning(till.ctx, 10_000) is None  # no close yet
    shifts.open_shift(till.ctx, "anna", 10_000)
    shifts.close_shift(till.ctx, "anna", 10_000)
    assert shifts.opening_float_warning(till.ctx, 10_000) is None
    warning = shifts.opening_float_warning(till.ctx, 9_000)
    assert warning and "90.00" in warning and "100.00" in warning
    shifts.open_shift(till.ctx, "ben", 9_000)
    with till.ctx.uow(read_only=True) as uow:
        last = max(uow.audit.iter_raw(), key=lambda row: row[0])
    assert b"float_warning" in last[1]


@pytest.mark.parametrize("counts", [
    {"20.00": -1}, {"20.00": "two"}, {"20.00": "1.5"}, {"abc": 1}, {"0.03": 1}, {"20.001": 1},
    {"20.00": True}, {"-20.00": 1}, {"20.00": 10**9},
])
def test_bad_denomination_counts_are_refused_and_nothing_is_written(till: Till, counts: dict) -> None:
    before = _audit_count(till)
    with pytest.raises(InvalidInput):
        shifts.open_shift(till.ctx, "anna", counts=counts)
    assert shifts.current_shift(till.ctx) is None and _audit_count(till) == before
    shifts.open_shift(till.ctx, "anna", 5_000)
    before = _audit_count(till)
    with pytest.raises(InvalidInput):
        shifts.close_shift(till.ctx, "anna", counts=counts)
    assert shifts.current_shift(till.ctx) is not None and _audit_count(till) == before


def test_counts_must_agree_with_a_typed_total_and_negative_totals_fail(till: Till) -> None:
    with pytest.raises(InvalidInput, match="adds up to"):
        shifts.open_shift(till.ctx, "anna", 5_000, counts={"20.00": 1})
    with pytest.raises(InvalidInput):
        shifts.open_shift(till.ctx, "anna", -1)
    with pytest.raises(InvalidInput):
        shifts.open_shift(till.ctx, "anna")


def test_closing_someone_elses_shift_needs_a_supervisor(till: Till) -> None:
    shifts.open_shift(till.ctx, "anna", 5_000)
    before = _audit_count(till)
    with pytest.raises(PermissionDenied):
        shifts.close_shift(till.ctx, "ben", 5_000)
    assert _audit_count(till) == before
    with pytest.raises(PermissionDenied):
        shifts.close_shift(till.ctx, "ben", 5_000, approval=Approval("sofia", "1234", "end of day"))
    # The wrong supervisor PIN is audited (it counts toward her lock-out); the shift is untouched.
    assert _audit_count(till) == before + 1 and shifts.current_shift(till.ctx) is not None
    result = shifts.close_shift(till.ctx, "ben", 5_000, approval=Approval("sofia", PINS["sofia"], "anna left"))
    assert result["difference"] == 0 and shifts.current_shift(till.ctx) is None


def test_suspend_locks_the_till_until_the_cashier_or_a_supervisor_resumes(till: Till) -> None:
    shifts.open_shift(till.ctx, "anna", 5_000)
    assert shifts.suspend_shift(till.ctx, "anna", "lunch").status == "SUSPENDED"
    with pytest.raises(StateError):
        shifts.cash_in(till.ctx, "anna", 100, "coins")
    with pytest.raises(StateError):
        cart_lifecycle.start_cart(till.ctx, "anna")  # selling is refused while suspended
    with pytest.raises(PermissionDenied):
        shifts.resume_shift(till.ctx, "ben")
    assert shifts.resume_shift(till.ctx, "anna").status == "ACTIVE"
    shifts.suspend_shift(till.ctx, "anna")
    assert shifts.resume_shift(till.ctx, "ben", approval=till.approval("cover")).status == "ACTIVE"
    shifts.suspend_shift(till.ctx, "anna")
    assert shifts.resume_shift(till.ctx, "sofia").status == "ACTIVE"
    with pytest.raises(StateError):
        shifts.resume_shift(till.ctx, "anna")
    assert audit.verify(till.ctx).ok


def test_close_expired_closes_with_expected_and_skips_open_carts_unless_forced(till: Till) -> None:
    shift = shifts.open_shift(till.ctx, "anna", 5_000)
    gross = _cash_sale(till)
    cart_id = cart_lifecycle.start_cart(till.ctx, "anna")
    cart_lines.add_item(till.ctx, cart_id, "anna", BARCODES["milk"])
    till.clock.advance(hours=11)
    assert shifts.close_expired(till.ctx, 12) == []
    till.clock.advance(hours=2)
    [dry] = shifts.close_expired(till.ctx, 12, dry_run=True)
    assert dry["action"] == "skipped" and dry["open_carts"] == 1
    [skipped] = shifts.close_expired(till.ctx, 12)
    assert skipped["action"] == "skipped" and shifts.current_shift(till.ctx) is not None
    assert shifts.close_expired(till.ctx, 12, force=True, dry_run=True)[0]["action"] == "would close"
    assert shifts.current_shift(till.ctx) is not None
    [closed] = shifts.close_expired(till.ctx, 12, force=True)
    assert closed["action"] == "closed" and closed["expected"] == 5_000 + gross
    report = shift_report(till.ctx, shift.id)
    assert report["shift"]["counted_cash"] == report["shift"]["expected_cash"]
    assert "automatically" in report["shift"]["note"] and report["shift"]["closed_by"] == "system"
    with pytest.raises(InvalidInput):
        shifts.close_expired(till.ctx, 0)
    assert audit.verify(till.ctx).ok


def test_close_refused_with_open_cart_and_without_shift(till: Till) -> None:
    with pytest.raises(NotFound):
        shifts.close_shift(till.ctx, "anna", 0)
    shifts.open_shift(till.ctx, "anna", 5_000)
    cart_id = cart_lifecycle.start_cart(till.ctx, "anna")
    cart_lines.add_item(till.ctx, cart_id, "anna", BARCODES["milk"])
    with pytest.raises(StateError, match="still open"):
        shifts.close_shift(till.ctx, "anna", 5_000)


def test_drops_and_top_ups_are_cash_movements_on_the_report(till: Till) -> None:
    shift = shifts.open_shift(till.ctx, "anna", 5_000)
    shifts.float_top_up(till.ctx, "anna", 2_000)
    shifts.cash_drop(till.ctx, "sofia", 3_000)
    with pytest.raises(PermissionDenied):
        shifts.cash_drop(till.ctx, "anna", 1_000)
    with pytest.raises(InvalidInput):
        shifts.cash_drop(till.ctx, "sofia", 999_999)
    result = shifts.close_shift(till.ctx, "anna", 4_000)
    assert result["expected"] == 4_000
    cash = shift_report(till.ctx, shift.id)["cash"]
    assert cash["cash_in"] == {"amount": "20.00", "count": 1}
    assert cash["cash_out"] == {"amount": "30.00", "count": 1}


def test_breakdown_gives_counts_that_close_blind(till: Till) -> None:
    from app.usecases import cash_count

    counts = cash_count.breakdown(till.ctx, 12_345)
    assert cash_count.total(counts) == 12_345 and counts[10_000] == 1
    shifts.open_shift(till.ctx, "anna", counts=counts)
    assert shifts.close_shift(till.ctx, "anna", counts=counts)["difference"] == 0
