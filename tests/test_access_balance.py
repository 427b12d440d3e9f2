"""The online-shop balance is accounting data: read by those who may read Odoo's own receivable (``credit``)."""

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import USER_GROUP


@tagged("post_install", "-at_install")
class TestBalanceIsAccountingData(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls.init_invoice("out_invoice", partner=cls.partner_a, amounts=[100.0], post=True)
        cls.users = {
            name: new_test_user(cls.env, login=f"wc_balance_{name}", groups=groups,
                                company_id=cls.env.company.id, company_ids=[(6, 0, cls.env.company.ids)])
            for name, groups in {
                "accountant": "base.group_user,account.group_account_invoice",
                "auditor": "base.group_user,account.group_account_readonly",
                "shop_user": f"base.group_user,{USER_GROUP}",
                "salesman": f"base.group_user,sales_team.group_sale_salesman,{USER_GROUP}",
                "shop_accountant": f"base.group_user,account.group_account_invoice,{USER_GROUP}",
            }.items()
        }

    def test_balance_has_the_groups_of_odoos_own_credit(self):
        Partner = self.env["res.partner"]
        self.assertEqual(Partner._fields["wc_balance"].groups, Partner._fields["credit"].groups)

    def test_accountant_and_auditor_read_the_balance(self):
        for name in ("accountant", "auditor", "shop_accountant"):
            with self.subTest(user=name):
                partner = self.partner_a.with_user(self.users[name])
                self.assertAlmostEqual(partner.wc_balance, self.invoice.amount_total)
        # The balance shows in the partner's "Online shop" tab, which WooCommerce users see.
        self.assertIn('name="wc_balance"', self.partner_form(self.users["shop_accountant"]))

    def test_shop_users_without_accounting_rights_never_read_it(self):
        for name in ("shop_user", "salesman"):
            with self.subTest(user=name):
                partner = self.partner_a.with_user(self.users[name])
                with self.assertRaises(AccessError):
                    partner.read(["wc_balance"])
                self.assertNotIn('name="wc_balance"', self.partner_form(self.users[name]))

    def partner_form(self, user):
        return self.env["res.partner"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
