"""Shop data never rewrites a partner it does not own (issue 7, section 1), on real Odoo.

The decisions are tested fast in tests/core/test_rules_customers_ownership.py; these tests check that
Odoo hands the rules the facts (which partners have users, which ones this store created or linked)
and that an imported order leaves everything else alone.
"""

import copy

from odoo.tests import new_test_user, tagged

from .order_fixtures import OrderImportCase, order_body

#: The employee's phone, as a guest types it at the checkout (another spelling of the same number).
EMPLOYEE_PHONE = "+49 911 300400"


def guest_order(order_id, **billing):
    """The captured guest order (a private buyer: no company), with ``billing`` changed."""
    data = copy.deepcopy(order_body("order_single_guest.json"))
    data.update(id=order_id, number=str(order_id))
    data["billing"].update(company="", **billing)
    data["shipping"].update(company="")
    return data


@tagged("post_install", "-at_install")
class TestShopDataNeverRewritesAPartnerItDoesNotOwn(OrderImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store.write({"customer_identity_key": "phone", "customer_master": "store"})

    def snapshot(self, partner, addresses=True):
        """The partner's own data (and, with ``addresses``, its contacts and addresses)."""
        partner.invalidate_recordset()
        fields = ["name", "email", "phone", "street", "city", "zip", "country_id", "parent_id", "category_id"]
        fields += ["mobile"] if "mobile" in partner._fields else []  # gone in Odoo 19
        return partner.read(fields + (["child_ids"] if addresses else []))[0]

    def test_a_guest_order_with_an_employees_phone_leaves_the_employee_untouched(self):
        erika = new_test_user(self.env, login="erika", name="Erika Employee", email="erika@our-company.example",
                              groups="base.group_user")
        erika.partner_id.write({"phone": "0911 300400", "country_id": self.env.ref("base.de").id,
                                "street": "Werkstraße 1", "city": "Fürth", "zip": "90762"})
        partner_before, user_before = self.snapshot(erika.partner_id), erika.read(["login", "email", "partner_id"])[0]
        data = guest_order(6401, phone=EMPLOYEE_PHONE, email="somebody.else@example.com")
        self.assertEqual(self.import_orders(data)["created"], 1)
        sale = self.sale_of(6401)
        self.assertNotEqual(sale.partner_id.commercial_partner_id, erika.partner_id)
        self.assertEqual(sale.partner_id.email, "somebody.else@example.com")
        self.assertEqual(self.snapshot(erika.partner_id), partner_before)
        erika.invalidate_recordset()
        self.assertEqual(erika.read(["login", "email", "partner_id"])[0], user_before)

    def test_a_portal_users_partner_is_not_found_by_the_key_either(self):
        portal = new_test_user(self.env, login="paula", name="Paula Portal", email="paula@example.com",
                               groups="base.group_portal")
        portal.partner_id.write({"phone": EMPLOYEE_PHONE, "country_id": self.env.ref("base.de").id})
        before = self.snapshot(portal.partner_id)
        self.import_orders(guest_order(6402, phone=EMPLOYEE_PHONE, email="mallory@example.com"))
        self.assertNotEqual(self.sale_of(6402).partner_id, portal.partner_id)
        self.assertEqual(self.snapshot(portal.partner_id), before)

    def test_store_is_master_only_of_partners_it_created(self):
        odoos_own = self.env["res.partner"].create(
            {"name": "E. Schulz", "phone": EMPLOYEE_PHONE, "country_id": self.env.ref("base.de").id})
        before = self.snapshot(odoos_own, addresses=False)
        self.import_orders(guest_order(6403, phone=EMPLOYEE_PHONE))
        self.assertEqual(self.sale_of(6403).partner_id, odoos_own, "found by the key and used...")
        # (the order's billing and shipping become its invoice and delivery addresses, as for any order)
        self.assertEqual(self.snapshot(odoos_own, addresses=False), before,
                         "... but not rewritten: Odoo's, not the store's")
        # A partner this store created is the store's to update.
        self.import_orders(guest_order(6404, phone="+49 911 999999", first_name="Eva"))
        created = self.sale_of(6404).partner_id
        self.assertEqual(created.wc_created_by_store_id, self.store)
        self.import_orders(guest_order(6405, phone="+49 911 999999", first_name="Evelyn"))
        self.assertEqual(self.sale_of(6405).partner_id, created)
        self.assertEqual(created.name, "Evelyn Schulz")

    def test_an_orders_email_is_never_written_onto_an_existing_partner(self):
        self.import_orders(guest_order(6406, phone="+49 911 777777", email="eva.schulz@example.de"))
        eva = self.sale_of(6406).partner_id
        self.import_orders(guest_order(6407, phone="+49 911 777777", email="attacker@example.com"))
        self.assertEqual(self.sale_of(6407).partner_id, eva)
        self.assertEqual(eva.email, "eva.schulz@example.de")

    def test_the_partner_form_says_which_store_created_it(self):
        arch = self.env["res.partner"].with_user(self.wc_user).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="wc_created_by_store_id"', arch)
