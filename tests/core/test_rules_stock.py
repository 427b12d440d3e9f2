"""Stock to the store: the quantity shown, only changed items, batches of ≤ 100 per endpoint (reverse/1_stock)."""

from decimal import Decimal

import pytest

from wc_connector.rules.stock import StockItem, changed, differing, plan_batches, store_quantity


@pytest.mark.parametrize("odoo, buffer, shown", [
    (10, 0, 10), (10, 3, 7), (2, 5, 0), (7.8, 0, 7), (Decimal("4.999"), 0, 4), (-3, 0, 0), (None, 0, 0),
])
def test_the_store_shows_whole_units_less_the_buffer_never_below_zero(odoo, buffer, shown):
    assert store_quantity(odoo, buffer) == shown


def test_only_quantities_that_differ_from_the_last_push_are_sent():
    items = [StockItem(1, quantity=5, pushed=5), StockItem(2, quantity=4, pushed=5), StockItem(3, quantity=0)]
    assert [item.product_id for item in changed(items)] == [2, 3]


def test_a_reconcile_fixes_what_the_store_shows_differently_or_does_not_manage():
    items = [
        StockItem(1, quantity=5, store_quantity=5),
        StockItem(2, quantity=5, store_quantity=3),
        StockItem(3, quantity=5, store_quantity=None, store_managed=False),
    ]
    assert [item.product_id for item in differing(items)] == [2, 3]


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
