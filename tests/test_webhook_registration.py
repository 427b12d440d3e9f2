"""Registering the store's webhooks through its API, and showing what the store says about them."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.wc_webhook import WEBHOOK_TOPICS
from .common import unused_port
from .order_fixtures import connected_store_values
from .webhook_fixtures import WebhookCase


@tagged("post_install", "-at_install")
class TestWebhookRegistration(WebhookCase):
    def store_webhooks(self):
        """The webhooks as the (emulated) store holds them."""
        return list(self.emulated.data.webhooks.values())

    def setUp(self):
        super().setUp()
        self.emulated.data.webhooks.clear()

    def test_registration_creates_the_seven_webhooks_once(self):
        self.store.action_register_webhooks()
        self.store.action_register_webhooks()
        hooks = self.store_webhooks()
        self.assertEqual(sorted(hook["topic"] for hook in hooks), sorted(WEBHOOK_TOPICS))
        self.assertEqual({hook["delivery_url"] for hook in hooks}, {self.webhook_url()})
        self.assertEqual({hook["secret"] for hook in hooks}, {self.store.webhook_secret})
        self.assertEqual(len(self.store.wc_webhook_ids), 7)
        self.assertEqual(set(self.store.wc_webhook_ids.mapped("status")), {"active"})
        self.assertFalse(self.store.wc_webhook_disabled)

    def test_the_stores_ping_on_creation_is_answered(self):
        self.store.action_register_webhooks()
        pings = [entry for entry in self.emulated.events.failures.values() if entry]
        self.assertFalse(pings, "no delivery failed")
        self.assertFalse(self.deliveries(), "a ping records nothing")

    def test_an_existing_webhook_for_the_same_topic_and_url_is_updated_not_duplicated(self):
        self.emulated.data.webhooks[900] = {
            "id": 900, "name": "made by hand", "status": "paused", "topic": "order.updated",
            "resource": "order", "event": "updated", "hooks": [], "delivery_url": self.webhook_url(),
            "secret": "old", "date_created": None, "date_created_gmt": None,
            "date_modified": None, "date_modified_gmt": None,
        }
        self.store.action_register_webhooks()
        self.assertEqual(len(self.store_webhooks()), 7)
        self.assertEqual(self.emulated.data.webhooks[900]["secret"], self.store.webhook_secret)
        hook = self.store.wc_webhook_ids.filtered(lambda hook: hook.wc_webhook_id == 900)
        self.assertEqual(hook.status, "paused", "the store's status is shown, not overwritten")

    def test_a_new_secret_reaches_the_stores_webhooks(self):
        self.store.action_register_webhooks()
        self.store.action_regenerate_webhook_secret()
        self.store.action_register_webhooks()
        self.assertEqual({hook["secret"] for hook in self.store_webhooks()}, {self.store.webhook_secret})
        self.assertEqual(len(self.store_webhooks()), 7)

    def test_a_webhook_the_store_disabled_shows_and_is_re_enabled_in_one_click(self):
        self.store.action_register_webhooks()
        disabled = next(hook for hook in self.store_webhooks() if hook["topic"] == "order.updated")
        disabled["status"] = "disabled"
        self.store.action_refresh_webhooks()
        row = self.store.wc_webhook_ids.filtered(lambda hook: hook.wc_webhook_id == disabled["id"])
        self.assertEqual(row.status, "disabled")
        self.assertTrue(self.store.wc_webhook_disabled)
        row.action_reenable_webhook()
        self.assertEqual(disabled["status"], "active")
        self.assertEqual(row.status, "active")
        self.assertFalse(self.store.wc_webhook_disabled)

    def test_registered_webhooks_deliver_to_the_store_endpoint(self):
        self.store.action_register_webhooks()
        self.emulated.touch_order(60, customer_note="Please ring twice")
        results = self.emulated.flush_webhooks()
        self.assertEqual(results, [(self.webhook_url(), 200)])
        [job] = self.delivery_jobs()
        self.assertEqual(job.identity_key, f"wc:{self.store.id}:order:60")

    def test_the_register_button_says_why_when_the_store_is_down(self):
        store = self.env["wc.store"].create(
            {"name": "Down", "url": f"http://127.0.0.1:{unused_port()}", "consumer_key": "ck_x", "consumer_secret": "cs_x",
             "wc_webhook_http_allowed": True}
        )
        with self.assertRaisesRegex(UserError, "could not be registered"):
            store.action_register_webhooks()

    def test_saving_new_keys_queues_the_registration_and_a_failure_goes_to_the_chatter(self):
        store = self.env["wc.store"].create(
            {"name": "Later", "url": f"http://127.0.0.1:{unused_port()}", "wc_webhook_http_allowed": True})
        self.assertFalse(self.jobs(store), "no keys, nothing to register")
        store.write({"consumer_key": "ck_x", "consumer_secret": "cs_x"})
        [job] = self.jobs(store)
        self.assertEqual(job.identity_key, f"wc:{store.id}:webhooks:register")
        store.write({"url": f"http://127.0.0.1:{unused_port()}"})
        self.assertEqual(len(self.jobs(store)), 1, "the waiting job registers the newest settings")
        [result] = self.perform(job)
        self.assertIn("not registered", result)
        self.assertIn("could not be registered", store.message_ids[0].body)

    def test_registering_on_a_plain_http_store_needs_an_explicit_confirmation(self):
        store = self.env["wc.store"].create(connected_store_values(self.emulated, name="Plain http"))
        self.assertTrue(store.wc_webhook_insecure, "the form warns")
        self.assertFalse(self.jobs(store), "saving the keys queues no registration that would send the secret")
        with self.assertRaisesRegex(UserError, "plain http"):
            store.action_register_webhooks()
        self.assertFalse(self.store_webhooks(), "the secret never left Odoo")
        store.wc_webhook_http_allowed = True
        [job] = self.jobs(store)  # confirming registers, as saving new keys does
        self.assertEqual(job.identity_key, f"wc:{store.id}:webhooks:register")
        store.action_register_webhooks()
        self.assertEqual(len(self.store_webhooks()), 7)

    def test_a_registration_queued_before_the_address_became_http_sends_no_secret(self):
        store = self.env["wc.store"].create(
            connected_store_values(self.emulated, name="Moved", url=self.emulated.url.replace("http://", "https://")))
        self.assertFalse(store.wc_webhook_insecure)
        [job] = self.jobs(store)
        store.with_context(tracking_disable=True).write({"url": self.emulated.url})
        [result] = self.perform(job)
        self.assertIn("not registered", result)
        self.assertIn("plain http", store.message_ids[0].body)
        self.assertFalse(self.store_webhooks())

    def test_every_store_has_its_own_channel(self):
        channel = self.env["queue.job.channel"].search([("complete_name", "=", self.store._wc_channel())])
        self.assertEqual(channel.parent_id, self.env.ref("woocommerce_connector.channel_woocommerce"))
        self.assertEqual(channel.parent_id.complete_name, "root.woocommerce")
        other = self.env["wc.store"].create({"name": "Other", "url": "https://other.example.com"})
        name = other._wc_channel()
        other.unlink()
        self.assertFalse(self.env["queue.job.channel"].search([("complete_name", "=", name)]))
