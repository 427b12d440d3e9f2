"""Store customers become Odoo partners (issue 3, "Customers"; mission A.1 and B forward), on real Odoo.

Each test is one rule, fed with the real captures (tests/fixtures/woocommerce/). The decisions themselves
are tested fast in tests/core/test_rules_customers.py; these tests check that Odoo applies them.
"""

import copy
import json
from pathlib import Path

from psycopg2 import IntegrityError
from psycopg2.errors import LockNotAvailable

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.wc_store_customers import advisory_lock_key
from ..wc_connector.payloads import parse_customer, parse_order
from ..wc_emulator.captures import newest_captured_orders
from .common import WcStoreCase

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "woocommerce"


def body(name):
    """The body of a captured answer."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["body"]


def order(name, order_id=None):
    """A captured order, parsed (``order_id`` picks one from a list)."""
    data = body(name)
    if order_id is not None:
        data = next(item for item in data if item["id"] == order_id)
    return parse_order(data)


def page_orders():
    """The captured order pages plus the single-order captures, each order once."""
    by_id = {}
    for name in ("orders_list_p1.json", "orders_list_p2_with_headers.json"):
        for item in body(name):
            by_id[item["id"]] = item
    for path in sorted(FIXTURES.glob("order_single_*.json")):
        item = json.loads(path.read_text(encoding="utf-8"))["body"]
        by_id.setdefault(item["id"], item)
    return [parse_order(item) for item in by_id.values()]


def captured_orders():
    """Every order the captures hold, each in its newest captured state."""
    return [parse_order(item) for item in newest_captured_orders(FIXTURES)]


def synthetic_orders(count, first_id=5000):
    """``count`` guest orders of ``count`` different people, shaped like the captured guest order."""
    template = body("order_single_guest.json")
    result = []
    for number in range(count):
        data = copy.deepcopy(template)
        data.update(id=first_id + number, number=str(first_id + number))
        data["billing"].update(first_name=f"Buyer{number}", email=f"buyer{number}@example.com", company="")
        data["shipping"].update(first_name=f"Buyer{number}", company="")
        result.append(parse_order(data))
    return result


def synthetic_customers(count, first_id=3000):
    """``count`` store customers of ``count`` different people, shaped like the captured Russian customer."""
    template = body("customer_single_russian.json")
    result = []
    for number in range(first_id, first_id + count):
        data = copy.deepcopy(template)
        email = f"kunde{number}@example.com"
        data.update(id=number, email=email, username=f"kunde{number}", first_name=f"Kunde{number}")
        data["billing"].update(first_name=f"Kunde{number}", email=email, phone="")
        data["shipping"].update(first_name=f"Kunde{number}", phone="")
        result.append(data)
    return result


def modified(customer_dicts, date_modified_gmt, **changes):
    """Copies of store customers as the store would send them after saving them at ``date_modified_gmt``."""
    return [
        {**copy.deepcopy(data), **changes, "date_modified": date_modified_gmt, "date_modified_gmt": date_modified_gmt}
        for data in customer_dicts
    ]


@tagged("post_install", "-at_install")
class TestImportCustomers(WcStoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = cls.env["wc.store"].create({"name": "Lab Shop", "url": "https://shop.example.com"})
        cls.Partner = cls.env["res.partner"]
        cls.club = cls.store.customer_club_tag_id

    def resolve(self, records, store=None):
        return (store or self.store)._wc_resolve_customers(records)

    def partner(self, assignment_values, name="partner_id"):
        return self.Partner.browse(assignment_values[name])

    def new_partners(self, before_ids):
        return self.Partner.search([("id", "not in", before_ids)])

    # -- the store's settings ------------------------------------------------------------------

    def test_a_new_store_has_its_customer_club_and_email_as_identity_key(self):
        store = self.create_store(name="Second Shop")
        self.assertEqual(store.customer_club_tag_id.name, "Second Shop customer club")
        self.assertEqual(store.customer_identity_key, "email")
        self.assertEqual(store.customer_master, "odoo")
        self.assertFalse(store.customer_portal_access)

    def test_partner_form_shows_the_online_shop_tab_to_woocommerce_users_only(self):
        def form(user):
            return self.env["res.partner"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]

        self.assertIn('name="wc_online_shop"', form(self.wc_user))
        self.assertIn("wc_customer_link_ids", form(self.wc_user))
        self.assertNotIn("wc_customer_link_ids", form(self.employee))
        store_form = self.env["wc.store"].with_user(self.wc_user).get_views([(False, "form")])["views"]["form"]["arch"]
        for name in ("customer_identity_key", "customer_master", "customer_club_tag_id", "customer_portal_access"):
            self.assertIn(f'name="{name}"', store_form)

    # -- customers become partners ---------------------------------------------------------------

    def test_russian_customer_becomes_a_partner_with_name_zip_and_phone_intact(self):
        ivan = parse_customer(body("customer_single_russian.json"))
        result = self.resolve([ivan])
        partner = self.partner(result[("customer", 9)])
        self.assertEqual(partner.name, "Иван Петров")
        self.assertEqual(partner.zip, "125009")
        self.assertEqual(partner.phone, "+7 495 123-45-67")
        self.assertEqual(partner.email, "ivan.petrov@example.ru")
        self.assertEqual(partner.street, "ул. Тверская, д. 7, кв. 15")
        self.assertEqual((partner.city, partner.country_id.code), ("Москва", "RU"))
        self.assertFalse(partner.parent_id)
        link = partner.wc_customer_link_ids
        self.assertEqual((link.store_id, link.wc_customer_id, link.username), (self.store, 9, "ivan_petrov"))

    def test_persian_b2b_customer_becomes_company_and_contact_person(self):
        maryam = parse_customer(body("customer_single_persian_b2b.json"))
        values = self.resolve([maryam])[("customer", 12)]
        contact = self.partner(values)
        company = contact.parent_id
        self.assertEqual(contact.name, "مریم کریمی")
        self.assertEqual(contact.phone, "+98 21 6600 5500")
        self.assertTrue(company.is_company)
        self.assertEqual(company.name, "شرکت پارس تجارت")
        self.assertEqual((company.street, company.city, company.zip, company.country_id.code),
                         ("بلوار کشاورز، شماره ۴۵", "تهران", "1416753955", "IR"))
        self.assertEqual(contact.commercial_partner_id, company)
        self.assertEqual(values["partner_invoice_id"], company.id)

    def test_b2b_order_gets_company_contact_person_and_addresses(self):
        b2b = order("order_single_b2b_coupon.json")
        bavaria = self.env["res.country.state"].create(
            {"name": "Bayern", "code": "BY", "country_id": self.env.ref("base.de").id})
        values = self.resolve([b2b])[("order", 73)]
        contact = self.partner(values)
        company = contact.parent_id
        self.assertEqual((company.name, company.is_company), ("Müller Bürotechnik GmbH", True))
        self.assertEqual(company.state_id, bavaria)  # the store writes DE-BY
        self.assertEqual((company.zip, company.street2), ("80339", "Halle 3"))
        for name in ("partner_invoice_id", "partner_shipping_id"):
            self.assertEqual(self.partner(values, name).commercial_partner_id, company)

    def test_guest_order_gets_a_profile_but_no_club_membership(self):
        guest = order("order_single_guest.json")
        contact = self.partner(self.resolve([guest])[("order", 64)])
        self.assertEqual(contact.email, "eva.schulz@example.de")
        self.assertNotIn(self.club, contact.category_id)
        self.assertFalse(contact.wc_customer_link_ids)

    def test_registered_buyer_joins_the_stores_customer_club(self):
        ivan_order = order("orders_list_p1.json", 94)
        contact = self.partner(self.resolve([ivan_order])[("order", 94)])
        self.assertIn(self.club, contact.category_id)
        self.assertEqual(contact.wc_club_store_ids, self.store)
        self.assertEqual(contact.wc_customer_link_ids.wc_customer_id, 9)

    def test_club_members_get_portal_access_when_the_store_says_so(self):
        self.store.customer_portal_access = True
        contact = self.partner(self.resolve([order("orders_list_p1.json", 94)])[("order", 94)])
        self.assertTrue(contact.user_ids)
        self.assertTrue(contact.user_ids._is_portal())
        guest = self.partner(self.resolve([order("order_single_guest.json")])[("order", 64)])
        self.assertFalse(guest.user_ids)

    # -- never two partners for one person --------------------------------------------------------

    def test_captured_order_pages_give_the_expected_partners_and_a_second_run_creates_nothing(self):
        before = self.Partner.search([]).ids
        orders = page_orders()
        first = self.resolve(orders)
        created = self.new_partners(before)
        # 20 orders of 16 people (Ivan, Lukas, Hanna and Zahra ordered twice), 6 of them for a company;
        # the single captures add order 64 (Eva again) and Thomas Müller's company and contact.
        people = created.filtered(lambda p: not p.is_company and p.type == "contact")
        self.assertEqual(len(created.filtered("is_company")), 7)
        self.assertEqual(len(people), 17)
        self.assertEqual(len(first), len(orders))
        self.assertEqual(first[("order", 94)], first[("order", 79)])
        count = self.Partner.search_count([])
        self.assertEqual(self.resolve(orders), first)
        self.assertEqual(self.Partner.search_count([]), count)
        # 13 accounts in the two pages, and Thomas Müller (customer 3) in the B2B capture.
        self.assertEqual(self.env["wc.customer.link"].search_count([("store_id", "=", self.store.id)]), 14)

    def test_nineteen_guest_orders_from_eight_emails_give_eight_people(self):
        guests = [o for o in captured_orders() if o.is_guest and o.billing.email]
        self.assertEqual((len(guests), len({o.billing.email for o in guests})), (19, 8))
        result = self.resolve(guests)
        self.assertEqual(len({values["partner_id"] for values in result.values()}), 8)

    def test_the_same_person_buying_for_two_companies_is_a_contact_in_each(self):
        fischer = order("orders_list_p1.json", 90)
        spedition = order("more/customer_change/b1_order75_after_get.json")
        result = self.resolve([fischer, spedition])
        first, second = self.partner(result[("order", 90)]), self.partner(result[("order", 75)])
        self.assertEqual(first.email, second.email)
        self.assertNotEqual(first, second)
        self.assertEqual(first.parent_id.name, "Fischer Logistik AG")
        self.assertEqual(second.parent_id.name, "Spedition Fischer Süd GmbH & Co. KG")

    def test_an_existing_partner_with_the_same_email_is_reused(self):
        anna = self.Partner.create({"name": "Anna Schmidt", "email": " Anna.Schmidt@Example.DE "})
        self.assertEqual(self.resolve([order("orders_list_p1.json", 87)])[("order", 87)]["partner_id"], anna.id)

    def test_identity_key_phone_finds_the_partner_by_its_national_number(self):
        self.store.customer_identity_key = "phone"
        germany = self.env.ref("base.de")
        anna = self.Partner.create({"name": "A. Schmidt", "email": "anna@elsewhere.example",
                                    "phone": "030 / 123 45 67", "country_id": germany.id})
        values = self.resolve([order("orders_list_p1.json", 87)])[("order", 87)]  # billing phone +49 30 1234567
        self.assertEqual(values["partner_id"], anna.id)

    def test_identity_key_username_finds_the_account_of_another_store_customer_id(self):
        self.store.customer_identity_key = "username"
        anna = self.Partner.create({"name": "Anna", "email": "another@example.de"})
        self.env["wc.customer.link"].create(
            {"store_id": self.store.id, "wc_customer_id": 9002, "partner_id": anna.id, "username": "anna_schmidt"})
        account = parse_customer(next(c for c in body("customers_list_p1.json") if c["id"] == 2))
        self.assertEqual(self.resolve([account])[("customer", 2)]["partner_id"], anna.id)
        self.assertEqual(sorted(anna.wc_customer_link_ids.mapped("wc_customer_id")), [2, 9002])

    # -- who is master for customer data ----------------------------------------------------------

    def test_store_not_master_leaves_an_existing_partner_as_it_is(self):
        julia = self.Partner.create({"name": "J. Weber", "email": "julia.weber@example.de"})
        self.resolve([order("orders_list_p1.json", 89)])
        self.assertEqual((julia.name, julia.phone), ("J. Weber", False))

    def test_store_master_updates_an_existing_partner(self):
        self.store.customer_master = "store"
        # The store is master of the partners it created (or linked), not of every partner with the email.
        julia = self.Partner.create(
            {"name": "J. Weber", "email": "julia.weber@example.de", "wc_created_by_store_id": self.store.id})
        self.resolve([order("orders_list_p1.json", 89)])
        self.assertEqual((julia.name, julia.phone), ("Julia Weber", "+49 40 555123"))

    def test_customer_import_counts_created_updated_unchanged_and_reports_bad_records(self):
        self.store.customer_master = "store"
        customers = body("customers_list_p1.json")
        counts = self.store._wc_import_customers(customers + [{"id": "not-a-number"}])
        self.assertEqual(counts["created"], len(customers))
        self.assertEqual(counts["failed"], 1)
        [log] = self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("entity", "=", "customer")])
        self.assertEqual((log.state, log.wc_id), ("failed", 0))
        self.assertIn("not-a-number", log.payload)
        self.partner(self.resolve([parse_customer(customers[0])])[("customer", customers[0]["id"])]).name = "Old Name"
        again = self.store._wc_import_customers(modified(customers, "2027-01-01T00:00:00"))  # the store saved them again
        self.assertEqual((again["created"], again["updated"], again["unchanged"]), (0, 1, len(customers) - 1))

    # -- changing the customer of an order (mission part B, forward) --------------------------------

    def sale_order(self, values, invoiced=False):
        product = self.env["product.product"].create({"name": "Paper", "list_price": 10.0, "type": "consu"})
        so = self.env["sale.order"].create({
            **values, "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})]})
        so.action_confirm()
        if invoiced:
            so._create_invoices().action_post()
        return so

    def test_customer_changed_to_an_existing_customer_on_a_confirmed_order(self):
        before = order("more/customer_change/a0_order74_before_get.json")
        after = order("more/customer_change/a2_order74_after_get.json")
        sophie_order = order("orders_list_p2_with_headers.json", 83)  # Sophie is already a customer
        first = self.resolve([before, sophie_order])
        so = self.sale_order(first[("order", 74)])
        partners = self.Partner.search_count([])
        changed = self.resolve([after])[("order", 74)]
        self.assertEqual(self.Partner.search_count([]), partners)  # no new customer
        self.assertEqual(changed["partner_id"], first[("order", 83)]["partner_id"])
        self.assertEqual(self.store._wc_apply_customer_change(so, changed)["partner_id"], changed["partner_id"])
        self.assertEqual(so.partner_id.email, "sophie.wagner@example.de")
        self.assertEqual((so.partner_invoice_id.id, so.partner_shipping_id.id),
                         (changed["partner_invoice_id"], changed["partner_shipping_id"]))
        self.assertEqual(self.store._wc_apply_customer_change(so, changed), {})  # a second time: nothing

    def test_customer_changed_to_a_missing_customer_creates_it(self):
        so = self.sale_order(self.resolve([order("more/customer_change/c0_order70_before_get.json")])[("order", 70)])
        changed = self.resolve([order("more/customer_change/c1_order70_after_get.json")])[("order", 70)]
        self.store._wc_apply_customer_change(so, changed)
        self.assertEqual(so.partner_id.email, "katrin.neumann@example.de")

    def test_customer_changed_to_a_missing_company_creates_company_and_contact(self):
        so = self.sale_order(self.resolve([order("more/customer_change/b0_order75_before_get.json")])[("order", 75)])
        self.assertEqual(so.partner_id.parent_id.name, "Fischer Logistik AG")
        changed = self.resolve([order("more/customer_change/b1_order75_after_get.json")])[("order", 75)]
        self.store._wc_apply_customer_change(so, changed)
        self.assertEqual(so.partner_id.parent_id.name, "Spedition Fischer Süd GmbH & Co. KG")
        self.assertEqual(so.partner_id.email, "einkauf@fischer-logistik.example.de")
        self.assertEqual(so.partner_invoice_id, so.partner_id.parent_id)

    def test_customer_changed_to_an_existing_company_creates_nothing(self):
        spedition = order("more/customer_change/b1_order75_after_get.json")
        self.resolve([spedition])  # the company and its contact exist (from another order)
        so = self.sale_order(self.resolve([order("more/customer_change/b0_order75_before_get.json")])[("order", 75)])
        partners = self.Partner.search_count([])
        changed = self.resolve([spedition])[("order", 75)]
        self.assertEqual(self.Partner.search_count([]), partners)
        self.store._wc_apply_customer_change(so, changed)
        self.assertEqual(so.partner_id.commercial_partner_id.name, "Spedition Fischer Süd GmbH & Co. KG")

    def test_customer_change_on_an_invoiced_order_goes_to_the_chatter(self):
        so = self.sale_order(
            self.resolve([order("more/customer_change/b0_order75_before_get.json")])[("order", 75)], invoiced=True)
        invoice = so.invoice_ids
        self.assertEqual(invoice.state, "posted")
        old_partner, old_invoice_partner = so.partner_id, invoice.partner_id
        changed = self.resolve([order("more/customer_change/b1_order75_after_get.json")])[("order", 75)]
        self.assertIn("partner_id", self.store._wc_apply_customer_change(so, changed))
        self.assertEqual(so.partner_id, old_partner)
        self.assertEqual(invoice.partner_id, old_invoice_partner)
        note = so.message_ids[0]
        self.assertIn("Spedition Fischer Süd GmbH &amp; Co. KG", note.body)
        self.assertIn("already invoiced", note.body)
        self.store._wc_apply_customer_change(so, changed)  # the order comes again: no second note
        self.assertEqual(so.message_ids[0], note)

    # -- the database keeps it safe ---------------------------------------------------------------

    def test_a_store_customer_is_linked_once(self):
        partner = self.Partner.create({"name": "Someone"})
        Link = self.env["wc.customer.link"]
        Link.create({"store_id": self.store.id, "wc_customer_id": 77, "partner_id": partner.id})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            Link.create({"store_id": self.store.id, "wc_customer_id": 77, "partner_id": self.Partner.create(
                {"name": "Someone else"}).id})
            Link.flush_model()
        other_store = self.create_store(name="Other Shop")
        Link.create({"store_id": other_store.id, "wc_customer_id": 77, "partner_id": partner.id})

    def test_keys_locked_by_another_transaction_make_the_import_retry(self):
        ivan = parse_customer(body("customer_single_russian.json"))
        with self.env.registry.cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s)",
                          [advisory_lock_key("wc.customer", self.store.id, "email", "ivan.petrov@example.ru")])
            with mute_logger("odoo.sql_db"), self.assertRaises(LockNotAvailable), self.env.cr.savepoint():
                self.resolve([ivan])
            other.rollback()
        self.assertTrue(self.resolve([ivan])[("customer", 9)]["partner_id"])

    def queries(self, records):
        """The SQL queries one resolution of ``records`` costs, pending writes included."""
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        self.resolve(records)
        self.env.flush_all()
        return self.env.cr.sql_log_count - start

    def test_resolving_a_page_costs_a_bounded_number_of_queries(self):
        small, large = synthetic_orders(10), synthetic_orders(50, first_id=7000)
        first_small, first_large = self.queries(small), self.queries(large)
        # Looking a page up costs the same for 10 orders as for 50: a few bulk queries.
        again_small, again_large = self.queries(small), self.queries(large)
        self.assertEqual(again_small, again_large)
        self.assertLessEqual(again_large, 15)
        # Creating is batched; what grows is Odoo's own per-partner sync in res.partner.create.
        self.assertLessEqual(first_large - first_small, 4 * 40)
        self.assertLessEqual(first_small, 40 + 4 * 10)

    # -- an unchanged customer costs nothing (the weekly full reconcile) ----------------------------

    def import_queries(self, customer_dicts):
        """The counts of one import of ``customer_dicts`` and the SQL queries it costs, pending writes included."""
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        counts = self.store._wc_import_customers(customer_dicts)
        self.env.flush_all()
        return counts, self.env.cr.sql_log_count - start

    def link(self, wc_customer_id):
        return self.env["wc.customer.link"].search(
            [("store_id", "=", self.store.id), ("wc_customer_id", "=", wc_customer_id)])

    def test_an_imported_customer_keeps_the_stores_date_modified_on_its_link(self):
        self.store._wc_import_customers([body("customer_single_russian.json")])
        self.assertEqual(str(self.link(9).wc_date_modified), "2026-11-23 14:50:45")  # date_modified_gmt

    def test_importing_an_unchanged_page_again_costs_a_few_queries_whatever_its_size(self):
        self.store.customer_master = "store"
        small, large = synthetic_customers(10), synthetic_customers(40, first_id=4000)
        self.store._wc_import_customers(small + large)
        partners, links = self.Partner.search_count([]), self.env["wc.customer.link"].search_count([])
        again_small, queries_small = self.import_queries(small)
        again_large, queries_large = self.import_queries(large)
        self.assertEqual(queries_small, queries_large)
        self.assertLessEqual(queries_large, 5)
        self.assertEqual(again_small, {"created": 0, "updated": 0, "unchanged": 10, "failed": 0})
        self.assertEqual(again_large, {"created": 0, "updated": 0, "unchanged": 40, "failed": 0})
        self.assertEqual((self.Partner.search_count([]), self.env["wc.customer.link"].search_count([])),
                         (partners, links))

    def test_an_unchanged_customer_is_skipped_even_when_its_partner_was_edited_in_odoo(self):
        self.store.customer_master = "store"
        ivan = body("customer_single_russian.json")
        self.store._wc_import_customers([ivan])
        partner = self.link(9).partner_id
        partner.name = "Edited in Odoo"
        counts = self.store._wc_import_customers([ivan])
        self.assertEqual((counts["updated"], counts["unchanged"]), (0, 1))
        self.assertEqual(partner.name, "Edited in Odoo")

    def test_a_customer_whose_date_modified_moved_is_applied(self):
        self.store.customer_master = "store"
        ivan = body("customer_single_russian.json")
        self.store._wc_import_customers([ivan])
        [changed] = modified([ivan], "2026-12-01T09:30:00", last_name="Сидоров")
        for address in ("billing", "shipping"):
            changed[address]["last_name"] = "Сидоров"
        counts = self.store._wc_import_customers([changed])
        self.assertEqual(counts["updated"], 1)
        self.assertEqual(self.link(9).partner_id.name, "Иван Сидоров")
        self.assertEqual(str(self.link(9).wc_date_modified), "2026-12-01 09:30:00")

    def test_an_older_customer_payload_is_ignored(self):
        self.store.customer_master = "store"
        ivan = body("customer_single_russian.json")
        [older] = modified([ivan], "2026-11-01T08:00:00", last_name="Сидоров")
        self.store._wc_import_customers([ivan])
        counts = self.store._wc_import_customers([older])
        self.assertEqual(counts, {"created": 0, "updated": 0, "unchanged": 1, "failed": 0})
        self.assertEqual(self.link(9).partner_id.name, "Иван Петров")
        self.assertEqual(str(self.link(9).wc_date_modified), "2026-11-23 14:50:45")

    def test_a_customer_linked_by_an_order_is_applied_by_its_first_customer_import(self):
        self.store.customer_master = "store"
        self.resolve([order("orders_list_p1.json", 87)])  # Anna Schmidt's account 2, linked through her order
        anna = next(c for c in body("customers_list_p1.json") if c["id"] == 2)
        self.assertFalse(self.link(2).wc_date_modified)
        self.store._wc_import_customers([anna])
        self.assertEqual(self.link(2).wc_date_modified.isoformat(), anna["date_modified_gmt"])

    def test_a_skipped_customer_closes_its_open_log_entry(self):
        ivan = body("customer_single_russian.json")
        self.store._wc_import_customers([ivan])
        self.store._wc_import_customers([{**ivan, "is_paying_customer": "maybe"}])
        log = self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("entity", "=", "customer")])
        self.assertEqual((log.wc_id, log.state), (9, "failed"))
        self.assertEqual(self.store._wc_import_customers([ivan])["unchanged"], 1)
        self.assertEqual(log.state, "done")
