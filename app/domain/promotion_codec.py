"""A promotion as the till stores it (one JSON object per rule) and back: the one place that
knows the stored form, so the importer, head office's publishing and pricing agree on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.domain.promotions import Promotion, PromotionError, check

_STAMP = "%Y-%m-%dT%H:%M"


def to_rule(p: Promotion) -> dict[str, Any]:
    """The JSON-able rule of `p` (id, name and kind are stored beside it)."""
    return {
        "skus": sorted(p.skus), "categories": sorted(p.categories), "buy": p.buy, "pay": p.pay,
        "bundle_price": p.bundle_price, "percent_bp": p.percent_bp, "amount_off": p.amount_off,
        "prices": dict(sorted(p.prices.items())), "customer_group": p.customer_group,
        "starts_at": p.starts_at.strftime(_STAMP) if p.starts_at else None,
        "ends_at": p.ends_at.strftime(_STAMP) if p.ends_at else None,
        "weekdays": sorted(p.weekdays) if p.weekdays is not None else None,
        "daily_from": p.daily_from, "daily_to": p.daily_to,
    }


def _int(rule: dict[str, Any], key: str, default: int | None = 0) -> Any:
    value = rule.get(key, default)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise PromotionError(f"The promotion's {key} is not a whole number.")


def _when(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.strptime(str(value), _STAMP)
    except ValueError:
        raise PromotionError(f"'{value}' is not a date and time (YYYY-MM-DDTHH:MM).") from None


def from_rule(pid: int, name: str, kind: str, rule: dict[str, Any]) -> Promotion:
    """The promotion a stored rule describes, checked (a damaged rule is refused, not guessed)."""
    if not isinstance(rule, dict):
        raise PromotionError("A promotion's rule must be an object.")
    prices = rule.get("prices") or {}
    if not isinstance(prices, dict) or not all(isinstance(v, int) and not isinstance(v, bool)
                                               for v in prices.values()):
        raise PromotionError("A price list's prices must be whole numbers of minor units.")
    weekdays = rule.get("weekdays")
    p = Promotion(
        id=pid, name=name, kind=kind, skus=frozenset(map(str, rule.get("skus") or ())),
        categories=frozenset(map(str, rule.get("categories") or ())), buy=_int(rule, "buy"), pay=_int(rule, "pay"),
        bundle_price=_int(rule, "bundle_price", None), percent_bp=_int(rule, "percent_bp"),
        amount_off=_int(rule, "amount_off"), prices={str(k): v for k, v in prices.items()},
        customer_group=rule.get("customer_group") or None, starts_at=_when(rule.get("starts_at")),
        ends_at=_when(rule.get("ends_at")),
        weekdays=frozenset(int(d) for d in weekdays) if weekdays is not None else None,
        daily_from=_int(rule, "daily_from", None), daily_to=_int(rule, "daily_to", None),
    )
    check(p)
    return p
