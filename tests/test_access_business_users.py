"""Salespeople and accountants who are not WooCommerce users still work with imported documents.

Imported sale orders, invoices and payments point at their store; the forms
must open for people without a WooCommerce group (they see the store's name,
never its secrets).
"""

from odoo.tests import new_test_user, tagged

from .order_fixtures import OrderImportCase, order_body

# What the web client asks for a many2one on a form.
STORE_SPEC = {"wc_store_id": {"fields": {"display_name": {}}}, "wc_order_number": {}}


@tagged("post_install", "-at_install")
class TestBusinessUsersSeeImportedDocuments(OrderImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store._wc_import_orders([order_body("order_single_partial_refund.json")])
        cls.sale = cls.env["sale.order"].search([("wc_store_id", "=", cls.store.id), ("wc_order_id", "=", 78)])
        cls.salesman = new_test_user(cls.env, login="wc_salesman", groups="sales_team.group_sale_salesman_all_leads")
        cls.accountant = new_test_user(cls.env, login="wc_accountant", groups="account.group_account_invoice")

    def test_a_salesperson_opens_an_imported_sale_order(self):
        values = self.sale.with_user(self.salesman).web_read(STORE_SPEC)[0]
        self.assertEqual(values["wc_store_id"]["display_name"], "Lab Shop")
        self.assertEqual(values["wc_order_number"], "78")

    def test_an_accountant_opens_the_invoice_and_the_payment(self):
        invoice = self.sale.invoice_ids.filtered(lambda move: move.move_type == "out_invoice")
        values = invoice.with_user(self.accountant).web_read(STORE_SPEC)[0]
        self.assertEqual(values["wc_store_id"]["display_name"], "Lab Shop")
        payments = self.env["account.payment"].search([("wc_store_id", "=", self.store.id)])
        self.assertTrue(payments)
        read = payments.with_user(self.accountant).web_read({"wc_store_id": {"fields": {"display_name": {}}}})
        self.assertEqual({row["wc_store_id"]["display_name"] for row in read}, {"Lab Shop"})
