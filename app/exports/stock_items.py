"""One product's stock at one store as the inventory export values it, the same at the till and at
head office: on hand, status against its reorder level, value at cost and at price, margin.

A cost of None is unknown: its value at cost, margin and potential profit are empty (never 0) and
the Summary counts such items apart. Prices are as listed (tax included where the store prices so);
the margin is taken on the listed price.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

STATUS_WORDS = {"in-stock": "in stock", "low": "low", "out": "out"}


@dataclass(frozen=True)
class Item:
    store: str
    product_id: str
    sku: str
    name: str
    category: str | None
    unit: str
    barcode: str | None
    on_hand: int  # thousandths
    reorder_level: int  # thousandths: the product's own, else the store's default
    unit_cost: int | None  # minor units; None unknown
    price: int
    active: bool

    @property
    def status(self) -> str:
        """out at zero or below, low at or below the reorder level, else in stock (filter words)."""
        if self.on_hand <= 0:
            return "out"
        return "low" if self.on_hand <= self.reorder_level else "in-stock"

    @property
    def value_at_cost(self) -> int | None:
        return None if self.unit_cost is None else value(self.on_hand, self.unit_cost)

    @property
    def value_at_price(self) -> int:
        return value(self.on_hand, self.price)

    @property
    def unit_margin(self) -> int | None:
        return None if self.unit_cost is None else self.price - self.unit_cost

    @property
    def margin_bp(self) -> int | None:
        """(price - cost) / price in basis points, half away from zero; None without a price or cost."""
        if self.unit_cost is None or self.price == 0:
            return None
        return _div_half_up((self.price - self.unit_cost) * 10_000, self.price)

    @property
    def potential_profit(self) -> int | None:
        at_cost = self.value_at_cost
        return None if at_cost is None else self.value_at_price - at_cost


def _div_half_up(numerator: int, denominator: int) -> int:
    quotient, rest = divmod(abs(numerator), denominator)
    rounded = quotient + (1 if 2 * rest >= denominator else 0)
    return -rounded if numerator < 0 else rounded


def value(qty_milli: int, unit_amount: int) -> int:
    """A quantity in thousandths times an amount per unit, to the minor unit, half away from zero."""
    return _div_half_up(qty_milli * unit_amount, 1000)


def wanted(item: Item, checked: Mapping[str, Any]) -> bool:
    """--category (name, any case), --status, --min-qty and --exclude-zero-value (neither a
    positive value at cost nor at price; an unknown cost counts as no value)."""
    category = checked.get("category")
    if category and (item.category or "").casefold() != category.casefold():
        return False
    if checked.get("status") and item.status != checked["status"]:
        return False
    if checked.get("min_qty") is not None and item.on_hand < checked["min_qty"]:
        return False
    if checked.get("exclude_zero_value"):
        return (item.value_at_cost or 0) > 0 or item.value_at_price > 0
    return True


def listed(active: bool, on_hand: int) -> bool:
    """Active products, and inactive ones still holding stock (or owing it)."""
    return active or on_hand != 0
