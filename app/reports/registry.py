"""Report makers registered by report type (seed 001's plugin idea): a new report registers
itself with `@report_maker("name")` and the CLI and GUI find it here, with no edit in the core."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Maker = Callable[..., dict[str, Any]]
_MAKERS: dict[str, Maker] = {}


def report_maker(report_type: str) -> Callable[[Maker], Maker]:
    def register(fn: Maker) -> Maker:
        if report_type in _MAKERS and _MAKERS[report_type] is not fn:
            raise ValueError(f"a report maker for '{report_type}' is already registered")
        _MAKERS[report_type] = fn
        return fn

    return register


def _load_builtin() -> None:
    from app.reports import commission, daily, shift_report  # noqa: F401 - they register themselves


def report_types() -> list[str]:
    _load_builtin()
    return sorted(_MAKERS)


def make_report(report_type: str, ctx: Any, **params: Any) -> dict[str, Any]:
    """Run the maker registered for `report_type` (x, z, shift, commission, ...)."""
    _load_builtin()
    try:
        maker = _MAKERS[report_type]
    except KeyError:
        raise KeyError(f"no report called '{report_type}'; known: {', '.join(sorted(_MAKERS))}") from None
    return maker(ctx, **params)
