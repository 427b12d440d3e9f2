"""A captured store served over HTTP, connected to a store record, for the webhook tests (Odoo's real HTTP server)."""

import json
import uuid

import requests

from odoo.addons.queue_job.job import Job
from odoo.tests import HttpCase

from ..wc_connector.webhooks import signature
from .common import ensure_currency_rate
from .order_fixtures import connected_store_values, serve_captured_store


class WebhookCase(HttpCase):
    """Odoo's HTTP server answers the store's deliveries; the captured store (emulated) sends them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_currency_rate(cls.env)
        cls.emulated = serve_captured_store(cls)
        # The emulated store speaks http (as the real one does for OAuth): registering webhooks needs the confirmation.
        cls.store = cls.env["wc.store"].create(connected_store_values(cls.emulated, wc_webhook_http_allowed=True))

    def setUp(self):
        super().setUp()
        # Odoo 19 serves, while a test runs, only requests that carry the test's cookie (HttpCase.allow_requests);
        # the store's deliveries cannot carry it: let every request in, as Odoo 18 does.
        if hasattr(self, "allow_requests"):
            self.enterContext(self.allow_requests(all_requests=True))

    def webhook_url(self, store=None):
        return f"{self.base_url()}/woocommerce/webhook/{(store or self.store).id}"

    def deliver(self, topic, resource_id, secret=None, store=None):
        """The emulated store sends a real signed delivery of the resource's current state; the status."""
        self.env.flush_all()  # the server's request shares this transaction: let it see what the test wrote
        return self.emulated.deliver(topic, resource_id, self.webhook_url(store), secret or self.store.webhook_secret)

    def post(self, body, headers, store=None):
        """POST raw bytes to the webhook URL as anyone could; the status."""
        self.env.flush_all()
        return requests.post(self.webhook_url(store), data=body, headers=headers, timeout=10).status_code

    def signed(self, topic, payload, delivery_id=None, secret=None):
        """``(body, headers)`` of a delivery signed the way the store signs it."""
        body = json.dumps(payload).encode()
        resource, _, event = topic.partition(".")
        return body, {
            "Content-Type": "application/json",
            "X-WC-Webhook-Source": self.emulated.url + "/",
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-ID": "7",
            "X-WC-Webhook-Delivery-ID": delivery_id or uuid.uuid4().hex,
            "X-WC-Webhook-Signature": signature(body, secret or self.store.webhook_secret),
        }

    def jobs(self, store=None):
        """The queued jobs of the store's channel."""
        return self.env["queue.job"].search([("channel", "=", (store or self.store)._wc_channel())])

    def delivery_jobs(self, store=None):
        return self.jobs(store).filtered(lambda job: job.method_name == "_wc_job_process_delivery")

    def deliveries(self, store=None):
        return self.env["wc.webhook.delivery"].search([("store_id", "=", (store or self.store).id)])

    def sale_of(self, wc_id, store=None):
        return self.env["sale.order"].search(
            [("wc_store_id", "=", (store or self.store).id), ("wc_order_id", "=", wc_id)]
        )

    def perform(self, jobs):
        """Run queued jobs here as a worker does (started, performed, done); their results."""
        results = []
        for record in jobs:
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.store()
            result = job.perform()
            job.set_done(result=result)
            job.store()
            results.append(result)
        self.env.flush_all()
        return results
