"""Who is master of what, per store: the settings, their defaults and what the form says."""

from odoo.tests import tagged

from .common import WcStoreCase


@tagged("post_install", "-at_install")
class TestStoreDirections(WcStoreCase):
    def test_a_new_store_has_the_directions_a_shop_expects(self):
        store = self.create_store()
        self.assertEqual(store.wc_orders_flow, "both")
        self.assertEqual(store.wc_stock_flow, "off", "stock is sent only once the shop starts it")
        self.assertEqual((store.wc_contacts_flow, store.wc_contacts_conflict), ("both", "newest"))
        self.assertFalse(store._wc_allows_export("stock"))
        self.assertFalse(store._wc_allows_import("stock"))
        self.assertIn("Stock is not sent to the store yet", store.wc_stock_notice)

    def test_a_direction_that_is_off_says_so_on_the_form(self):
        store = self.create_store(wc_stock_flow="odoo_to_store")
        self.assertFalse(store.wc_stock_notice)
        store.wc_stock_flow = "off"
        self.assertFalse(store._wc_allows_export("stock"))
        self.assertIn("Nothing is sent to the store for: Stock", store.wc_directions_summary)
        self.assertIn("Not taken from the store: Stock", store.wc_directions_summary)

    def test_the_conflict_rule_names_the_winner(self):
        from datetime import datetime, timedelta
        store = self.create_store(wc_orders_conflict="store")
        now = datetime(2026, 5, 1, 10, 0)
        self.assertEqual(store._wc_winner("orders", now + timedelta(seconds=5), now), "store")
        store.wc_orders_conflict = "newest"
        self.assertEqual(store._wc_winner("orders", now + timedelta(seconds=5), now), "odoo")
