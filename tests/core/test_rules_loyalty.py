"""Store orders of club members earn loyalty points as the programme's rules say."""

from decimal import Decimal

import pytest

from wc_connector.rules.loyalty import PER_MONEY, PER_ORDER, PER_UNIT, EarningRule, points_earned


def test_points_per_order_per_money_and_per_unit_add_up():
    rules = [EarningRule(PER_ORDER, Decimal(10)), EarningRule(PER_MONEY, Decimal("0.5")), EarningRule(PER_UNIT, Decimal(2))]
    assert points_earned(rules, Decimal("100.50"), 3) == Decimal("66.25")  # 10 + 50.25 + 6


def test_a_rule_below_its_minimum_earns_nothing():
    rules = [EarningRule(PER_MONEY, Decimal(1), minimum_amount=Decimal(50)), EarningRule(PER_ORDER, Decimal(5), minimum_quantity=Decimal(2))]
    assert points_earned(rules, Decimal("49.99"), 1) == 0
    assert points_earned(rules, Decimal("50"), 2) == Decimal("55.00")


def test_no_rules_no_points_and_unknown_modes_are_refused():
    assert points_earned([], 100, 1) == 0
    with pytest.raises(ValueError, match="earns per"):
        EarningRule("per_smile")
