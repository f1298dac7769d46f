"""The stored settings, as the admin's settings form shows them."""

from __future__ import annotations

from app.context import TillContext


def stored(ctx: TillContext) -> dict[str, str]:
    """Every setting the till holds (keys never set are absent: the form shows their defaults)."""
    with ctx.uow(read_only=True) as uow:
        return uow.settings.all()
