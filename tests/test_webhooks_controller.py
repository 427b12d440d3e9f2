"""The webhook endpoint, through Odoo's real HTTP server: verify, answer, queue — and nothing else."""

from odoo.tests import tagged

from ..wc_connector.webhooks import signature
from .webhook_fixtures import WebhookCase

ORDER = 57  # a captured on-hold order of a registered customer
CHANGED = 58  # a captured processing order that one test changes in the store


@tagged("post_install", "-at_install")
class TestWebhooksController(WebhookCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store.action_setup_from_store()

    def assertNothingRecorded(self):
        self.assertFalse(self.delivery_jobs(), "no job")
        self.assertFalse(self.deliveries(), "no delivery row")
        self.assertFalse(self.sale_of(ORDER), "no sale order")

    def test_the_stores_ping_is_answered_and_changes_nothing(self):
        status = self.post(b"webhook_id=5", {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 200)
        self.assertNothingRecorded()

    def test_a_signed_order_delivery_queues_one_job_that_imports_the_order(self):
        self.assertEqual(self.deliver("order.updated", ORDER), 200)
        [job] = self.delivery_jobs()
        self.assertEqual(job.identity_key, f"wc:{self.store.id}:order:{ORDER}")
        self.assertEqual(job.channel, f"root.woocommerce.store_{self.store.id}")
        self.assertEqual(job.state, "pending")
        self.assertEqual(job.args[:2], ["order.updated", ORDER])
        self.assertFalse(self.sale_of(ORDER), "the controller imports nothing itself")
        [result] = self.perform(job)
        self.assertIn("created 1", result)
        sale = self.sale_of(ORDER)
        self.assertEqual((len(sale), sale.wc_status), (1, "on-hold"))
        self.assertEqual(self.deliveries().state, "done")
        self.assertFalse(self.deliveries().payload, "applied payloads are not kept")

    def test_a_forged_signature_is_refused_with_nothing_recorded(self):
        body, headers = self.signed("order.updated", self.emulated.current_payload("order", ORDER))
        headers["X-WC-Webhook-Signature"] = headers["X-WC-Webhook-Signature"][::-1]
        self.assertEqual(self.post(body, headers), 401)
        self.assertNothingRecorded()

    def test_a_tampered_body_is_refused(self):
        body, headers = self.signed("order.updated", self.emulated.current_payload("order", ORDER))
        self.assertEqual(self.post(body[:-1] + b', "total": "0.01"}', headers), 401)
        self.assertNothingRecorded()

    def test_an_unsigned_delivery_is_refused_with_nothing_recorded(self):
        body, headers = self.signed("order.updated", self.emulated.current_payload("order", ORDER))
        del headers["X-WC-Webhook-Signature"]
        self.assertEqual(self.post(body, headers), 401)
        self.assertNothingRecorded()

    def test_a_delivery_signed_with_another_stores_secret_is_refused(self):
        self.assertEqual(self.deliver("order.updated", ORDER, secret="the-secret-of-another-store"), 401)
        self.assertNothingRecorded()

    def test_an_unknown_or_archived_store_answers_as_a_bad_signature_does(self):
        body, headers = self.signed("order.updated", {"id": ORDER})
        self.assertEqual(self.post(body, headers, store=self.env["wc.store"].browse(999999)), 401)
        archived = self.env["wc.store"].create({"name": "Closed", "url": "https://closed.example.com", "active": False})
        self.assertEqual(self.post(body, headers, store=archived), 401)
        self.assertNothingRecorded()

    def test_a_replayed_delivery_is_acknowledged_and_not_processed_again(self):
        body, headers = self.signed("order.updated", self.emulated.current_payload("order", ORDER), "replayed-1")
        self.assertEqual(self.post(body, headers), 200)
        [job] = self.delivery_jobs()
        self.perform(job)
        self.assertEqual(self.post(body, headers), 200)
        self.assertEqual(self.delivery_jobs(), job, "no second job")
        self.assertEqual(len(self.deliveries()), 1)

    def test_a_signed_body_that_is_not_json_answers_400(self):
        _body, headers = self.signed("order.updated", {})
        body = b"<html>not json</html>"
        headers["X-WC-Webhook-Signature"] = signature(body, self.store.webhook_secret)
        self.assertEqual(self.post(body, headers), 400)
        self.assertNothingRecorded()

    def test_a_topic_the_sync_does_not_handle_is_acknowledged_and_ignored(self):
        body, headers = self.signed("coupon.updated", {"id": 5})
        self.assertEqual(self.post(body, headers), 200)
        self.assertNothingRecorded()

    def test_a_second_delivery_while_the_job_waits_queues_nothing_and_the_newest_state_wins(self):
        # The emulated store is shared by the class: this test changes an order no other test uses.
        self.assertEqual(self.deliver("order.created", CHANGED), 200)
        self.emulated.touch_order(CHANGED, status="completed")
        self.assertEqual(self.deliver("order.updated", CHANGED), 200)
        [job] = self.delivery_jobs()
        self.assertEqual(job.args[0], "order.created", "the waiting job was queued by the first delivery")
        self.assertEqual(len(self.deliveries()), 2)
        self.perform(job)
        sale = self.sale_of(CHANGED)
        self.assertEqual((len(sale), sale.wc_status), (1, "completed"))
        self.assertEqual(set(self.deliveries().mapped("state")), {"done"})

    def test_a_delivery_after_the_job_ran_queues_a_new_one(self):
        self.deliver("order.updated", ORDER)
        self.perform(self.delivery_jobs())
        self.emulated.touch_order(ORDER, customer_note="Leave it at the door")  # a new state, a new body
        self.deliver("order.updated", ORDER)
        self.assertEqual(sorted(self.delivery_jobs().mapped("state")), ["done", "pending"])

    def test_a_trashed_order_is_marked_trash_and_nothing_is_deleted(self):
        self.deliver("order.updated", ORDER)
        self.perform(self.delivery_jobs())
        body, headers = self.signed("order.deleted", {"id": ORDER})
        self.assertEqual(self.post(body, headers), 200)
        [job] = self.delivery_jobs().filtered(lambda job: job.state == "pending")
        [result] = self.perform(job)
        self.assertIn("trashed 1", result)
        sale = self.sale_of(ORDER)
        self.assertEqual((len(sale), sale.wc_status), (1, "trash"))
        self.assertNotEqual(sale.state, "cancel")
        self.assertIn("trash", sale.message_ids[0].body)

    def test_a_delivery_for_another_resource_is_its_own_job(self):
        self.deliver("order.updated", ORDER)
        self.deliver("order.updated", 58)
        body, headers = self.signed("customer.deleted", {"id": 2})
        self.post(body, headers)
        self.assertEqual(
            sorted(self.delivery_jobs().mapped("identity_key")),
            sorted(f"wc:{self.store.id}:{key}" for key in ("order:57", "order:58", "customer:2")),
        )

    def test_neither_secret_nor_signature_reaches_the_log(self):
        body, headers = self.signed("order.updated", {"id": ORDER})
        headers["X-WC-Webhook-Signature"] = "forged" + headers["X-WC-Webhook-Signature"]
        with self.assertLogs("odoo.addons.woocommerce_connector", level="DEBUG") as logs:
            self.assertEqual(self.post(body, headers), 401)
            self.deliver("order.updated", ORDER)
        text = "\n".join(logs.output)
        self.assertNotIn(self.store.webhook_secret, text)
        self.assertNotIn(headers["X-WC-Webhook-Signature"], text)

    def test_a_customer_delivery_imports_the_customer(self):
        self.assertEqual(self.deliver("customer.updated", 5), 200)
        [job] = self.delivery_jobs()
        self.assertEqual(job.identity_key, f"wc:{self.store.id}:customer:5")
        self.perform(job)
        link = self.env["wc.customer.link"].search([("store_id", "=", self.store.id), ("wc_customer_id", "=", 5)])
        self.assertEqual(link.partner_id.email, self.emulated.data.customers[5]["email"])

    def test_a_deleted_customer_is_noted_on_its_partner_and_kept(self):
        self.deliver("customer.updated", 6)
        self.perform(self.delivery_jobs())
        body, headers = self.signed("customer.deleted", {"id": 6})
        self.assertEqual(self.post(body, headers), 200)
        [result] = self.perform(self.delivery_jobs().filtered(lambda job: job.state == "pending"))
        self.assertIn("deleted 1", result)
        link = self.env["wc.customer.link"].search([("store_id", "=", self.store.id), ("wc_customer_id", "=", 6)])
        self.assertTrue(link.partner_id.active)
        self.assertIn("deleted this customer", link.partner_id.message_ids[0].body)

    def test_a_product_update_changes_the_linked_products_price_and_not_its_stock(self):
        body, headers = self.signed("product.updated", dict(self.emulated.current_payload("product", 18), regular_price="31.50"))
        self.post(body, headers)
        [result] = self.perform(self.delivery_jobs())
        self.assertIn("created 1", result, "an unknown store product is imported (products flow both ways)")
        self.deliver("order.updated", CHANGED)  # sells the wireless mouse (store product 18): finds it
        self.perform(self.delivery_jobs().filtered(lambda job: job.state == "pending"))
        link = self.env["wc.product.link"].search([("store_id", "=", self.store.id), ("wc_product_id", "=", 18)])
        self.assertTrue(link)
        quantity = link.product_id.qty_available
        body, headers = self.signed(
            "product.updated", dict(self.emulated.current_payload("product", 18), regular_price="31.50", stock_quantity=3,
                                    date_modified_gmt="2030-01-01T00:00:00")  # a newer state than the one applied
        )
        self.post(body, headers)
        [result] = self.perform(self.delivery_jobs().filtered(lambda job: job.state == "pending"))
        self.assertIn("updated 1", result)
        self.assertEqual(link.product_id.list_price, 31.5)
        self.assertEqual(link.product_id.qty_available, quantity, "Odoo keeps its own stock")
