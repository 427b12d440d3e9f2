"""Stock to the store: debounced identity-keyed pushes of changed quantities, in batches, and the nightly reconcile."""

from odoo.tests import tagged

from .sync_fixtures import SyncCase


@tagged("post_install", "-at_install")
class TestPushStock(SyncCase):
    ORDERS = 0

    def setUp(self):
        super().setUp()
        self.store.wc_stock_flow = "odoo_to_store"  # started: a new store sends no stock until the shop starts it
        self.store.wc_stock_delay = 0
        self.warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        self.store.wc_stock_warehouse_ids = self.warehouse
        data = self.emulated.data
        self.simple = [p for p in data.products.values() if p["type"] == "simple" and p.get("sku")][:4]
        self.parent = next(p for p in data.products.values() if p["type"] == "variable")
        self.variation = data.variations[self.parent["variations"][0]]
        self.products = {}
        Link = self.env["wc.product.link"]
        for record, variation_id in [(p, 0) for p in self.simple] + [(self.parent, self.variation["id"])]:
            product = self.env["product.product"].create(
                {"name": record["name"], "is_storable": True, "type": "consu"})
            Link.create({"store_id": self.store.id, "wc_product_id": record["id"],
                         "wc_variation_id": variation_id, "product_id": product.id})
            self.products[variation_id or record["id"]] = product
        self.emulated.writes.clear()

    def set_stock(self, store_id, quantity):
        """An inventory adjustment (a done stock move) of the product linked to store item ``store_id``."""
        self.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": self.products[store_id].id,
            "location_id": self.warehouse.lot_stock_id.id,
            "inventory_quantity": quantity,
        })._apply_inventory()

    def push_jobs(self):
        return self.queued_jobs().filtered(lambda job: job.method_name == "_wc_push_stock")

    def batch_writes(self):
        return [w for w in self.emulated.writes if w.path.endswith("/batch")]

    def store_stock(self, store_id):
        record = self.emulated.data.products.get(store_id) or self.emulated.data.variations[store_id]
        return record["stock_quantity"], record["manage_stock"]

    def test_stock_moves_queue_one_push_per_store_that_sends_every_change_in_one_batch_per_endpoint(self):
        for index, record in enumerate(self.simple):
            self.set_stock(record["id"], 10 + index)
        self.set_stock(self.variation["id"], 3)
        self.assertEqual(len(self.push_jobs()), 1, "one waiting job collects every change (identity key)")
        self.assertEqual(self.push_jobs().identity_key, f"wc:{self.store.id}:push_stock")
        self.run_jobs()
        for index, record in enumerate(self.simple):
            self.assertEqual(self.store_stock(record["id"]), (10 + index, True))
        self.assertEqual(self.store_stock(self.variation["id"]), (3, True))
        self.assertEqual(sorted(w.path for w in self.batch_writes()),
                         ["/products/%s/variations/batch" % self.parent["id"], "/products/batch"])
        run = self.runs(entity="stock", kind="push")
        self.assertEqual((run.updated, run.failed, run.direction, run.state), (5, 0, "export", "done"))

    def test_only_changed_quantities_are_sent_again(self):
        for record in self.simple:
            self.set_stock(record["id"], 5)
        self.run_jobs()
        self.emulated.writes.clear()
        self.set_stock(self.simple[0]["id"], 6)  # changed
        self.set_stock(self.simple[1]["id"], 5)  # an adjustment to the same quantity: no move, nothing to send
        links = self.env["wc.product.link"].search([("store_id", "=", self.store.id), ("wc_variation_id", "=", 0)])
        links.write({"wc_stock_dirty": True})  # as if every product had moved: still only the changed one goes
        self.store._wc_push_stock()
        [write] = self.batch_writes()
        self.assertEqual(write.body["update"], [{"id": self.simple[0]["id"], "manage_stock": True, "stock_quantity": 6}])

    def test_the_free_quantity_less_the_buffer_and_a_store_that_did_not_manage_stock_starts_managing_it(self):
        self.emulated.data.products[self.simple[0]["id"]].update(manage_stock=False, stock_quantity=None)
        self.store.wc_stock_buffer = 2
        self.set_stock(self.simple[0]["id"], 9)
        self.run_jobs()
        self.assertEqual(self.store_stock(self.simple[0]["id"]), (7, True))

    def test_a_failed_item_is_logged_and_the_others_are_written(self):
        link = self.env["wc.product.link"].search([("wc_product_id", "=", self.simple[1]["id"])])
        link.wc_product_id = 999999
        self.set_stock(self.simple[0]["id"], 4)
        self.set_stock(self.simple[1]["id"], 4)
        self.run_jobs()
        self.assertEqual(self.store_stock(self.simple[0]["id"]), (4, True))
        log = self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("entity", "=", "stock")])
        self.assertEqual((log.wc_id, log.direction, log.state), (999999, "export", "failed"))
        self.assertIn("999999", log.reason)
        self.assertTrue(link.wc_error)
        self.assertEqual(self.runs(entity="stock", kind="push").failed, 1)

    def test_no_push_when_stock_does_not_flow_to_the_store(self):
        self.store.wc_stock_flow = "off"
        self.set_stock(self.simple[0]["id"], 4)
        self.assertFalse(self.push_jobs())

    def test_a_push_makes_no_stock_move_and_so_queues_no_other_push(self):
        self.set_stock(self.simple[0]["id"], 4)
        self.run_jobs()
        self.assertFalse(self.push_jobs())
        self.assertEqual(len(self.batch_writes()), 1)

    def test_the_reconcile_reads_the_store_and_fixes_only_the_differences(self):
        for record in self.simple:
            self.set_stock(record["id"], 8)
        self.set_stock(self.variation["id"], 2)
        self.run_jobs()
        self.emulated.touch_product(self.simple[2]["id"], stock_quantity=1)  # a hand edit in the store
        self.emulated.writes.clear()
        self.emulated.request_log.clear()
        self.store._wc_enqueue_stock_reconcile()
        self.run_jobs()
        self.assertEqual(self.store_stock(self.simple[2]["id"]), (8, True))
        [write] = self.batch_writes()
        self.assertEqual([item["id"] for item in write.body["update"]], [self.simple[2]["id"]])
        run = self.runs(entity="stock", kind="stock_reconcile")
        self.assertEqual((run.total, run.updated, run.unchanged, run.failed), (5, 1, 4, 0))
        gets = [entry for entry in self.emulated.request_log if entry.method == "GET"]
        self.assertEqual(run.pages, len(gets))
        self.assertLessEqual(len(gets), 2, "one page of products and one of the linked variations")
