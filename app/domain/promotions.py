"""Promotions and price lists: which automatic discount each cart line gets, and how much.

Pure and exact: integers of minor units and thousandths, no I/O, no clock (the caller passes
the store's wall-clock time). The same cart gives the same result whatever order it was
scanned in, and no line is ever discounted below zero.

Kinds (`Promotion.kind`):

- `multibuy` / `mixmatch`: any `buy` units of the products in `skus` (one product for a
  multi-buy, a group for mix-and-match) either for `bundle_price` ("2 for 5.00") or paying
  only `pay` of them ("3 for 2", the cheapest of each bundle free). It repeats: a buy-3-pay-2
  applies twice to 6 units. Units are bundled most expensive first, which gives the customer
  the largest saving; a bundle that would not be cheaper than its units is not formed.
  Only whole units count (a weighed line takes no part).
- `category`: `percent_bp` (hundredths of a percent) or `amount_off` per unit off every line
  whose product is in one of `categories` (or is one of `skus`).
- `price_list`: lines of the products in `prices` cost the list price instead (a wholesale
  list); set `customer_group` so only that group's customers get it.

Any promotion may be limited to a `customer_group` (the customer's type, e.g. `wholesale`),
to a period (`starts_at` inclusive, `ends_at` exclusive, naive wall-clock times of the store's
time zone), to `weekdays` (0 = Monday) and to daily hours (`daily_from` inclusive, `daily_to`
exclusive, minutes after midnight; a window may run past midnight) for a happy hour.

Choosing (the tie rule): each line takes at most one promotion. The engine picks the
assignment of lines to promotions that saves the customer the most in total; among equal
totals, the one that, going through the lines in their canonical order (by SKU, price,
quantity), gives each line the lowest promotion id (and a promotion before none). A line with
a cashier's discount or price override takes no promotion: the cashier's decision stands.
Lines joined by no promotion are priced apart, so the search stays small; a group of lines
with more than `SEARCH_LIMIT` possible assignments is settled greedily instead (the
promotion saving most on its lines first, lower id on a tie) and `Result.exact` says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from app.domain.pricing import HALF_UP, allocate, round_div

KINDS = ("multibuy", "mixmatch", "category", "price_list")
BUNDLE_KINDS = ("multibuy", "mixmatch")
SEARCH_LIMIT = 4096
"""Assignments tried exactly per group of connected lines before the greedy rule takes over."""


class PromotionError(ValueError):
    """A promotion that cannot be applied as written; the message names what is wrong."""


@dataclass(frozen=True)
class Promotion:
    id: int
    name: str
    kind: str
    skus: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    buy: int = 0
    pay: int = 0
    bundle_price: int | None = None
    percent_bp: int = 0
    amount_off: int = 0
    prices: Mapping[str, int] = field(default_factory=dict)
    customer_group: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    weekdays: frozenset[int] | None = None
    daily_from: int | None = None
    daily_to: int | None = None


@dataclass(frozen=True)
class Item:
    """One cart line as the engine sees it."""

    sku: str
    category: str | None
    qty_milli: int
    unit_price: int
    eligible: bool = True  # False: the cashier discounted or re-priced it


@dataclass(frozen=True)
class Applied:
    promotion_id: int | None
    discount: int


@dataclass(frozen=True)
class Result:
    lines: tuple[Applied, ...]
    exact: bool = True

    @property
    def saving(self) -> int:
        return sum(a.discount for a in self.lines)


# -- validation -------------------------------------------------------------------------


def check(p: Promotion) -> None:
    """Refuse a promotion the engine could not apply sensibly (the importer's last word)."""
    if p.kind not in KINDS:
        raise PromotionError(f"'{p.kind}' is not a promotion kind; use one of {', '.join(KINDS)}.")
    if isinstance(p.id, bool) or not isinstance(p.id, int) or p.id <= 0:
        raise PromotionError("A promotion id is a whole number above zero.")
    if p.kind in BUNDLE_KINDS:
        if not p.skus:
            raise PromotionError("A multi-buy names the products it covers.")
        if p.kind == "multibuy" and len(p.skus) != 1:
            raise PromotionError("A multi-buy covers one product; use mixmatch for a group.")
        if not 2 <= p.buy <= 1000:
            raise PromotionError("A multi-buy bundles between 2 and 1000 units.")
        if (p.bundle_price is None) == (not p.pay):
            raise PromotionError("A multi-buy has either a bundle price or a number of units paid, not both.")
        if p.bundle_price is not None and p.bundle_price < 0:
            raise PromotionError("A bundle price cannot be negative.")
        if p.pay and not 1 <= p.pay < p.buy:
            raise PromotionError("The units paid must be fewer than the units bundled, and at least one.")
    elif p.kind == "category":
        if not p.categories and not p.skus:
            raise PromotionError("A category offer names its categories or products.")
        if bool(p.percent_bp) == bool(p.amount_off):
            raise PromotionError("A category offer takes a percentage or an amount off, one of them.")
        if not 0 <= p.percent_bp <= 10000 or p.amount_off < 0:
            raise PromotionError("A percentage is between 0 and 100 and an amount off is not negative.")
    else:
        if not p.prices:
            raise PromotionError("A price list lists at least one product's price.")
        if any(price < 0 for price in p.prices.values()):
            raise PromotionError("A list price cannot be negative.")
    if p.starts_at and p.ends_at and p.ends_at <= p.starts_at:
        raise PromotionError("A promotion must end after it starts.")
    if (p.daily_from is None) != (p.daily_to is None):
        raise PromotionError("Daily hours need both a start and an end.")
    if p.daily_from is not None and (not 0 <= p.daily_from < 1440 or not 0 <= (p.daily_to or 0) <= 1440
                                     or p.daily_from == p.daily_to):
        raise PromotionError("Daily hours run from 00:00 to 24:00 and must not start and end at once.")


# -- when -------------------------------------------------------------------------------


def in_force(p: Promotion, at: datetime, customer_group: str | None) -> bool:
    """Whether `p` applies at `at` (the store's wall-clock time) for a customer of that group."""
    if p.customer_group is not None and p.customer_group != customer_group:
        return False
    if p.starts_at is not None and at < p.starts_at:
        return False
    if p.ends_at is not None and at >= p.ends_at:
        return False
    if p.weekdays is not None and at.weekday() not in p.weekdays:
        return False
    if p.daily_from is not None and p.daily_to is not None:
        minute = at.hour * 60 + at.minute
        if p.daily_from < p.daily_to:
            return p.daily_from <= minute < p.daily_to
        return minute >= p.daily_from or minute < p.daily_to
    return True


class PromotionBook:
    """Promotions indexed by product and category, so pricing a cart looks only at its own."""

    def __init__(self, promotions: Iterable[Promotion]) -> None:
        self.promotions = tuple(sorted(promotions, key=lambda p: p.id))
        self.by_id = {p.id: p for p in self.promotions}
        self._by_sku: dict[str, list[Promotion]] = {}
        self._by_category: dict[str, list[Promotion]] = {}
        self._touching: dict[tuple[str, str | None], list[Promotion]] = {}
        for p in self.promotions:
            for sku in (*p.skus, *p.prices):
                self._by_sku.setdefault(sku, []).append(p)
            for cat in p.categories:
                self._by_category.setdefault(cat, []).append(p)

    def __len__(self) -> int:
        return len(self.promotions)

    def touching(self, item: Item) -> list[Promotion]:
        """The promotions naming the item's product or category, by id (kept per product and category)."""
        key = (item.sku, item.category)
        hit = self._touching.get(key)
        if hit is None:
            found = {p.id: p for p in self._by_sku.get(item.sku, ())}
            if item.category is not None:
                found.update((p.id, p) for p in self._by_category.get(item.category, ()))
            hit = self._touching[key] = [p for _, p in sorted(found.items())]
        return hit

    def relevant(self, items: Iterable[Item], at: datetime, customer_group: str | None) -> list[Promotion]:
        """The promotions in force that touch one of `items`, by id."""
        found = {p.id: p for item in items for p in self.touching(item)}
        return [p for _, p in sorted(found.items()) if in_force(p, at, customer_group)]


def price_promotions(items: Sequence[Item], book: PromotionBook, at: datetime, customer_group: str | None,
                     rounding: str = HALF_UP) -> Result:
    """The promotion (or none) and its discount for each of `items`, in their order."""
    if not len(book):
        return Result(tuple(Applied(None, 0) for _ in items))
    return apply(items, book.relevant(items, at, customer_group), rounding, book.touching)


# -- what one promotion saves -------------------------------------------------------------


def _base(item: Item, rounding: str) -> int:
    return round_div(item.qty_milli * item.unit_price, 1000, rounding)


def covers(p: Promotion, item: Item) -> bool:
    """Whether `p` can discount `item` at all."""
    if not item.eligible or item.qty_milli <= 0:
        return False
    if p.kind in BUNDLE_KINDS:
        return item.sku in p.skus and item.qty_milli % 1000 == 0
    if p.kind == "category":
        return item.sku in p.skus or (item.category is not None and item.category in p.categories)
    return item.sku in p.prices and p.prices[item.sku] < item.unit_price


def line_saving(p: Promotion, item: Item, rounding: str) -> int:
    """What a per-line promotion (category, price list) takes off `item`; never more than the line."""
    base = _base(item, rounding)
    if p.kind == "category":
        if p.percent_bp:
            return min(round_div(base * p.percent_bp, 10000, rounding), base)
        return min(round_div(p.amount_off * item.qty_milli, 1000, rounding), base)
    return min(round_div(item.qty_milli * (item.unit_price - p.prices[item.sku]), 1000, rounding), base)


def bundle_savings(p: Promotion, items: Sequence[tuple[int, Item]], rounding: str) -> dict[int, int]:
    """Per item key, what a multi-buy takes off the units of `items` (key, item) it bundles."""
    units = sorted((-item.unit_price, n, key) for n, (key, item) in enumerate(items)
                   for _ in range(item.qty_milli // 1000))
    out: dict[int, int] = {}
    for start in range(0, len(units) - p.buy + 1, p.buy):
        bundle = units[start:start + p.buy]
        prices = [-neg for neg, _, _ in bundle]
        if p.bundle_price is not None:
            saving = sum(prices) - p.bundle_price
            if saving <= 0:
                break  # later bundles are cheaper still
            parts = allocate(saving, prices)
        else:
            parts = [0] * p.pay + prices[p.pay:]  # the cheapest of the bundle go free
        for (_, _, key), part in zip(bundle, parts, strict=True):
            out[key] = out.get(key, 0) + part
    return out


# -- choosing ------------------------------------------------------------------------------


def _canonical_key(item: Item, i: int) -> tuple[str, int, int, str, bool, int]:
    """Identical lines differ only in `i`, and then either may come first: they get the same."""
    return item.sku, item.unit_price, item.qty_milli, item.category or "", item.eligible, i


def _canonical(items: Sequence[Item]) -> list[int]:
    return sorted(range(len(items)), key=lambda i: _canonical_key(items[i], i))


def _evaluate(assign: Mapping[int, Promotion], items: Sequence[Item], rounding: str) -> dict[int, int]:
    """Per item index, the discount of the promotion assigned to it. Units of equal price are
    bundled in the items' canonical order, never in scan order."""
    out: dict[int, int] = {}
    bundles: dict[int, list[tuple[int, Item]]] = {}
    by_id: dict[int, Promotion] = {}
    for i, p in assign.items():
        if p.kind in BUNDLE_KINDS:
            bundles.setdefault(p.id, []).append((i, items[i]))
            by_id[p.id] = p
        else:
            out[i] = line_saving(p, items[i], rounding)
    for pid, members in bundles.items():
        members.sort(key=lambda m: _canonical_key(m[1], m[0]))
        out.update({i: 0 for i, _ in members})
        out.update(bundle_savings(by_id[pid], members, rounding))
    return out


def _components(order: list[int], options: dict[int, list[Promotion]]) -> list[list[int]]:
    """Items joined through shared bundle promotions, each group in canonical order."""
    parent = {i: i for i in order}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[int, int] = {}
    for i in order:
        for p in options[i]:
            if p.kind in BUNDLE_KINDS:
                j = first.setdefault(p.id, i)
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in order:
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _search(group: list[int], options: dict[int, list[Promotion | None]], items: Sequence[Item],
            rounding: str) -> dict[int, Promotion]:
    """The best assignment of `group`, first found in tie-rule order on equal savings."""
    best: tuple[int, dict[int, Promotion]] = (-1, {})
    chosen: dict[int, Promotion] = {}
    known: dict[tuple[int, tuple[int, ...]], int] = {}  # (promotion, its lines) -> what it saves

    def saving() -> int:
        """The same total as `_evaluate`, each promotion's part worked out once per set of lines."""
        total = 0
        members: dict[int, list[int]] = {}
        promos: dict[int, Promotion] = {}
        for i in group:  # canonical order, as `_evaluate` bundles
            p = chosen.get(i)
            if p is not None:
                members.setdefault(p.id, []).append(i)
                promos[p.id] = p
        for pid, lines in members.items():
            key = (pid, tuple(lines))
            part = known.get(key)
            if part is None:
                part = known[key] = sum(_evaluate({i: promos[pid] for i in lines}, items, rounding).values())
            total += part
        return total

    def walk(n: int) -> None:
        nonlocal best
        if n == len(group):
            total = saving()
            if total > best[0]:
                best = (total, dict(chosen))
            return
        i = group[n]
        for p in options[i]:
            if p is None:
                chosen.pop(i, None)
            else:
                chosen[i] = p
            walk(n + 1)
        chosen.pop(i, None)

    walk(0)
    return best[1]


def _greedy(group: list[int], options: dict[int, list[Promotion | None]], items: Sequence[Item],
            rounding: str) -> dict[int, Promotion]:
    """The promotion saving most on its still free lines first (lower id on a tie), repeated."""
    free = set(group)
    assign: dict[int, Promotion] = {}
    while True:
        candidates: dict[int, Promotion] = {p.id: p for i in free for p in options[i] if p is not None}
        best: tuple[int, int, dict[int, Promotion]] | None = None
        for pid, p in sorted(candidates.items()):
            trial = {i: p for i in group if i in free and p in options[i]}
            saving = sum(_evaluate(trial, items, rounding).values())
            if saving > 0 and (best is None or saving > best[0]):
                best = (saving, pid, trial)
        if best is None:
            return assign
        assign.update(best[2])
        free -= set(best[2])


def _never_saving(order: list[int], covering: Mapping[int, list[Promotion]], items: Sequence[Item],
                  rounding: str) -> set[int]:
    """Ids of multi-buys that save nothing even with every line they cover (too few units, or a
    bundle price above the dearest units): leaving them out changes no result and keeps the search small."""
    members: dict[int, list[tuple[int, Item]]] = {}
    promos: dict[int, Promotion] = {}
    for i in order:
        for p in covering[i]:
            if p.kind in BUNDLE_KINDS:
                members.setdefault(p.id, []).append((i, items[i]))
                promos[p.id] = p
    useless = set()
    for pid, held in members.items():
        p = promos[pid]
        if sum(item.qty_milli // 1000 for _, item in held) < p.buy or not any(
                bundle_savings(p, held, rounding).values()):
            useless.add(pid)
    return useless


def apply(items: Sequence[Item], promotions: Sequence[Promotion], rounding: str = HALF_UP,
          near: Callable[[Item], list[Promotion]] | None = None) -> Result:
    """Assign promotions to `items` by the tie rule of this module; the result is in `items` order.
    `near`: the promotions indexed for an item (a PromotionBook's `touching`), to skip indexing again."""
    order = _canonical(items)
    ranked = sorted(promotions, key=lambda p: p.id)
    if near is None:
        local = PromotionBook(ranked)
        near = local.touching
    allowed = {p.id for p in ranked}
    covering = {i: [p for p in near(items[i]) if p.id in allowed and covers(p, items[i])] for i in order}
    useless = _never_saving(order, covering, items, rounding)
    options: dict[int, list[Promotion | None]] = {}
    for i in order:
        mine = [p for p in covering[i] if p.id not in useless]
        per_line = [p for p in mine if p.kind not in BUNDLE_KINDS]
        best_line = max(per_line, key=lambda p: (line_saving(p, items[i], rounding), -p.id), default=None)
        keep = [p for p in mine if p.kind in BUNDLE_KINDS or p is best_line]
        options[i] = [*keep, None]
    assign: dict[int, Promotion] = {}
    exact = True
    for i in order:  # a line no multi-buy could take simply gets its best per-line promotion
        only = options[i][0]
        if len(options[i]) == 2 and only is not None and only.kind not in BUNDLE_KINDS:
            assign[i] = only
    bundled = [i for i in order if any(p is not None and p.kind in BUNDLE_KINDS for p in options[i])]
    for group in _components(bundled, {i: [p for p in options[i] if p is not None] for i in bundled}):
        size = 1
        for i in group:
            size *= len(options[i])
        if size <= SEARCH_LIMIT:
            assign.update(_search(group, options, items, rounding))
        else:
            exact = False
            assign.update(_greedy(group, options, items, rounding))
    discounts = _evaluate(assign, items, rounding)
    return Result(tuple(
        Applied(assign[i].id, discounts[i]) if discounts.get(i) else Applied(None, 0) for i in range(len(items))
    ), exact)
