"""What a webhook delivery can make Odoo do when only its body is signed (issue 7, section 2).

Every header can be rewritten by whoever replays a captured delivery, so:
the replay guard keys on the body too, the topic must fit the body, an old
state replayed never overwrites a newer one, a huge body is refused before it
is read, and an unknown store answers like a bad signature.
"""

import json

from odoo.tests import tagged

from ..wc_connector.webhooks import MAX_BODY_BYTES
from .webhook_fixtures import WebhookCase

ORDER = 57  # a captured on-hold order of a registered customer
SELLS_PRODUCT_18 = 58  # a captured order that sells store product 18 (the wireless mouse)


@tagged("post_install", "-at_install")
class TestWebhookSafety(WebhookCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store.action_setup_from_store()

    def assertNothingRecorded(self):
        self.assertFalse(self.delivery_jobs(), "no job")
        self.assertFalse(self.deliveries(), "no delivery row")

    # -- the replay guard -----------------------------------------------------------------

    def test_a_replay_under_a_new_delivery_id_is_not_processed_again(self):
        payload = self.emulated.current_payload("order", ORDER)
        body, headers = self.signed("order.updated", payload, "first-id")
        self.assertEqual(self.post(body, headers), 200)
        self.perform(self.delivery_jobs())
        headers["X-WC-Webhook-Delivery-ID"] = "a-new-id-made-up-by-the-replayer"
        self.assertEqual(self.post(body, headers), 200, "acknowledged: the store need not send it again")
        self.assertEqual(len(self.delivery_jobs()), 1, "no second job")
        self.assertEqual(len(self.deliveries()), 1)

    def test_an_empty_delivery_id_does_not_disable_the_replay_guard(self):
        body, headers = self.signed("order.updated", self.emulated.current_payload("order", ORDER))
        headers["X-WC-Webhook-Delivery-ID"] = ""
        self.assertEqual(self.post(body, headers), 200)
        self.assertEqual(self.post(body, headers), 200)
        del headers["X-WC-Webhook-Delivery-ID"]
        self.assertEqual(self.post(body, headers), 200)
        self.assertEqual(len(self.deliveries()), 1)
        self.assertEqual(len(self.delivery_jobs()), 1)

    # -- the topic, not the headers, and a body that fits it --------------------------------------

    def test_a_body_signed_for_one_topic_is_refused_under_another(self):
        order = self.emulated.current_payload("order", ORDER)
        for topic in ("order.deleted", "product.updated", "customer.updated"):
            body, headers = self.signed(topic, order)
            self.assertEqual(self.post(body, headers), 400, topic)
        body, headers = self.signed("order.updated", {"id": ORDER})
        self.assertEqual(self.post(body, headers), 400, "an order without its order's fields")
        self.assertNothingRecorded()

    def test_resource_and_event_headers_do_not_decide_what_is_applied(self):
        body, headers = self.signed("order.updated", self.emulated.current_payload("order", ORDER))
        headers.update({"X-WC-Webhook-Resource": "customer", "X-WC-Webhook-Event": "deleted"})
        self.assertEqual(self.post(body, headers), 200)
        [job] = self.delivery_jobs()
        self.assertEqual(job.identity_key, f"wc:{self.store.id}:order:{ORDER}")
        self.assertEqual(self.deliveries().resource, "order")

    # -- an old state replayed ---------------------------------------------------------------

    def test_an_older_product_update_does_not_reset_a_newer_price(self):
        self.deliver("order.updated", SELLS_PRODUCT_18)  # links store product 18 to an Odoo product
        self.perform(self.delivery_jobs())
        link = self.env["wc.product.link"].search([("store_id", "=", self.store.id), ("wc_product_id", "=", 18)])
        self.assertTrue(link)
        product = self.emulated.current_payload("product", 18)
        newer = dict(product, regular_price="31.50", date_modified_gmt="2030-01-02T10:00:00")
        older = dict(product, regular_price="5.00", date_modified_gmt="2030-01-01T10:00:00")
        self.post(*self.signed("product.updated", newer))
        [result] = self.perform(self.delivery_jobs().filtered(lambda job: job.state == "pending"))
        self.assertIn("updated 1", result)
        self.post(*self.signed("product.updated", older))
        [result] = self.perform(self.delivery_jobs().filtered(lambda job: job.state == "pending"))
        self.assertIn("unchanged", result)
        self.assertEqual(link.product_id.list_price, 31.5, "the replayed old price is not applied")

    def test_an_older_customer_update_does_not_overwrite_a_newer_one(self):
        self.store.customer_master = "store"  # the store's data updates existing partners
        customer = self.emulated.current_payload("customer", 5)
        newer = dict(customer, first_name="Stefanie", date_modified_gmt="2030-01-02T10:00:00")
        older = dict(customer, first_name="Stefan-Old", date_modified_gmt="2030-01-01T10:00:00")
        self.post(*self.signed("customer.updated", newer))
        self.perform(self.delivery_jobs())
        link = self.env["wc.customer.link"].search([("store_id", "=", self.store.id), ("wc_customer_id", "=", 5)])
        self.assertIn("Stefanie", link.partner_id.name)
        self.post(*self.signed("customer.updated", older))
        [result] = self.perform(self.delivery_jobs().filtered(lambda job: job.state == "pending"))
        self.assertIn("unchanged", result)
        self.assertIn("Stefanie", link.partner_id.name)
        self.assertNotIn("Old", link.partner_id.name)

    # -- what the endpoint tells a stranger -------------------------------------------------------

    def test_an_unknown_store_and_a_bad_signature_get_the_same_answer(self):
        body, headers = self.signed("order.updated", self.emulated.current_payload("order", ORDER))
        forged = dict(headers, **{"X-WC-Webhook-Signature": "AAAA" + headers["X-WC-Webhook-Signature"][4:]})
        archived = self.env["wc.store"].create({"name": "Closed", "url": "https://closed.example.com", "active": False})
        answers = {
            "bad signature": self.post(body, forged),
            "unknown store": self.post(body, headers, store=self.env["wc.store"].browse(999999)),
            "archived store": self.post(body, headers, store=archived),
        }
        self.assertEqual(set(answers.values()), {401}, answers)
        ping = {"Content-Type": "application/x-www-form-urlencoded"}
        self.assertEqual(
            self.post(b"webhook_id=5", ping, store=self.env["wc.store"].browse(999999)),
            self.post(b"webhook_id=5", ping),
            "a ping tells nothing about which stores exist",
        )
        self.assertNothingRecorded()

    def test_a_body_over_five_megabytes_is_refused_with_413(self):
        """The route's limit: werkzeug refuses the body before it is parsed or kept (it drains it unread)."""
        order = self.emulated.current_payload("order", ORDER)
        body, headers = self.signed("order.updated", dict(order, customer_note="x" * MAX_BODY_BYTES))
        self.assertEqual(self.post(body, headers), 413)
        self.assertNothingRecorded()

    def test_a_body_of_exactly_five_megabytes_is_read(self):
        order = self.emulated.current_payload("order", ORDER)
        padding = MAX_BODY_BYTES - len(json.dumps(dict(order, customer_note="")).encode())
        body, headers = self.signed("order.updated", dict(order, customer_note="x" * padding))
        self.assertEqual(len(body), MAX_BODY_BYTES)
        self.assertEqual(self.post(body, headers), 200)
