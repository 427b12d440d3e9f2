"""Stock to the store: the quantity shown, only changed items, batches of ≤ 100 per endpoint (reverse/1_stock)."""

from decimal import Decimal

import pytest

from wc_connector.rules.stock import (
    StockItem,
    changed,
    differing,
    plan_batches,
    shown_stock,
    starting_on_hand,
    starting_quantities,
    starting_quantity,
    store_quantity,
)


@pytest.mark.parametrize("odoo, buffer, shown", [
    (10, 0, 10), (10, 3, 7), (2, 5, 0), (7.8, 0, 7), (Decimal("4.999"), 0, 4), (-3, 0, 0), (None, 0, 0),
])
def test_the_store_shows_whole_units_less_the_buffer_never_below_zero(odoo, buffer, shown):
    assert store_quantity(odoo, buffer) == shown


def test_only_quantities_that_differ_from_the_last_push_are_sent():
    items = [StockItem(1, quantity=5, pushed=5), StockItem(2, quantity=4, pushed=5), StockItem(3, quantity=0)]
    assert [item.product_id for item in changed(items)] == [2, 3]


def test_a_reconcile_fixes_what_the_store_shows_differently_or_no_longer_manages():
    items = [
        StockItem(1, quantity=5, store_quantity=5),
        StockItem(2, quantity=5, store_quantity=3),
        StockItem(3, quantity=5, pushed=5, store_quantity=None, store_managed=False),
    ]
    assert [item.product_id for item in differing(items)] == [2, 3]


def test_a_reconcile_does_not_take_over_an_item_the_store_never_managed_and_odoo_never_pushed():
    items = [StockItem(4, quantity=0, store_quantity=None, store_managed=False)]
    assert differing(items) == []


@pytest.mark.parametrize("record, shown", [
    ({"manage_stock": True, "stock_quantity": 7}, (7, True)),
    ({"manage_stock": False, "stock_quantity": None}, (None, False)),
    ({"manage_stock": None, "stock_quantity": 3}, (3, False)),
    ({"manage_stock": "parent", "stock_quantity": 4}, (4, False)),  # a variation sharing its parent's count
    ({}, (None, False)),
])
def test_only_manage_stock_true_is_a_count_the_store_keeps(record, shown):
    assert shown_stock(record) == shown


@pytest.mark.parametrize("quantity, managed, taken", [
    (12, True, 12), (0, True, 0), (7.8, True, 7), ("5", True, 5), (-2, True, 0),
    (None, True, None), ("abc", True, None), (True, True, None), (float("nan"), True, None),
    (12, False, None),
])
def test_the_starting_quantity_is_a_managed_items_whole_count_never_below_zero(quantity, managed, taken):
    assert starting_quantity(quantity, managed) == taken


def test_starting_quantities_take_only_linked_items_the_store_counts():
    shown = {(1, 0): (9, True), (2, 0): (None, False), (3, 11): (4, True), (5, 0): (8, True)}
    keys = [(1, 0), (2, 0), (3, 11), (4, 0)]  # (4, 0) is not in the store any more; (5, 0) is not linked
    assert starting_quantities(shown, keys) == {(1, 0): 9, (3, 11): 4}


def test_variations_go_to_their_parents_endpoint_and_every_item_turns_stock_management_on():
    batches = plan_batches([StockItem(10, 0, 3), StockItem(20, 21, 4), StockItem(20, 22, 0), StockItem(11, 0, 1)])
    assert [batch.endpoint for batch in batches] == ["products", "products/20/variations"]
    assert batches[0].updates == (
        {"id": 10, "manage_stock": True, "stock_quantity": 3},
        {"id": 11, "manage_stock": True, "stock_quantity": 1},
    )
    assert batches[1].keys == ((20, 21), (20, 22))
    assert batches[0].keys == ((10, 0), (11, 0))


def test_batches_hold_at_most_one_hundred_items():
    batches = plan_batches([StockItem(i, 0, 1) for i in range(1, 251)], size=500)
    assert [len(batch.updates) for batch in batches] == [100, 100, 50]


@pytest.mark.parametrize("count, to_deliver, on_hand", [(12, 0, 12), (12, 2, 14), (0, 3, 3), (5, 1.5, 7), (4, None, 4)])
def test_open_deliveries_are_still_on_odoos_shelves_when_the_store_count_is_taken(count, to_deliver, on_hand):
    assert starting_on_hand(count, to_deliver) == on_hand
