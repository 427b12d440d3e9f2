"""Catalog to the store: published products created or updated in batches, variants as variations, errors shown."""

from odoo.tests import tagged

from .sync_fixtures import SyncCase


@tagged("post_install", "-at_install")
class TestPushCatalog(SyncCase):
    ORDERS = 0

    def setUp(self):
        super().setUp()
        self.category = self.env["product.category"].create({"name": "ERP Export"})
        self.emulated.writes.clear()

    def publish(self, **values):
        values.setdefault("type", "consu")
        return self.env["product.template"].create(dict(values, wc_publish_store_ids=[(4, self.store.id)]))

    def push(self):
        self.sync(self.store.action_wc_push_catalog)

    def store_product(self, template):
        link = self.env["wc.product.link"].search(
            [("store_id", "=", self.store.id),
             ("product_id", "in", template.with_context(active_test=False).product_variant_ids.ids)], limit=1)
        return self.emulated.data.products.get(link.wc_product_id)

    def test_published_products_are_created_then_updated_in_one_batch_with_their_category(self):
        pen = self.publish(name="ERP Pen", default_code="ERP-PEN", list_price=4.5, categ_id=self.category.id,
                           description_sale="Blue ink")
        pad = self.publish(name="ERP Pad", default_code="ERP-PAD", list_price=2.0)
        self.env["product.template"].create({"name": "Not published", "default_code": "ERP-NO"})
        self.push()
        record = self.store_product(pen)
        self.assertEqual((record["name"], record["sku"], record["regular_price"], record["description"],
                          record["status"]), ("ERP Pen", "ERP-PEN", "4.50", "Blue ink", "publish"))
        self.assertEqual(record["categories"][0]["name"], "ERP Export")
        self.assertTrue(self.store_product(pad))
        self.assertFalse([p for p in self.emulated.data.products.values() if p["sku"] == "ERP-NO"])
        batches = [w for w in self.emulated.writes if w.path == "/products/batch"]
        self.assertEqual(len(batches), 1)
        self.assertEqual(len(batches[0].body["create"]), 2)
        # Changed in Odoo: the next push updates the same store product.
        pen.write({"list_price": 5.0, "active": False})
        self.push()
        record = self.store_product(pen)
        self.assertEqual((record["regular_price"], record["status"]), ("5.00", "draft"))
        self.assertEqual(len([p for p in self.emulated.data.products.values() if p["sku"] == "ERP-PEN"]), 1)
        run = self.runs(entity="product", direction="export")[-1]
        self.assertEqual((run.updated, run.unchanged, run.failed), (1, 1, 0), "the unchanged pad is not sent again")
        self.assertEqual([item["sku"] for item in [w for w in self.emulated.writes
                                                    if w.path == "/products/batch"][-1].body["update"]], ["ERP-PEN"])

    def test_a_publishing_category_publishes_its_products(self):
        self.store.wc_publish_categ_ids = self.category
        mug = self.env["product.template"].create({"name": "ERP Mug", "default_code": "ERP-MUG",
                                                   "categ_id": self.category.id})
        self.push()
        self.assertTrue(self.store_product(mug))

    def test_variants_go_as_variations_of_a_variable_product(self):
        size = self.env["product.attribute"].create({"name": "ERP Size", "value_ids": [
            (0, 0, {"name": "S"}), (0, 0, {"name": "M"})]})
        shirt = self.publish(name="ERP Shirt", list_price=20.0, attribute_line_ids=[
            (0, 0, {"attribute_id": size.id, "value_ids": [(6, 0, size.value_ids.ids)]})])
        for variant in shirt.product_variant_ids:
            variant.default_code = f"ERP-SHIRT-{variant.product_template_attribute_value_ids.name}"
        self.push()
        parent = self.store_product(shirt)
        self.assertEqual(parent["type"], "variable")
        variations = [self.emulated.data.variations[vid] for vid in parent["variations"]]
        self.assertEqual(sorted(v["sku"] for v in variations), ["ERP-SHIRT-M", "ERP-SHIRT-S"])
        self.assertTrue([w for w in self.emulated.writes if w.path == f"/products/{parent['id']}/variations/batch"])

    def test_a_duplicate_sku_fails_alone_and_is_shown_on_the_product_and_in_the_sync_log(self):
        taken = next(p for p in self.emulated.data.products.values() if p["sku"])
        dup = self.publish(name="ERP Dup", default_code=taken["sku"])
        ok = self.publish(name="ERP Fine", default_code="ERP-FINE")
        self.push()
        self.assertTrue(self.store_product(ok))
        log = self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("direction", "=", "export")])
        self.assertEqual((log.entity, log.state), ("product", "failed"))
        self.assertIn(str(taken["id"]), log.reason)
        self.assertIn(taken["sku"], dup.message_ids[0].body)
        dup.default_code = "ERP-DUP-2"
        log.action_retry()
        self.assertTrue(self.store_product(dup))
        self.assertEqual(log.state, "done")

    def test_our_own_export_is_not_imported_back(self):
        pen = self.publish(name="ERP Pen", default_code="ERP-PEN", list_price=4.5)
        self.push()
        record = self.store_product(pen)
        echo = dict(self.emulated.current_payload("product", record["id"]), name="Not ours")
        self.assertIn("unchanged 1", self.store._wc_job_process_delivery("product.updated", record["id"], echo))
        self.assertEqual(pen.name, "ERP Pen")

    def test_nothing_is_sent_when_products_do_not_flow_to_the_store(self):
        self.store.wc_products_flow = "store_to_odoo"
        self.publish(name="ERP Pen", default_code="ERP-PEN")
        self.push()
        self.assertFalse(self.emulated.writes)

    def test_a_change_to_a_published_product_queues_its_push_and_the_import_queues_none(self):
        pen = self.publish(name="ERP Pen", default_code="ERP-PEN", list_price=4.5)
        self.push()
        pen.list_price = 6.0
        jobs = self.queued_jobs().filtered(lambda job: job.method_name == "_wc_push_catalog")
        self.assertEqual(len(jobs), 1)
        pen.name = "ERP Pen Blue"
        self.assertEqual(len(self.queued_jobs().filtered(lambda job: job.method_name == "_wc_push_catalog")), 1,
                         "one waiting job per store")
        self.run_jobs()
        record = self.store_product(pen)
        self.assertEqual((record["regular_price"], record["name"]), ("6.00", "ERP Pen Blue"))
        # The store's own change comes back by webhook: imported, and not pushed back.
        self.emulated.data.clock.advance(5)
        changed = self.emulated.touch_product(record["id"], name="Renamed in the store")
        self.store._wc_job_process_delivery("product.updated", record["id"], changed)
        self.assertEqual(pen.name, "Renamed in the store")
        self.assertFalse(self.queued_jobs().filtered(lambda job: job.method_name == "_wc_push_catalog"))
