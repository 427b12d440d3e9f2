"""Stock starts only when the shop starts it: a new store's stock is never overwritten by Odoo's empty shelves."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .sync_fixtures import SyncCase


@tagged("post_install", "-at_install")
class TestStockStart(SyncCase):
    ORDERS = 0
    PAGE_SIZE = 10

    def setUp(self):
        super().setUp()
        self.data = self.emulated.data
        self.warehouse = self.store._wc_stock_warehouses()[:1]
        self.sync(self.store.action_wc_import_catalog)  # products created on first sight: nothing on hand
        self.links = self.env["wc.product.link"].search([("store_id", "=", self.store.id)])
        self.managed = [(key, record) for key, record in self.store_items() if record.get("manage_stock") is True]
        self.emulated.writes.clear()

    def store_items(self):
        """``[((product id, variation id), store record)]`` of every linked store item."""
        items = []
        for link in self.links:
            if link.wc_variation_id:
                items.append(((link.wc_product_id, link.wc_variation_id), self.data.variations[link.wc_variation_id]))
            else:
                items.append(((link.wc_product_id, 0), self.data.products[link.wc_product_id]))
        return items

    def link(self, key):
        return self.links.filtered(lambda link: (link.wc_product_id, link.wc_variation_id) == key)

    def store_stock(self):
        return {key: (record.get("stock_quantity"), record.get("manage_stock")) for key, record in self.store_items()}

    def batch_writes(self):
        return [w for w in self.emulated.writes if w.path.endswith("/batch")]

    def on_hand(self, product):
        return product.with_context(warehouse_id=self.warehouse.id).qty_available

    def test_a_new_store_with_default_settings_never_overwrites_the_store_stock(self):
        self.assertTrue(self.managed, "the generated store counts the stock of some products")
        before = self.store_stock()
        # Odoo's quantities move (an order's delivery drives one negative), and the nightly reconcile runs.
        product = self.link(self.managed[0][0]).product_id
        self.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": product.id, "location_id": self.warehouse.lot_stock_id.id, "inventory_quantity": -2,
        })._apply_inventory()
        self.env["wc.store"]._cron_wc_stock_reconcile()
        self.run_jobs()
        self.store._wc_push_stock()
        self.store._wc_push_stock_reconcile()
        self.assertEqual(self.store_stock(), before, "the store's stock is untouched")
        self.assertFalse(self.batch_writes())
        self.assertIn("Stock is not sent to the store yet", self.store.wc_stock_notice)

    def test_start_from_the_store_takes_its_counts_as_on_hand_and_sends_nothing_back(self):
        (first_key, first), (second_key, second) = self.managed[:2]
        first["stock_quantity"], second["stock_quantity"] = 12, -3
        unmanaged_key, unmanaged = next((key, record) for key, record in self.store_items()
                                        if record.get("manage_stock") is not True)
        before = self.store_stock()
        self.emulated.request_log.clear()
        self.store.with_user(self.wc_manager).action_wc_stock_start_from_store()
        self.assertEqual(self.store.wc_stock_flow, "odoo_to_store")
        self.assertFalse(self.store.wc_stock_notice)
        self.assertEqual(self.on_hand(self.link(first_key).product_id), 12)
        self.assertEqual(self.on_hand(self.link(second_key).product_id), 0, "a backorder count starts at 0")
        self.assertEqual(self.on_hand(self.link(unmanaged_key).product_id), 0, "an uncounted item is not taken")
        for key, record in self.managed:
            link = self.link(key)
            self.assertEqual((link.wc_stock_pushed, link.wc_stock_dirty), (max(0, record["stock_quantity"] or 0),
                                                                           False))
            self.assertTrue(link.wc_stock_pushed_at)
        gets = [entry for entry in self.emulated.request_log if entry.method == "GET"]
        parents = {link.wc_product_id for link in self.links if link.wc_variation_id}
        self.assertEqual(len(gets), -(-len(self.data.products) // 100) + len(parents), "pages of 100")
        run = self.runs(entity="stock", kind="stock_start")
        self.assertEqual((run.state, run.updated, run.pages), ("done", len(self.managed), len(gets)))
        self.assertIn("12", self.store.message_ids[0].body + "".join(self.store.message_ids.mapped("body")))
        # No echo: the adjustment queued nothing and the push sends nothing back.
        self.run_jobs()
        self.store._wc_push_stock()
        self.assertFalse(self.batch_writes(), [w.body for w in self.batch_writes()])
        self.assertEqual(self.store_stock(), before)
        # The nightly reconcile only shows the backorder count as the store is always shown: never below 0.
        self.store._wc_push_stock_reconcile()
        [write] = self.batch_writes()
        self.assertEqual(write.body["update"], [{"id": second_key[0], "manage_stock": True, "stock_quantity": 0}])
        self.assertEqual(self.store_stock(), {**before, second_key: (0, True)})
        self.assertFalse(unmanaged.get("manage_stock"), "an item the store does not count is not taken over")
        self.emulated.writes.clear()
        # From now on Odoo is the master: a sale in Odoo reaches the store.
        self.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": self.link(first_key).product_id.id, "location_id": self.warehouse.lot_stock_id.id,
            "inventory_quantity": 11,
        })._apply_inventory()
        self.run_jobs()
        [write] = self.batch_writes()
        self.assertEqual([item["stock_quantity"] for item in write.body["update"]], [11])

    def test_open_deliveries_of_store_orders_stay_on_odoos_shelves_and_are_not_counted_out_twice(self):
        key, record = self.managed[0]
        record["stock_quantity"] = 12  # the store already took this order's 2 units off its count
        product = self.link(key).product_id
        order = self.env["sale.order"].create({
            "partner_id": self.env["res.partner"].create({"name": "Buyer"}).id, "wc_store_id": self.store.id,
            "wc_order_id": 9001, "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 2})],
        })
        order.action_confirm()
        self.store.with_user(self.wc_manager).action_wc_stock_start_from_store()
        self.assertEqual(self.on_hand(product), 14)
        picking = order.picking_ids
        self.assertEqual(picking.state, "assigned", "the open delivery holds its units")
        self.assertEqual(product.with_context(warehouse_id=self.warehouse.id).free_qty, 12)
        self.run_jobs()
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
        self.run_jobs()
        self.assertEqual(self.on_hand(product), 12)
        self.assertFalse(self.batch_writes(), "the store's 12 was right all along")
        self.assertEqual(record["stock_quantity"], 12)

    def test_start_from_odoo_sends_odoos_quantities(self):
        key, record = self.managed[0]
        product = self.link(key).product_id
        self.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": product.id, "location_id": self.warehouse.lot_stock_id.id, "inventory_quantity": 4,
        })._apply_inventory()
        self.store.with_user(self.wc_manager).action_wc_stock_start_from_odoo()
        self.assertEqual(self.store.wc_stock_flow, "odoo_to_store")
        self.run_jobs()
        self.assertEqual(record["stock_quantity"], 4)
        self.assertEqual(self.on_hand(product), 4, "Odoo's quantity is kept")

    def test_only_managers_start_the_stock(self):
        for action in ("action_wc_stock_start_from_store", "action_wc_stock_start_from_odoo"):
            with self.assertRaises(AccessError):
                getattr(self.store.with_user(self.wc_user), action)()
        self.assertEqual(self.store.wc_stock_flow, "off")

    def test_a_store_that_cannot_be_read_takes_nothing_and_stays_off(self):
        self.store.sudo().consumer_secret = "cs_wrong"
        with self.assertRaises(UserError):
            self.store.with_user(self.wc_manager).action_wc_stock_start_from_store()
        self.assertEqual(self.store.wc_stock_flow, "off")
