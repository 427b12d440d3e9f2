"""The "Test connection" button, against real HTTP servers on 127.0.0.1:
the store emulator, a closed port, and a website that is not WooCommerce."""

import warnings

from urllib3.exceptions import InsecureRequestWarning

from odoo.tests import tagged

from ..wc_emulator import EmulatedStore
from .common import WcStoreCase, html_site, unused_port


@tagged("post_install", "-at_install")
class TestStoreConnection(WcStoreCase):
    def assert_failed(self, store, action, *phrases):
        """The store, its notification and its chatter all tell the same failure."""
        self.assertEqual(store.connection_status, "failed")
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(action["params"]["message"], store.connection_message)
        for phrase in phrases:
            self.assertIn(phrase, store.connection_message)
        self.assertIn(store.connection_message, store.message_ids[0].body)
        self.assertTrue(store.last_connection_check)

    def test_connection_to_the_store_names_it_with_version_and_currency(self):
        with EmulatedStore() as emulated:
            store = self.store_for(emulated)
            action = store.action_test_connection()
        self.assertEqual(store.connection_status, "ok")
        # The emulator is a WooCommerce 8.9.1 store titled "WooCommerce Lab" that sells in euros.
        self.assertEqual(store.connection_message, "Connected to WooCommerce Lab: WooCommerce 8.9.1, currency EUR")
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(action["params"]["message"], store.connection_message)
        self.assertTrue(store.last_connection_check)
        self.assertIn("Connection test", store.message_ids[0].body)

    def test_wrong_key_says_the_credentials_were_refused(self):
        with EmulatedStore() as emulated:
            store = self.store_for(emulated)
            store.consumer_secret = "cs_not_the_right_secret"
            action = store.action_test_connection()
        self.assert_failed(store, action, "consumer key and secret")
        self.assertNotIn("cs_not_the_right_secret", store.connection_message)

    def test_missing_keys_are_named_before_calling_the_store(self):
        store = self.create_store(url=f"http://127.0.0.1:{unused_port()}")
        action = store.action_test_connection()
        self.assert_failed(store, action, "consumer key and secret are missing")

    def test_closed_port_says_the_store_is_not_reachable(self):
        store = self.create_store(
            url=f"http://127.0.0.1:{unused_port()}", consumer_key="ck_x", consumer_secret="cs_x"
        )
        action = store.action_test_connection()
        self.assert_failed(store, action, "could not be reached")

    def test_a_website_that_is_not_woocommerce_is_named_so(self):
        with html_site() as url:
            store = self.create_store(url=url, consumer_key="ck_x", consumer_secret="cs_x")
            action = store.action_test_connection()
        self.assert_failed(store, action, "not like a WooCommerce store")

    def test_https_store_with_an_unverifiable_certificate(self):
        with EmulatedStore(https=True) as emulated:
            store = self.store_for(emulated)
            action = store.action_test_connection()
            self.assert_failed(store, action, "SSL certificate could not be verified")
            store.verify_ssl = False
            with warnings.catch_warnings():
                # urllib3 warns on every unverified request; here it is the point of the test.
                warnings.simplefilter("ignore", InsecureRequestWarning)
                action = store.action_test_connection()
        self.assertEqual(store.connection_status, "ok")
        self.assertEqual(action["params"]["type"], "success")

    def test_user_may_test_a_store_whose_secrets_they_cannot_read(self):
        with EmulatedStore() as emulated:
            store = self.store_for(emulated)
            action = store.with_user(self.wc_user).action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(store.connection_status, "ok")
        self.assertEqual(store.message_ids[0].author_id, self.wc_user.partner_id)

    def test_secrets_never_reach_the_message_or_the_chatter(self):
        with EmulatedStore() as emulated:
            store = self.store_for(emulated)
            store.action_test_connection()
            store.consumer_secret = "cs_wrong"
            store.action_test_connection()
            key, secret = emulated.consumer_key, emulated.consumer_secret
        for message in store.message_ids:
            for value in (key, secret, "cs_wrong", store.webhook_secret):
                self.assertNotIn(value, message.body or "")
