"""A store's own data: its URL, its webhook secret, its defaults."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import WcStoreCase


@tagged("post_install", "-at_install")
class TestStoreFields(WcStoreCase):
    def test_new_store_has_safe_defaults(self):
        store = self.create_store()
        self.assertTrue(store.active)
        self.assertTrue(store.verify_ssl)
        self.assertEqual(store.timeout, 30)
        self.assertEqual(store.company_id, self.env.company)
        self.assertEqual(store.connection_status, "untested")
        self.assertFalse(store.last_connection_check)

    def test_webhook_secret_is_generated_and_distinct_per_store(self):
        first = self.create_store(name="First", url="https://first.example.com")
        second = self.create_store(name="Second", url="https://second.example.com")
        self.assertGreaterEqual(len(first.webhook_secret), 40)
        self.assertNotEqual(first.webhook_secret, second.webhook_secret)

    def test_webhook_secret_given_on_create_is_kept(self):
        store = self.create_store(webhook_secret="the-secret-already-in-the-store")
        self.assertEqual(store.webhook_secret, "the-secret-already-in-the-store")

    def test_regenerating_the_webhook_secret_replaces_it_and_says_so(self):
        store = self.create_store()
        old_secret = store.webhook_secret
        store.action_regenerate_webhook_secret()
        self.assertTrue(store.webhook_secret)
        self.assertNotEqual(store.webhook_secret, old_secret)
        note = store.message_ids[0]
        self.assertIn("regenerated", note.body)
        self.assertNotIn(store.webhook_secret, note.body)

    def test_copy_gets_new_secrets_not_the_original_ones(self):
        store = self.create_store(consumer_key="ck_1", consumer_secret="cs_1")
        duplicate = store.copy()
        self.assertEqual(duplicate.name, "Test Shop (copy)")
        self.assertFalse(duplicate.consumer_key)
        self.assertTrue(duplicate.webhook_secret)
        self.assertNotEqual(duplicate.webhook_secret, store.webhook_secret)
        self.assertEqual(store.copy({"name": "Shop B"}).name, "Shop B")

    def test_url_loses_blanks_and_trailing_slashes(self):
        store = self.create_store(url="  https://shop.example.com/shop/  ")
        self.assertEqual(store.url, "https://shop.example.com/shop")
        store.url = "http://127.0.0.1:8080//"
        self.assertEqual(store.url, "http://127.0.0.1:8080")

    def test_a_pasted_rest_api_address_becomes_the_site_address(self):
        store = self.create_store(url="https://shop.example.com/wp-json/wc/v3/")
        self.assertEqual(store.url, "https://shop.example.com")

    def test_url_must_be_an_http_address(self):
        for url in ("shop.example.com", "ftp://shop.example.com", "https://", "https://shop.example.com/?page=1",
                    "javascript:alert(1)"):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                self.create_store(url=url)

    def test_changing_the_connection_makes_the_last_test_stale(self):
        store = self.create_store()
        store.sudo().write({"connection_status": "ok", "connection_message": "Connected"})
        store.consumer_key = "ck_other"
        self.assertEqual(store.connection_status, "untested")
        self.assertFalse(store.connection_message)
        store.sudo().write({"connection_status": "ok"})
        store.name = "Renamed"
        self.assertEqual(store.connection_status, "ok")
