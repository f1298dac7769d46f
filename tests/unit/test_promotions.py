"""Worked examples of the promotions engine: what a shopper would check on a receipt."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.domain.promotions import Item, Promotion, PromotionError, apply, check, in_force

THREE_FOR_TWO = Promotion(1, "3 for 2 apples", "multibuy", skus=frozenset({"APL"}), buy=3, pay=2)
TWO_FOR_500 = Promotion(2, "2 for 5.00 wine", "multibuy", skus=frozenset({"WIN"}), buy=2, bundle_price=500)


def apples(n: int) -> Item:
    return Item("APL", "fruit", n * 1000, 120)


@pytest.mark.parametrize(("units", "free"), [(2, 0), (3, 1), (4, 1), (5, 1), (6, 2), (9, 3)])
def test_three_for_two_repeats(units: int, free: int) -> None:
    assert apply([apples(units)], [THREE_FOR_TWO]).saving == free * 120


def test_two_for_five_repeats_and_leaves_the_odd_one() -> None:
    wine = Item("WIN", "drinks", 5000, 399)
    result = apply([wine], [TWO_FOR_500])
    assert result.lines[0].promotion_id == 2
    assert result.saving == 2 * (2 * 399 - 500)


def test_mix_and_match_frees_the_cheapest_of_each_bundle() -> None:
    group = Promotion(3, "any 3 cheeses, cheapest free", "mixmatch", skus=frozenset({"C1", "C2", "C3"}),
                      buy=3, pay=2)
    items = [Item("C1", None, 1000, 500), Item("C2", None, 2000, 300), Item("C3", None, 1000, 200)]
    result = apply(items, [group])
    # units 500, 300, 300 | 200: one bundle, the 300 goes free
    assert [a.discount for a in result.lines] == [0, 300, 0]


def test_a_bundle_dearer_than_its_units_is_not_formed() -> None:
    dear = Promotion(4, "2 for 3.00", "multibuy", skus=frozenset({"APL"}), buy=2, bundle_price=300)
    assert apply([apples(2)], [dear]).saving == 0


def test_best_price_wins_and_ties_go_to_the_lower_id() -> None:
    ten = Promotion(9, "10 % fruit", "category", categories=frozenset({"fruit"}), percent_bp=1000)
    also_ten = Promotion(8, "12 off apples", "category", skus=frozenset({"APL"}), amount_off=12)
    assert apply([apples(3)], [ten, also_ten, THREE_FOR_TWO]).lines[0].promotion_id == 1  # 120 > 36
    assert apply([apples(1)], [ten, also_ten]).lines[0] .promotion_id == 8  # 12 == 12: lower id


def test_price_list_only_for_its_group_and_never_dearer() -> None:
    wholesale = Promotion(5, "wholesale", "price_list", prices={"APL": 90, "PEAR": 500}, customer_group="wholesale")
    at = datetime(2026, 12, 4, 12, 0)
    assert in_force(wholesale, at, "wholesale") and not in_force(wholesale, at, "retail")
    items = [apples(2), Item("PEAR", "fruit", 1000, 400)]
    assert [a.discount for a in apply(items, [wholesale]).lines] == [60, 0]


def test_a_cashier_discounted_line_takes_no_promotion() -> None:
    assert apply([Item("APL", "fruit", 3000, 120, eligible=False)], [THREE_FOR_TWO]).saving == 0


def test_happy_hour_across_midnight_and_dates() -> None:
    late = Promotion(6, "late", "category", categories=frozenset({"fruit"}), percent_bp=100, daily_from=22 * 60,
                     daily_to=2 * 60, starts_at=datetime(2026, 12, 1), ends_at=datetime(2026, 12, 8))
    assert in_force(late, datetime(2026, 12, 4, 23, 30), None)
    assert in_force(late, datetime(2026, 12, 5, 1, 59), None)
    assert not in_force(late, datetime(2026, 12, 5, 2, 0), None)
    assert not in_force(late, datetime(2026, 12, 8, 23, 0), None)


@pytest.mark.parametrize("bad", [
    Promotion(1, "x", "nonsense"),
    Promotion(1, "x", "multibuy", skus=frozenset({"A", "B"}), buy=3, pay=2),
    Promotion(1, "x", "multibuy", skus=frozenset({"A"}), buy=3, pay=3),
    Promotion(1, "x", "multibuy", skus=frozenset({"A"}), buy=2, bundle_price=-1),
    Promotion(1, "x", "category", categories=frozenset({"c"}), percent_bp=10001),
    Promotion(1, "x", "price_list", prices={"A": -5}),
    Promotion(0, "x", "price_list", prices={"A": 5}),
    Promotion(1, "x", "price_list", prices={"A": 5}, daily_from=600),
])
def test_check_refuses_what_cannot_apply(bad: Promotion) -> None:
    with pytest.raises(PromotionError):
        check(bad)
