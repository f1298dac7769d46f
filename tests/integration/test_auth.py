"""PINs are scrypt hashes; five wrong PINs lock a user for five minutes, audited; a supervisor's
approval covers exactly the one action it came with."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.domain.permissions import Approval
from app.domain.pins import hash_pin, verify_pin
from app.usecases import auth, cart_lifecycle, cart_lines, returns, shifts
from kernel.errors import LockedOut, NotFound, PermissionDenied
from tests.support.till import BARCODES, PINS


def entries(till, type_=None):
    with till.ctx.uow(read_only=True) as uow:
        rows = uow.conn.execute(text("SELECT body FROM audit_log ORDER BY seq")).scalars().all()
    found = [json.loads(r) for r in rows]
    return [e for e in found if type_ is None or e["type"] == type_]


def user_row(till, user_id):
    with till.ctx.uow(read_only=True) as uow:
        return uow.conn.execute(text("SELECT pin_hash, failed_attempts, locked_until FROM users WHERE id = :u"),
                                {"u": user_id}).one()


def test_pins_are_stored_as_salted_scrypt_hashes(till):
    stored = user_row(till, "anna").pin_hash
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**14, 8, 1)
    assert PINS["anna"] not in stored
    assert verify_pin(PINS["anna"], stored) and not verify_pin("1112", stored)
    assert hash_pin("1111") != hash_pin("1111")  # salted
    for bad in ("123", "abcd", "1234567890123", "12 34", ""):
        with pytest.raises(ValueError, match="4 to 12 digits"):
            hash_pin(bad)
    assert not verify_pin("1111", "md5$whatever")
    assert not verify_pin("1111", "not a hash")


def test_login_is_audited(till):
    user = auth.login(till.ctx, "anna", PINS["anna"])
    assert user.id == "anna"
    auth.logout(till.ctx, "anna")
    assert [(e["type"], e["actor"], e["data"]["user_id"]) for e in entries(till)[-2:]] == [
        ("user.login", "anna", "anna"), ("user.logout", "anna", "anna")]


def test_unknown_users_are_refused(till):
    with pytest.raises(NotFound):
        auth.login(till.ctx, "mallory", "1111")


def test_five_wrong_pins_lock_for_five_minutes(till):
    ctx = till.ctx
    for left in (4, 3, 2, 1):
        with pytest.raises(PermissionDenied, match=f"{left} attempt"):
            auth.login(ctx, "anna", "0000")
    with pytest.raises(LockedOut, match="locked for 5 minutes"):
        auth.login(ctx, "anna", "0000")
    failed = entries(till, "user.login_failed")
    assert [(e["actor"], e["data"]["user_id"], e["data"]["locked"]) for e in failed] == [
        (None, "anna", False)] * 4 + [(None, "anna", True)]
    # locked: even the right PIN is refused, and the lock does not move
    locked_until = user_row(till, "anna").locked_until
    till.clock.advance(minutes=4, seconds=59)
    with pytest.raises(LockedOut, match="Try again in 1 minute"):
        auth.login(ctx, "anna", PINS["anna"])
    assert user_row(till, "anna").locked_until == locked_until
    # ben is not affected by anna's lock
    auth.login(ctx, "ben", PINS["ben"])
    till.clock.advance(seconds=1)
    assert auth.login(ctx, "anna", PINS["anna"]).id == "anna"
    row = user_row(till, "anna")
    assert (row.failed_attempts, row.locked_until) == (0, None)


def test_a_right_pin_resets_the_count(till):
    ctx = till.ctx
    for _ in range(4):
        with pytest.raises(PermissionDenied):
            auth.login(ctx, "anna", "0000")
    auth.login(ctx, "anna", PINS["anna"])
    for _ in range(4):
        with pytest.raises(PermissionDenied):
            auth.login(ctx, "anna", "0000")
    assert user_row(till, "anna").locked_until is None


def test_an_approval_covers_exactly_one_action(till):
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    c = cart_lifecycle.start_cart(ctx, "anna")
    first = cart_lines.add_item(ctx, c, "anna", BARCODES["milk"])
    second = cart_lines.add_item(ctx, c, "anna", BARCODES["bread"])
    cart_lines.remove_line(ctx, c, first.id, "anna", approval=till.approval("wrong item"))
    # the override does not stay unlocked: the next void needs its own approval
    with pytest.raises(PermissionDenied, match="supervisor must approve"):
        cart_lines.remove_line(ctx, c, second.id, "anna")
    granted = entries(till, "override.granted")
    assert [(e["actor"], e["data"]) for e in granted] == [
        ("anna", {"action": "line_void", "approved_by": "sofia", "reason": "wrong item"})]
    cart_lines.remove_line(ctx, c, second.id, "anna", approval=till.approval("second"))
    assert len(entries(till, "override.granted")) == 2


def test_approvals_need_a_right_pin_a_reason_and_a_role_that_may(till):
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    c = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, c, "anna", BARCODES["milk"])
    cases = [
        (Approval("sofia", "1234", "x"), "PIN is not right"),
        (Approval("nobody", "1234", "x"), "PIN is not right"),
        (Approval("ben", PINS["ben"], "x"), "Ben may not approve"),
        (Approval("sofia", PINS["sofia"], "   "), "reason"),
    ]
    for approval, message in cases:
        with pytest.raises(PermissionDenied, match=message):
            cart_lines.remove_line(ctx, c, line.id, "anna", approval=approval)
    assert len(cart_lifecycle.get_cart(ctx, c).lines) == 1
    assert entries(till, "override.granted") == []


def test_a_supervisor_acts_without_an_override_entry(till):
    ctx = till.ctx
    shifts.open_shift(ctx, "sofia", 0)
    c = cart_lifecycle.start_cart(ctx, "sofia")
    line = cart_lines.add_item(ctx, c, "sofia", BARCODES["milk"])
    cart_lines.remove_line(ctx, c, line.id, "sofia")
    assert entries(till, "override.granted") == []


def test_a_refused_action_does_not_keep_its_override(till):
    """An approval given with an action that then fails is rolled back with it."""
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    with pytest.raises(Exception, match="No sale"):
        returns.refund(ctx, "S001-T01-20260302-0042", "anna", [("x", 1000)], approval=till.approval())
    assert entries(till, "override.granted") == []


def test_inactive_users_cannot_act(till):
    ctx = till.ctx
    with ctx.uow() as uow:
        uow.conn.execute(text("UPDATE users SET active = 0 WHERE id = 'ben'"))
        uow.commit()
    with pytest.raises(NotFound):
        auth.login(ctx, "ben", PINS["ben"])
    shifts.open_shift(ctx, "anna", 0)
    with pytest.raises(PermissionDenied, match="Log in"):
        cart_lifecycle.start_cart(ctx, "ben")


def test_a_locked_supervisor_cannot_approve(till):
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    c = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, c, "anna", BARCODES["milk"])
    for _ in range(5):
        with pytest.raises((PermissionDenied, LockedOut)):
            auth.login(ctx, "sofia", "1234")
    with pytest.raises(PermissionDenied, match="locked"):
        cart_lines.remove_line(ctx, c, line.id, "anna", approval=till.approval())
    assert entries(till, "override.granted") == []
    till.clock.advance(minutes=5)
    cart_lines.remove_line(ctx, c, line.id, "anna", approval=till.approval())


def test_wrong_approval_pins_count_toward_the_supervisor_lock(till):
    """Otherwise approvals would allow unlimited guesses at a supervisor's PIN."""
    ctx = till.ctx
    shifts.open_shift(ctx, "anna", 0)
    c = cart_lifecycle.start_cart(ctx, "anna")
    line = cart_lines.add_item(ctx, c, "anna", BARCODES["milk"])
    for guess in ("0001", "0002", "0003", "0004", "0005"):
        with pytest.raises(PermissionDenied, match="PIN is not right"):
            cart_lines.remove_line(ctx, c, line.id, "anna", approval=Approval("sofia", guess, "guess"))
    assert user_row(till, "sofia").locked_until is not None
    failed = entries(till, "user.login_failed")
    assert [(e["data"]["attempt"], e["data"]["locked"], e["data"]["approval"]) for e in failed] == [
        (1, False, "line_void"), (2, False, "line_void"), (3, False, "line_void"), (4, False, "line_void"),
        (5, True, "line_void")]
    assert len(cart_lifecycle.get_cart(ctx, c).lines) == 1 and entries(till, "override.granted") == []
    with pytest.raises(PermissionDenied, match="locked"):  # now even the right PIN waits for the lock
        cart_lines.remove_line(ctx, c, line.id, "anna", approval=till.approval())
    with pytest.raises(LockedOut):
        auth.login(ctx, "sofia", PINS["sofia"])
