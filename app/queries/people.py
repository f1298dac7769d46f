"""Who can log in, who can approve, and which customers match a search."""

from __future__ import annotations

from dataclasses import dataclass

from app.context import TillContext
from app.domain.permissions import ROLES, SUPERVISOR
from kernel.records import CustomerInfo, UserInfo


@dataclass(frozen=True)
class TillUser:
    """A user as the log-in and approval screens show them (never their PIN hash)."""

    id: str
    name: str
    role: str


def _shown(user: UserInfo) -> TillUser:
    return TillUser(user.id, user.name, user.role)


def users(ctx: TillContext) -> list[TillUser]:
    """The active users, for the log-in buttons."""
    with ctx.uow(read_only=True) as uow:
        return [_shown(u) for u in uow.people.users()]


def can_approve(role: str) -> bool:
    """A role that holds every supervisor right can approve what a cashier may not do alone."""
    return ROLES.get(role, frozenset()) >= SUPERVISOR


def approvers(ctx: TillContext) -> list[TillUser]:
    """The users the supervisor overlay offers."""
    return [u for u in users(ctx) if can_approve(u.role)]


def customers(ctx: TillContext, text: str = "") -> list[CustomerInfo]:
    """Customers whose name or number matches `text` (all of them, up to 40, when it is empty)."""
    with ctx.uow(read_only=True) as uow:
        return uow.people.customers(text, limit=40)
