"""What a shop owner does in the browser: Odoo tours in headless Chromium (Debian package ``chromium``).

``scripts/test`` says so and skips these when no Chromium is installed.
"""

import copy
from datetime import datetime

from odoo.tests import HttpCase, tagged

from .common import ensure_currency_rate
from .order_fixtures import captured_orders, connected_store_values, serve_captured_store


def by_id(order_id):
    return copy.deepcopy(next(data for data in captured_orders() if data["id"] == order_id))


@tagged("post_install", "-at_install")
class TestShopOwnerTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emulated = serve_captured_store(cls)
        ensure_currency_rate(cls.env)

    def imported_store(self, **values):
        store = self.env["wc.store"].create(connected_store_values(self.emulated, name="Lab Shop", **values))
        store.action_setup_from_store()
        return store

    def test_create_a_store_connect_set_up_sync_and_switch_a_message_on(self):
        # The emulator's address and keys, as the owner would paste them.
        for name in ("url", "consumer_key", "consumer_secret"):
            self.env["ir.default"].set("wc.store", name, getattr(self.emulated, name))
        self.imported_store()._wc_import_orders([by_id(79)])  # an order to preview the message on
        self.start_tour("/odoo/action-woocommerce_connector.wc_store_action", "wc_store_owner_tour", login="admin")
        store = self.env["wc.store"].search([("name", "=", "Tour Shop")])
        self.assertEqual(store.connection_status, "ok")
        self.assertTrue(store.wc_tax_link_ids)
        self.assertTrue(store.wc_sync_running)
        received = store.wc_message_step_ids.filtered(lambda row: row.step == "received")
        self.assertTrue(received.enabled and not received.store_sends)

    def test_retry_a_failed_sync_log_entry(self):
        store = self.imported_store(wc_create_missing_products=False)
        store._wc_import_orders([by_id(79)])
        entry = self.env["wc.sync.log"].search([("store_id", "=", store.id), ("state", "=", "failed")])
        self.assertIn("unknown product SKU", entry.reason)
        store.wc_create_missing_products = True  # the cause, fixed
        self.start_tour("/odoo/action-woocommerce_connector.wc_sync_log_action", "wc_sync_log_retry_tour", login="admin")
        self.assertEqual(entry.state, "done")
        self.assertTrue(self.env["sale.order"].search([("wc_store_id", "=", store.id), ("wc_order_id", "=", 79)]))

    def test_open_a_sale_orders_online_shop_tab(self):
        store = self.imported_store(wc_messages_go_live=datetime(2000, 1, 1))
        store._wc_import_orders([by_id(79)])
        sale = self.env["sale.order"].search([("wc_store_id", "=", store.id), ("wc_order_id", "=", 79)])
        self.start_tour(f"/odoo/action-sale.action_orders/{sale.id}", "wc_sale_order_online_shop_tour", login="admin")
