"""Changing the till's settings: validated, admin only, and audited like any business action.

A change of tax mode or rounding changes every later receipt, so it belongs in the audit log
with what it was before.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.catalogue.fields import MAX_STOCK_MILLI
from app.context import TillContext
from app.domain.settings import DEFAULTS, TillSettings
from app.usecases.auth import require
from kernel.errors import InvalidInput
from kernel.money import AmountError, format_qty, parse_qty

IDENTITY = frozenset({"store_id", "till_id", "currency", "exponent"})
CHOICES = {
    "tax_mode": ("inclusive", "exclusive"), "tax_rounding": ("line", "receipt"),
    "rounding": ("half_up", "half_even"), "language": ("en", "de"), "standalone": ("true", "false"),
}


def _text(limit: int, *, required: bool = False, multiline: bool = False) -> Callable[[str], str]:
    def check(value: str) -> str:
        allowed = {"\n"} if multiline else set()
        if any(not (ch.isprintable() or ch in allowed) for ch in value):
            raise InvalidInput("Settings text cannot hold control characters.")
        value = value.strip()
        if required and not value:
            raise InvalidInput("This setting cannot be empty.")
        if len(value) > limit:
            raise InvalidInput(f"This setting is at most {limit} characters.")
        return value
    return check


def _int(low: int, high: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not value.strip().isdigit() or not low <= int(value) <= high:
            raise InvalidInput(f"This setting is a whole number from {low} to {high}.")
        return str(int(value))
    return check


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in options:
            raise InvalidInput(f"Choose one of: {', '.join(options)}.")
        return value
    return check


def _percent(value: str) -> str:
    try:
        pct = Decimal(value.strip())
    except InvalidOperation:
        raise InvalidInput(f"'{value[:20]}' is not a percentage.") from None
    if not pct.is_finite() or not 0 <= pct <= 100:
        raise InvalidInput("A percentage is between 0 and 100.")
    return str(pct)


def _quantity(value: str) -> str:
    """A stock quantity of at most 3 decimals, zero or more, kept as its audit form ("5.000")."""
    try:
        milli = parse_qty(value.strip()[:40])
    except (AmountError, InvalidOperation, ValueError):
        raise InvalidInput(f"'{value[:20]}' is not a quantity such as 5 or 2.5.") from None
    if not 0 <= milli <= MAX_STOCK_MILLI:
        raise InvalidInput("A reorder level is zero or more.")
    return format_qty(milli)


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"'{value[:60]}' is not a time zone; use a name like Europe/Berlin.") from None
    return value.strip()


def _device(parse_name: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        from devices import urls  # the device layer owns its URL grammar

        try:
            getattr(urls, parse_name)(value.strip())
        except urls.DeviceUrlError as exc:
            raise InvalidInput(str(exc)) from None
        return value.strip()
    return check


VALIDATORS: dict[str, Callable[[str], str]] = {
    **{key: _choice(options) for key, options in CHOICES.items()},
    "store_name": _text(80, required=True), "store_address": _text(300, multiline=True),
    "receipt_header": _text(300, multiline=True), "receipt_footer": _text(300, multiline=True),
    "cash_rounding": _int(0, 100), "rollover_hour": _int(0, 12), "reservation_minutes": _int(1, 1440),
    "cashier_max_discount_percent": _percent, "max_line_qty": _int(1, 100_000), "timezone": _timezone,
    "lockout_attempts": _int(1, 20), "lockout_minutes": _int(1, 1440), "reorder_level_default": _quantity,
    "device.printer": _device("parse_printer_url"), "device.drawer": _device("parse_drawer_url"),
    "device.display": _device("parse_display_url"), "device.scale": _device("parse_scale_url"),
    "device.scanner": _device("parse_scanner_url"), "device.paper_width": _device("parse_paper_width"),
    "device.printer_profile": _text(40, required=True), "export_folder": _text(500),
}


def update(ctx: TillContext, user_id: str, values: dict[str, str]) -> TillContext:
    """Apply the changed settings in one audited transaction; returns a context with them."""
    cleaned: dict[str, str] = {}
    for key, raw in values.items():
        if key in IDENTITY:
            raise InvalidInput("The store, till and currency of a till never change.")
        if key not in VALIDATORS:
            raise InvalidInput(f"'{key[:40]}' is not a setting of this till.")
        cleaned[key] = VALIDATORS[key](str(raw))
    with ctx.uow() as uow:
        require(uow, user_id, "settings")
        current = uow.settings.all()
        changes: dict[str, dict[str, str | None]] = {
            key: {"from": current.get(key, DEFAULTS.get(key)), "to": value}
            for key, value in cleaned.items() if current.get(key, DEFAULTS.get(key)) != value
        }
        if not changes:
            return ctx
        for key, value in cleaned.items():
            if key in changes:
                uow.settings.set(key, value)
        uow.audit.append(ts=ctx.now_iso(), type_="settings.changed", actor=user_id, data={"changes": changes})
        merged = {**current, **cleaned}
        uow.commit()
    return ctx.with_settings(TillSettings.from_mapping(merged))
