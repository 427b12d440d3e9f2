"""Catalog from the store: products and variations by SKU, categories, conflicts held, webhooks newer-only, no echo."""

from odoo.tests import tagged

from .sync_fixtures import SyncCase


@tagged("post_install", "-at_install")
class TestImportCatalog(SyncCase):
    ORDERS = 0
    PAGE_SIZE = 10

    def setUp(self):
        super().setUp()
        self.store.wc_catalog_sync = True
        self.data = self.emulated.data
        self.variable = [p for p in self.data.products.values() if p["type"] == "variable"]

    def link(self, wc_product_id, wc_variation_id=0):
        return self.env["wc.product.link"].search([
            ("store_id", "=", self.store.id), ("wc_product_id", "=", wc_product_id),
            ("wc_variation_id", "=", wc_variation_id)])

    def import_all(self):
        self.sync(self.store.action_wc_import_catalog)

    def test_the_whole_catalog_arrives_by_id_pages_with_variants_categories_and_net_prices(self):
        self.import_all()
        self.assertFalse(self.failed_jobs)
        simple = [p for p in self.data.products.values() if p["type"] == "simple"]
        for record in simple:
            product = self.link(record["id"]).product_id
            self.assertEqual(product.default_code, record["sku"] or False)
            self.assertAlmostEqual(product.list_price, float(record["regular_price"]), places=2)
            self.assertEqual(product.categ_id.name, record["categories"][0]["name"])
        shirt = self.variable[0]
        variants = self.env["wc.product.link"].search(
            [("store_id", "=", self.store.id), ("wc_product_id", "=", shirt["id"])]).product_id
        self.assertEqual(len(variants), len(shirt["variations"]))
        self.assertEqual(len(variants.product_tmpl_id), 1, "the variations are variants of one template")
        for variant in variants:
            variation = self.data.variations[self.link(shirt["id"], self._vid(variant, shirt)).wc_variation_id]
            self.assertEqual(variant.default_code, variation["sku"])
            self.assertAlmostEqual(variant.lst_price, float(variation["regular_price"]), places=2)
        category_links = self.env["wc.category.link"].search([("store_id", "=", self.store.id)])
        self.assertEqual(len(category_links), len({c["id"] for p in self.data.products.values()
                                                   for c in p["categories"]}))
        [run] = self.runs(entity="product")
        self.assertEqual((run.state, run.failed), ("done", 0))
        listing = [e for e in self.emulated.request_log if e.method == "GET" and e.path.endswith("/products")]
        self.assertTrue(all(e.params.get("orderby") == "id" for e in listing))
        self.assertEqual(len(listing), -(-len(self.data.products) // self.PAGE_SIZE))

    def _vid(self, variant, parent):
        return self.env["wc.product.link"].search(
            [("store_id", "=", self.store.id), ("wc_product_id", "=", parent["id"]),
             ("product_id", "=", variant.id)]).wc_variation_id

    def test_variations_become_separate_products_when_the_store_says_so(self):
        self.store.wc_variations_as_products = True
        self.import_all()
        shirt = self.variable[0]
        products = self.env["wc.product.link"].search(
            [("store_id", "=", self.store.id), ("wc_product_id", "=", shirt["id"])]).product_id
        self.assertEqual(len(products.product_tmpl_id), len(shirt["variations"]))

    def test_an_existing_product_is_joined_by_sku_and_one_whose_sku_is_taken_is_held_naming_both(self):
        record = next(p for p in self.data.products.values() if p["type"] == "simple" and p["sku"])
        mine = self.env["product.product"].create({"name": "Mine", "default_code": record["sku"]})
        other_record = next(p for p in self.data.products.values()
                            if p["type"] == "simple" and p["sku"] and p["id"] != record["id"])
        taken = self.env["product.product"].create({"name": "Somebody else", "default_code": "TAKEN-1"})
        self.env["wc.product.link"].create({"store_id": self.store.id, "wc_product_id": other_record["id"],
                                            "product_id": taken.id})
        other_record["sku"] = record["sku"]  # two store products now claim one SKU: the second is held
        self.import_all()
        self.assertEqual(self.link(record["id"]).product_id, mine)
        log = self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("entity", "=", "product")])
        self.assertEqual(log.wc_id, other_record["id"])
        self.assertIn(f"(id {mine.id})", log.reason)
        self.assertIn(f"(id {taken.id})", log.reason)
        self.assertEqual(taken.default_code, "TAKEN-1", "never merged silently")

    def test_webhooks_apply_only_newer_states_and_our_own_writes_echo_is_not_imported(self):
        self.import_all()
        record = next(p for p in self.data.products.values() if p["type"] == "simple" and p.get("manage_stock"))
        link = self.link(record["id"])
        self.data.clock.advance(5)
        changed = self.emulated.touch_product(record["id"], regular_price="31.50", name="Renamed")
        self.assertIn("updated 1", self.store._wc_job_process_delivery("product.updated", record["id"], changed))
        self.assertEqual((link.product_id.list_price, link.product_id.name), (31.5, "Renamed"))
        stale = dict(changed, name="Older state", date_modified_gmt="2020-01-01T00:00:00")
        self.assertIn("unchanged 1", self.store._wc_job_process_delivery("product.updated", record["id"], stale))
        self.assertEqual(link.product_id.name, "Renamed")
        # A stock push writes the product: its product.updated is our echo.
        self.store.wc_stock_flow = "odoo_to_store"
        self.data.clock.advance(5)
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        self.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": link.product_id.id, "location_id": warehouse.lot_stock_id.id, "inventory_quantity": 3,
        })._apply_inventory()
        self.run_jobs()
        echo = dict(self.emulated.current_payload("product", record["id"]), name="Echo must not apply")
        self.assertEqual(echo["stock_quantity"], 3)
        self.assertIn("unchanged 1", self.store._wc_job_process_delivery("product.updated", record["id"], echo))
        self.assertEqual(link.product_id.name, "Renamed")
        self.assertFalse(self.queued_jobs().filtered(lambda job: job.method_name == "_wc_push_stock"),
                         "the echo queues no other push")

    def test_nothing_is_imported_when_products_do_not_flow_from_the_store(self):
        self.store.wc_products_flow = "odoo_to_store"
        record = next(iter(self.data.products.values()))
        result = self.store._wc_job_process_delivery("product.updated", record["id"], self.emulated.current_payload(
            "product", record["id"]))
        self.assertIn("unchanged", result)
        self.assertFalse(self.link(record["id"]))

    def test_the_cron_reads_the_catalog_only_for_stores_that_sync_it(self):
        self.sync(self.store._wc_sync_changes, "cron")
        self.assertEqual(len(self.runs(entity="product")), 1)
        self.store.wc_catalog_sync = False
        self.sync(self.store._wc_sync_changes, "cron")
        self.assertEqual(len(self.runs(entity="product")), 1)

    def test_when_both_sides_changed_the_conflict_rule_decides(self):
        self.import_all()
        record = next(p for p in self.data.products.values() if p["type"] == "simple" and p.get("manage_stock"))
        product = self.link(record["id"]).product_id
        self.data.clock.advance(5)
        changed = self.emulated.touch_product(record["id"], name="Store name")
        self.store.wc_products_conflict = "odoo"
        product.product_tmpl_id.write({"name": "Odoo name"})
        self.env.cr.execute("UPDATE product_template SET write_date = write_date + interval '1 minute' WHERE id = %s",
                            [product.product_tmpl_id.id])
        product.product_tmpl_id.invalidate_recordset(["write_date"])
        self.assertIn("unchanged 1", self.store._wc_job_process_delivery("product.updated", record["id"], changed))
        self.assertEqual(product.name, "Odoo name")
        self.store.wc_products_conflict = "store"
        self.assertIn("updated 1", self.store._wc_job_process_delivery("product.updated", record["id"], changed))
        self.assertEqual(product.name, "Store name")
