"""Properties of the promotions engine over random carts and rule sets (app/domain/promotions.py)."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.promotions import Item, Promotion, PromotionBook, apply, price_promotions

SKUS = ("A", "B", "C", "D")
CATS = ("fruit", "dairy")
CATEGORY_OF = {"A": "fruit", "B": "fruit", "C": "dairy", "D": None}
PRICES = {"A": 100, "B": 250, "C": 99, "D": 1000}


@st.composite
def promotion(draw: st.DrawFn, pid: int) -> Promotion:
    kind = draw(st.sampled_from(("multibuy", "mixmatch", "category", "price_list")))
    if kind in ("multibuy", "mixmatch"):
        skus = frozenset({draw(st.sampled_from(SKUS))}) if kind == "multibuy" else frozenset(
            draw(st.sets(st.sampled_from(SKUS), min_size=1)))
        buy = draw(st.integers(2, 4))
        if draw(st.booleans()):
            return Promotion(pid, f"p{pid}", kind, skus=skus, buy=buy, pay=draw(st.integers(1, buy - 1)))
        return Promotion(pid, f"p{pid}", kind, skus=skus, buy=buy, bundle_price=draw(st.integers(0, 3000)))
    if kind == "category":
        cats = frozenset(draw(st.sets(st.sampled_from(CATS), min_size=1)))
        if draw(st.booleans()):
            return Promotion(pid, f"p{pid}", kind, categories=cats, percent_bp=draw(st.integers(1, 10000)))
        return Promotion(pid, f"p{pid}", kind, categories=cats, amount_off=draw(st.integers(1, 2000)))
    prices = draw(st.dictionaries(st.sampled_from(SKUS), st.integers(0, 1200), min_size=1))
    return Promotion(pid, f"p{pid}", kind, prices=prices)


@st.composite
def rules(draw: st.DrawFn) -> list[Promotion]:
    ids = draw(st.lists(st.integers(1, 50), unique=True, max_size=4))
    return [draw(promotion(pid)) for pid in ids]


line = st.tuples(st.sampled_from(SKUS), st.integers(1, 5), st.booleans())
carts = st.lists(line, max_size=5)  # 5 lines of at most 5 options each stay under SEARCH_LIMIT


def items_of(cart: list[tuple[str, int, bool]]) -> list[Item]:
    return [Item(sku, CATEGORY_OF[sku], qty * 1000, PRICES[sku], eligible) for sku, qty, eligible in cart]


def total(items: list[Item], promos: list[Promotion]) -> int:
    result = apply(items, promos)
    assert result.exact
    return sum(i.qty_milli * i.unit_price // 1000 for i in items) - result.saving


@settings(max_examples=300, deadline=None)
@given(carts, rules())
def test_no_line_goes_negative(cart: list[tuple[str, int, bool]], promos: list[Promotion]) -> None:
    items = items_of(cart)
    for item, applied in zip(items, apply(items, promos).lines, strict=True):
        assert 0 <= applied.discount <= item.qty_milli * item.unit_price // 1000
        assert (applied.promotion_id is None) == (applied.discount == 0)
        assert item.eligible or applied.discount == 0


@settings(max_examples=300, deadline=None)
@given(carts, rules(), st.randoms(use_true_random=False))
def test_scan_order_does_not_matter(cart: list[tuple[str, int, bool]], promos: list[Promotion], rnd) -> None:  # type: ignore[no-untyped-def]
    items = items_of(cart)
    shuffled = list(range(len(items)))
    rnd.shuffle(shuffled)
    first = apply(items, promos).lines
    second = apply([items[i] for i in shuffled], promos).lines
    assert sorted(zip(items, first, strict=True), key=repr) == sorted(
        zip([items[i] for i in shuffled], second, strict=True), key=repr)


@settings(max_examples=300, deadline=None)
@given(carts, rules(), line, st.booleans())
def test_adding_costs_at_most_the_item_and_removing_restores(
    cart: list[tuple[str, int, bool]], promos: list[Promotion], extra: tuple[str, int, bool], merge: bool,
) -> None:
    items = items_of(cart)
    sku, _qty, eligible = extra
    added = Item(sku, CATEGORY_OF[sku], 1000, PRICES[sku], eligible)
    same = next((n for n, i in enumerate(items) if i.sku == sku and i.eligible == eligible), None)
    if merge and same is not None:  # a second scan of a piece item adds to its line
        bigger = list(items)
        bigger[same] = Item(sku, CATEGORY_OF[sku], items[same].qty_milli + 1000, PRICES[sku], eligible)
    else:
        bigger = [*items, added]
    before = total(items, promos)
    after = total(bigger, promos)
    assert after - before <= PRICES[sku]
    assert total(items, promos) == before  # taking it out again gives the earlier price
    assert apply(items, promos) == apply(list(items), promos)


def test_book_and_schedule_filter_what_applies() -> None:
    happy = Promotion(7, "happy hour", "category", categories=frozenset({"fruit"}), percent_bp=5000,
                      daily_from=17 * 60, daily_to=18 * 60)
    book = PromotionBook([happy])
    items = [Item("A", "fruit", 1000, 100)]
    assert price_promotions(items, book, datetime(2026, 12, 4, 16, 59), None).saving == 0
    assert price_promotions(items, book, datetime(2026, 12, 4, 17, 0), None).saving == 50
    assert price_promotions(items, book, datetime(2026, 12, 4, 17, 59), None).saving == 50
    assert price_promotions(items, book, datetime(2026, 12, 4, 18, 0), None).saving == 0
