"""Multi-company: a company's WooCommerce people see none of another company's store data."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..wc_connector.webhooks import Delivery
from .common import MANAGER_GROUP
from .order_fixtures import OrderImportCase

#: Every model of the addon that holds a store's data.
STORE_DATA_MODELS = (
    "wc.sync.log",
    "wc.sync.run",
    "wc.sync.page",
    "wc.customer.link",
    "wc.product.link",
    "wc.tax.link",
    "wc.payment.gateway",
    "wc.webhook",
    "wc.webhook.delivery",
    "wc.shipping.method",
    "wc.order.status",
    "wc.category.link",
    "wc.message.step",
)


@tagged("post_install", "-at_install")
class TestStoreDataStaysInItsCompany(OrderImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        store = cls.store  # company A (the main company), set up from the captured store
        cls.company_a = store.company_id
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.env["wc.sync.log"].create({"store_id": store.id, "wc_id": 1, "reason": "held"})
        run = cls.env["wc.sync.run"].create({"store_id": store.id})
        cls.env["wc.sync.page"]._wc_plan(run, [1], 100)._wc_fill(0, [{"id": 60}])
        partner = cls.env["res.partner"].create({"name": "Anna", "email": "anna@example.de"})
        cls.env["wc.customer.link"].create({"store_id": store.id, "wc_customer_id": 2, "partner_id": partner.id})
        product = cls.env["product.product"].create({"name": "Tea", "default_code": "TEA"})
        cls.env["wc.product.link"].create({"store_id": store.id, "wc_product_id": 7, "product_id": product.id})
        cls.env["wc.webhook"].create({"store_id": store.id, "topic": "order.updated", "wc_webhook_id": 3})
        # The replay guard records deliveries in SQL: the company must be there all the same.
        cls.env["wc.webhook.delivery"]._wc_receive(store, Delivery(
            topic="order.updated", resource="order", event="updated", webhook_id=3, delivery_id="d-1",
            source=store.url, payload={"id": 60}))
        cls.env["wc.order.status"].create({"store_id": store.id, "wc_status": "on-hold", "target": "sale"})
        cls.env["wc.category.link"].create({"store_id": store.id, "wc_category_id": 5, "name": "Tea",
                                            "categ_id": cls.env["product.category"].create({"name": "Tea"}).id})
        cls.manager_b = new_test_user(
            cls.env, login="wc_manager_b", groups=f"base.group_user,{MANAGER_GROUP}",
            company_id=cls.company_b.id, company_ids=[(6, 0, cls.company_b.ids)])

    def test_every_store_data_model_has_a_stored_company(self):
        for model in STORE_DATA_MODELS:
            with self.subTest(model=model):
                field = self.env[model]._fields["company_id"]
                self.assertTrue(field.store)
                records = self.env[model].search([("store_id", "=", self.store.id)])
                self.assertTrue(records, f"the test has {model} data of company A")
                self.assertEqual(records.company_id, self.company_a)

    def test_a_woocommerce_manager_of_company_b_sees_none_of_company_a(self):
        for model in STORE_DATA_MODELS:
            with self.subTest(model=model):
                self.assertEqual(self.env[model].with_user(self.manager_b).search_read([], ["id"]), [])
        # ... while company A's manager sees them (the data is there to be seen).
        for model in STORE_DATA_MODELS:
            with self.subTest(model=model, user="manager A"):
                self.assertTrue(self.env[model].with_user(self.wc_manager).search_read([], ["id"]))

    def test_a_store_moved_to_company_b_takes_its_data_along(self):
        self.store.company_id = self.company_b
        for model in STORE_DATA_MODELS:
            with self.subTest(model=model):
                found = self.env[model].with_user(self.manager_b).search([("store_id", "=", self.store.id)])
                self.assertTrue(found)
                self.assertEqual(found.company_id, self.company_b)

    def test_import_locks_are_read_by_nobody(self):
        with self.assertRaises(AccessError):
            self.env["wc.import.lock"].with_user(self.wc_manager).search_read([], ["key"])
