"""Every job of the addon opens what it works on: its order, customer, product, run — else its store."""

from odoo.tests import tagged

from .order_fixtures import OrderImportCase, order_body


@tagged("post_install", "-at_install")
class TestJobRelatedActions(OrderImportCase):
    def opened(self, job):
        """The action of the job's "Related" button (queue_job's ``open_related_action``)."""
        record = self.env["queue.job"].search([("uuid", "=", job.uuid)])
        self.assertEqual(len(record), 1)
        action = record.open_related_action()
        return action["res_model"], action.get("res_id") or action.get("domain")

    def test_an_order_delivery_opens_its_sale_order(self):
        self.import_orders(order_body("order_single_partial_refund.json"))
        sale = self.sale_of(78)
        job = self.store.with_delay()._wc_job_process_delivery("order.updated", 78, {"id": 78})
        self.assertEqual(self.opened(job), ("sale.order", sale.id))

    def test_a_customer_delivery_opens_the_linked_partner(self):
        partner = self.env["res.partner"].create({"name": "Anna Becker"})
        self.env["wc.customer.link"].create({"store_id": self.store.id, "wc_customer_id": 42, "partner_id": partner.id})
        job = self.store.with_delay()._wc_job_process_delivery("customer.updated", 42, {"id": 42})
        self.assertEqual(self.opened(job), ("res.partner", partner.id))

    def test_a_product_delivery_opens_the_linked_product(self):
        product = self.env["product.product"].create({"name": "Tea", "default_code": "TEA-1"})
        self.env["wc.product.link"].create({"store_id": self.store.id, "wc_product_id": 7, "product_id": product.id})
        job = self.store.with_delay()._wc_job_process_delivery("product.updated", 7, {"id": 7})
        self.assertEqual(self.opened(job), ("product.product", product.id))

    def test_a_delivery_of_a_record_not_in_odoo_yet_opens_the_store(self):
        job = self.store.with_delay()._wc_job_process_delivery("order.created", 999999, {"id": 999999})
        self.assertEqual(self.opened(job), ("wc.store", self.store.id))

    def test_the_jobs_of_a_run_open_the_run(self):
        run = self.env["wc.sync.run"].create({"store_id": self.store.id})
        page = self.env["wc.sync.page"]._wc_store_page(run, 0, [{"id": 60}])
        self.assertEqual(self.opened(self.store.with_delay()._wc_job_close_run(run.id)), ("wc.sync.run", run.id))
        self.assertEqual(self.opened(self.store.with_delay()._wc_job_import_page(page.id)), ("wc.sync.run", run.id))

    def test_a_store_wide_job_opens_the_store(self):
        self.assertEqual(self.opened(self.store.with_delay()._wc_push_balances()), ("wc.store", self.store.id))
