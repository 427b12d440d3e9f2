"""Who may see a store and who may see its secrets."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import WcStoreCase

SECRETS = ("consumer_key", "consumer_secret", "webhook_secret")


@tagged("post_install", "-at_install")
class TestStoreAccess(WcStoreCase):
    def setUp(self):
        super().setUp()
        self.store = self.create_store(consumer_key="ck_manager_key", consumer_secret="cs_manager_secret")

    def test_manager_creates_a_store_and_reads_and_writes_its_secrets(self):
        store = self.store.with_user(self.wc_manager)
        self.assertEqual(store.consumer_key, "ck_manager_key")
        self.assertEqual(store.consumer_secret, "cs_manager_secret")
        self.assertTrue(store.webhook_secret)
        store.write({"consumer_key": "ck_rotated", "consumer_secret": "cs_rotated"})
        [values] = store.read(["consumer_key", "consumer_secret"])
        self.assertEqual((values["consumer_key"], values["consumer_secret"]), ("ck_rotated", "cs_rotated"))

    def test_user_reads_the_store_without_its_secrets(self):
        store = self.store.with_user(self.wc_user)
        self.assertEqual(store.name, "Test Shop")
        self.assertEqual(store.url, "https://shop.example.com")
        [values] = store.read(["name", "url", "connection_status"])
        self.assertEqual(values["connection_status"], "untested")
        # Reading everything the user may read never includes a secret.
        self.assertFalse(set(SECRETS) & set(store.read()[0]))
        self.assertFalse(set(SECRETS) & set(store.fields_get()))

    def test_user_gets_access_error_on_every_secret(self):
        store = self.store.with_user(self.wc_user)
        for name in SECRETS:
            with self.subTest(secret=name):
                with self.assertRaises(AccessError):
                    store.read([name])
                with self.assertRaises(AccessError):
                    store.search_read([("id", "=", store.id)], [name])
                with self.assertRaises(AccessError):
                    store.invalidate_recordset()
                    store[name]  # noqa: B018 - reading the field is the test

    def test_user_cannot_search_stores_by_secret(self):
        with self.assertRaises(AccessError):
            self.env["wc.store"].with_user(self.wc_user).search([("consumer_key", "=", "ck_manager_key")])

    def test_user_cannot_change_or_create_stores(self):
        with self.assertRaises(AccessError):
            self.store.with_user(self.wc_user).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.env["wc.store"].with_user(self.wc_user).create({"name": "Mine", "url": "https://mine.example.com"})

    def test_form_shows_secrets_to_managers_only(self):
        def form_arch(user):
            views = self.env["wc.store"].with_user(user).get_views([(False, "form")])
            return views["views"]["form"]["arch"]

        manager_form, user_form = form_arch(self.wc_manager), form_arch(self.wc_user)
        for name in SECRETS:
            self.assertIn(f'name="{name}"', manager_form)
            self.assertNotIn(f'name="{name}"', user_form)
        self.assertIn('name="action_test_connection"', user_form)

    def test_employee_without_woocommerce_group_sees_no_store(self):
        with self.assertRaises(AccessError):
            self.store.with_user(self.employee).read(["name"])

    def test_stores_are_kept_apart_per_company(self):
        other_company = self.env["res.company"].create({"name": "Other Company"})
        other_store = self.create_store(name="Other Shop", url="https://other.example.com")
        other_store.sudo().company_id = other_company
        Store = self.env["wc.store"].with_user(self.wc_manager)
        self.assertIn(self.store, Store.search([]))
        self.assertNotIn(other_store, Store.search([]))
        self.wc_manager.company_ids |= other_company
        both = Store.with_context(allowed_company_ids=[self.env.company.id, other_company.id]).search([])
        self.assertIn(other_store, both)
