"""The till's business day: after a Z a supervisor opens the next date (day.opened), shifts open
on it while the calendar still shows the closed one; refused openings write nothing; a cashier's
X report is blind in the core and a reveal needs a real supervisor approval."""

from __future__ import annotations

import json

import pytest

from app.domain.permissions import Approval
from app.reports.daily import x_report, z_report
from app.usecases import audit, business_day, shifts
from kernel.errors import ApprovalRequired, PermissionDenied, StateError
from tests.support.till import PINS, Till


def entries(till: Till, type_: str) -> list[dict[str, object]]:
    with till.ctx.uow(read_only=True) as uow:
        found = [json.loads(bytes(body)) for _seq, body, _prev, _hash in uow.audit.iter_raw()]
    return [e for e in found if e["type"] == type_]


def test_the_next_business_day_opens_after_the_z_and_shifts_belong_to_it(till: Till) -> None:
    ctx = till.ctx
    assert business_day.day_status(ctx).business_date == "2026-03-02"
    shifts.open_shift(ctx, "anna", 5_000)
    # refused: a cashier, and a day that is not closed yet; neither writes anything
    with pytest.raises(PermissionDenied):
        business_day.open_next_day(ctx, "anna")
    with pytest.raises(StateError, match="still open"):
        business_day.open_next_day(ctx, "sofia")
    assert entries(till, "day.opened") == []
    status = business_day.day_status(ctx)
    assert (status.open_shifts, status.closed) == (1, False)
    shifts.close_shift(ctx, "anna", 5_000)
    z_report(ctx, "2026-03-02", user_id="sofia")
    with pytest.raises(StateError, match="already closed"):
        shifts.open_shift(ctx, "anna", 5_000)  # the calendar's day is closed ...
    opened = business_day.open_next_day(ctx, "sofia")  # ... so the till opens the next one
    assert opened.business_date == "2026-03-03" and ctx.business_date() == "2026-03-02"
    shift = shifts.open_shift(ctx, "anna", 5_000)
    assert shift.business_date == "2026-03-03"
    assert x_report(ctx)["business_date"] == "2026-03-03"  # the till's day, not the calendar's
    with pytest.raises(StateError, match="still open"):
        business_day.open_next_day(ctx, "sofia")  # 3 March has no Z yet
    [entry] = entries(till, "day.opened")
    assert entry["actor"] == "sofia" and entry["data"] == {"business_date": "2026-03-03", "previous": "2026-03-02"}
    # the calendar catching up and passing the opened day wins
    till.clock.advance(days=2)
    assert business_day.day_status(ctx).business_date == "2026-03-04"
    assert audit.verify(ctx).ok


def test_a_cashiers_x_is_blind_and_revealing_it_needs_a_real_approval(till: Till) -> None:
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 5_000)
    blind = x_report(ctx, user_id="anna")
    assert blind["blind"] is True and "logical_amount" not in blind["cash"]
    assert "Expected cash" not in blind["receipt_text"] and "Counted cash" not in blind["receipt_text"]
    assert "Expected cash" in x_report(ctx, user_id="sofia")["receipt_text"]
    assert "Expected cash" in x_report(ctx)["receipt_text"]  # the CLI: whoever holds the data directory
    with pytest.raises(ApprovalRequired):
        x_report(ctx, user_id="anna", reveal=True)
    with pytest.raises(PermissionDenied, match="not right"):
        x_report(ctx, user_id="anna", reveal=True, approval=Approval("sofia", "0000", "check"))
    with pytest.raises(PermissionDenied):
        x_report(ctx, user_id="ghost")
    assert entries(till, "override.granted") == []
    full = x_report(ctx, user_id="anna", reveal=True, approval=Approval("sofia", PINS["sofia"], "check"))
    assert full["cash"]["logical_amount"] == "50.00"
    [granted] = entries(till, "override.granted")
    assert granted["data"] == {"action": "expected_cash", "approved_by": "sofia", "reason": "check"}
