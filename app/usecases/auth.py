"""Log-in with lock-out, and one-shot approvals for actions a user's role lacks."""

from __future__ import annotations

from datetime import datetime

from app.context import TillContext
from app.domain.permissions import Approval, allowed, describe
from app.domain.pins import verify_pin
from app.domain.text import plural, printable
from app.usecases import live_anomalies
from db.uow import UnitOfWork
from kernel.errors import ApprovalRequired, LockedOut, NotFound, PermissionDenied
from kernel.records import UserInfo


def login(ctx: TillContext, user_id: str, pin: str) -> UserInfo:
    """Check a PIN; the fifth wrong one in a row locks the user for the configured minutes."""
    with ctx.uow() as uow:
        user = uow.people.user(user_id)
        if user is None or not user.active:
            raise NotFound("That user does not exist or is no longer active.")
        now = ctx.now_iso()
        if user.locked_until and user.locked_until > now:
            until = datetime.fromisoformat(user.locked_until.replace("Z", "+00:00"))
            minutes = max(1, int((until - ctx.now()).total_seconds() // 60) + 1)
            raise LockedOut(
                f"{user.name} is locked after too many wrong PINs. Try again in {plural(minutes, 'minute', 'minutes')}."
            )
        if verify_pin(pin, user.pin_hash):
            uow.people.set_login_state(user.id, 0, None)
            uow.audit.append(ts=now, type_="user.login", actor=user.id, data={"user_id": user.id})
            uow.commit()
            return user
        attempts, locked_until = _record_wrong_pin(uow, ctx, user)
        limit = ctx.settings.lockout_attempts
        uow.commit()
    if locked_until:
        raise LockedOut(f"Wrong PIN. {user.name} is now locked for {ctx.settings.lockout_minutes} minutes.")
    raise PermissionDenied(
        f"Wrong PIN. {plural(limit - attempts, 'attempt', 'attempts')} left before the user is locked."
    )


def _record_wrong_pin(uow: UnitOfWork, ctx: TillContext, user: UserInfo, **extra: str) -> tuple[int, str | None]:
    """Count a wrong PIN (locking the user at the limit) and audit it; (attempts, locked until)."""
    attempts = user.failed_attempts + 1
    limit = ctx.settings.lockout_attempts
    locked_until = ctx.later_iso(minutes=ctx.settings.lockout_minutes) if attempts >= limit else None
    uow.people.set_login_state(user.id, 0 if locked_until else attempts, locked_until)
    uow.audit.append(
        ts=ctx.now_iso(),
        type_="user.login_failed",
        actor=None,
        data={"user_id": user.id, "attempt": attempts, "locked": bool(locked_until), **extra},
    )
    live_anomalies.after_failed_login(uow, ctx, user.id)
    return attempts, locked_until


def _count_wrong_approval_pin(ctx: TillContext, approver_id: str, action: str) -> None:
    """A wrong PIN typed for an approval counts toward the supervisor's lock-out like one typed
    at log-in; it is written in its own transaction, after the refused action rolled back."""
    with ctx.uow() as uow:
        user = uow.people.user(approver_id)
        if user is None or not user.active:
            return
        _record_wrong_pin(uow, ctx, user, approval=action)
        uow.commit()


def logout(ctx: TillContext, user_id: str) -> None:
    with ctx.uow() as uow:
        uow.audit.append(ts=ctx.now_iso(), type_="user.logout", actor=user_id, data={"user_id": user_id})
        uow.commit()


def authorize(uow: UnitOfWork, ctx: TillContext, actor_id: str, action: str, approval: Approval | None) -> str:
    """Who approved `action`: the actor if their role allows it, else the supervisor whose PIN
    came with this one call. A granted override is audited in the same transaction."""
    actor = uow.people.user(actor_id)
    if actor is None or not actor.active:
        raise PermissionDenied("Log in first.")
    if allowed(actor.role, action):
        return actor.id
    if approval is None:
        raise ApprovalRequired(f"A supervisor must approve this: {describe(action)}.", action)
    approver = uow.people.user(approval.approver_id)
    if approver is not None and approver.locked_until and approver.locked_until > ctx.now_iso():
        raise PermissionDenied(f"{approver.name} is locked after too many wrong PINs and cannot approve now.")
    if approver is None or not approver.active or not verify_pin(approval.pin, approver.pin_hash):
        if approver is not None and approver.active:
            uow.after_rollback(lambda: _count_wrong_approval_pin(ctx, approver.id, action))
        raise PermissionDenied("The supervisor PIN is not right. Nothing was changed.")
    if not allowed(approver.role, action):
        raise PermissionDenied(f"{approver.name} may not approve this: {describe(action)}.")
    reason = printable(approval.reason).strip()
    if not reason:
        raise PermissionDenied("Give a reason for the approval.")
    uow.audit.append(
        ts=ctx.now_iso(),
        type_="override.granted",
        actor=actor.id,
        data={"action": action, "approved_by": approver.id, "reason": reason[:200]},
    )
    return approver.id


def require(uow: UnitOfWork, actor_id: str, action: str) -> UserInfo:
    """The actor, if their own role allows the action (no override possible)."""
    actor = uow.people.user(actor_id)
    if actor is None or not actor.active:
        raise PermissionDenied("Log in first.")
    if not allowed(actor.role, action):
        raise PermissionDenied(f"{actor.name} may not {describe(action)}.")
    return actor
