"""The customer club (seed A.1, A.4): portal access for members, who see their store orders and invoices there;
the online-shop balance written to the store customer's meta when the store's balances direction says so."""

import copy

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.sale.controllers.portal import CustomerPortal as SalePortal
from odoo.tests import tagged

from .order_fixtures import OrderImportCase, captured_orders

PUSH = "_wc_push_balances"


def by_id(order_id):
    return copy.deepcopy(next(data for data in captured_orders() if data["id"] == order_id))


@tagged("post_install", "-at_install")
class TestCustomerClub(OrderImportCase, MockEmail):
    def balance_posts(self):
        return [r for r in self.emulated.request_log if r.method == "POST" and r.path.endswith("customers/batch")]

    def meta(self, customer_id):
        return {m["key"]: m["value"] for m in self.emulated.data.customers[customer_id]["meta_data"]}

    def push_jobs(self):
        return self.env["queue.job"].search([("model_name", "=", "wc.store"), ("method_name", "=", PUSH)])

    def test_balance_goes_to_the_store_customer_meta_once_when_balances_are_exported(self):
        self.store.write({"wc_balances_flow": "odoo_to_store", "wc_orders_arrive_as": "invoice"})
        data = by_id(71)  # processing, unpaid, registered customer 16
        self.import_orders(data)
        sale = self.sale_of(71)
        self.assertEqual(sale.invoice_ids.mapped("payment_state"), ["not_paid"])
        self.assertEqual(len(self.push_jobs()), 1)  # queued on the store's channel, once
        self.assertEqual(self.push_jobs().channel, self.store._wc_channel())
        posts = len(self.balance_posts())
        self.store._wc_push_balances()
        self.assertEqual(len(self.balance_posts()), posts + 1)
        self.assertEqual(self.meta(16)["odoo_balance"], f"{sale.partner_id.wc_balance:.2f}")
        self.assertEqual(self.meta(16)["odoo_balance"], data["total"])
        self.assertEqual(self.meta(16)["odoo_balance_currency"], self.store.company_id.currency_id.name)
        # Nothing changed: nothing is written (each write would fire a customer.updated webhook).
        self.assertEqual(self.store._wc_push_balances(), "No balance changed.")
        self.assertEqual(len(self.balance_posts()), posts + 1)

    def test_balances_stay_in_odoo_unless_the_direction_says_so(self):
        self.store.write({"wc_balances_flow": "off", "wc_orders_arrive_as": "invoice"})
        posts = len(self.balance_posts())
        self.import_orders(by_id(71))
        self.assertFalse(self.push_jobs())
        self.assertEqual(self.store._wc_push_balances(), "Balances are not sent to this store.")
        self.assertEqual(len(self.balance_posts()), posts)

    def test_club_members_get_the_portal_invitation_and_see_their_store_orders_and_invoices(self):
        self.store.customer_portal_access = True
        with self.mock_mail_gateway():
            self.import_orders(by_id(79))  # completed, paid: Ivan, registered customer 9
        sale = self.sale_of(79)
        partner = sale.partner_id
        self.assertIn(self.store.customer_club_tag_id, partner.category_id)
        user = partner.user_ids
        self.assertTrue(user and user.has_group("base.group_portal"))
        # Odoo's own invitation e-mail (the portal wizard's) went to the member.
        self.assertTrue([mail for mail in self._mails if partner.email in "".join(mail["email_to"])])
        # In the portal: the order under "Sales orders", its invoice under "Invoices", both readable.
        # The page's own domain, not a copy: Odoo 18 lists the orders the member follows, Odoo 19 (which no
        # longer makes the customer a follower) the orders of the member's commercial partner.
        orders_domain = SalePortal()._prepare_orders_domain(partner)
        portal_orders = self.env["sale.order"].with_user(user).search(orders_domain)
        self.assertIn(sale, portal_orders)
        invoices = self.env["account.move"].with_user(user).search([("move_type", "=", "out_invoice")])
        self.assertEqual(invoices, sale.invoice_ids)
        sale.with_user(user).check_access("read")
