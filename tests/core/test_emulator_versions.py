"""The emulator's WooCommerce version switch: 8.9 (the default) or 10.5, over real HTTP."""

import pytest
from test_emulator_helpers import call

from wc_emulator import EmulatedStore
from wc_emulator.generator import generate_store
from wc_emulator.versions import store_version


def test_an_unknown_version_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="8.9, 10.5"):
        EmulatedStore(generate_store(seed=3, orders=2), wc_version="9.0")
    assert store_version("10.5.0") is store_version("10.5")


@pytest.mark.parametrize("version, woocommerce, wordpress", [("8.9", "8.9.1", "6.5.3"), ("10.5", "10.5.0", "6.9.1")])
def test_the_store_reports_its_version_and_new_orders_carry_it(version, woocommerce, wordpress):
    with EmulatedStore(generate_store(seed=3, orders=4), wc_version=version) as store:
        status = call(store, "GET", "/system_status").json()
        assert (status["environment"]["version"], status["environment"]["wp_version"]) == (woocommerce, wordpress)
        assert ("enabled_features" in status["settings"]) is (version == "10.5")
        product = next(iter(store.data.products))
        created = call(store, "POST", "/orders", {"line_items": [{"product_id": product, "quantity": 1}],
                                                   "shipping_lines": [{"method_id": "flat_rate", "total": "4.90"}]})
        assert created.status_code == 201
        order = created.json()
        assert order["version"] == woocommerce
        assert ("global_unique_id" in order["line_items"][0]) is (version == "10.5")
        assert ("tax_status" in order["shipping_lines"][0]) is (version == "10.5")
        shown = call(store, "GET", f"/products/{product}").json()
        assert ("brands" in shown and "global_unique_id" in shown) is (version == "10.5")


def test_a_10_5_store_rounds_per_rate_taxes_to_its_decimals_and_dp_changes_them():
    with EmulatedStore(generate_store(seed=5, orders=30), wc_version="10.5") as store:
        orders = call(store, "GET", "/orders", per_page=100).json()
        taxes = [tax["total"] for order in orders for line in order["line_items"] for tax in line["taxes"]]
        assert taxes and all(len(total.partition(".")[2]) == 2 for total in taxes)
        precise = call(store, "GET", "/orders", per_page=100, dp=4).json()
        assert all(len(tax["total"].partition(".")[2]) == 4
                   for order in precise for line in order["line_items"] for tax in line["taxes"])
