"""One lookup per link kind: store ids ↔ Odoo records, batched, and never across stores."""

from odoo.tests import tagged

from .common import WcStoreCase


@tagged("post_install", "-at_install")
class TestLinkLookups(WcStoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Store = cls.env["wc.store"]
        cls.store = Store.create({"name": "Lookup Shop", "url": "https://lookup.example.com"})
        cls.other = Store.create({"name": "Other Shop", "url": "https://other.example.com"})
        cls.partners = cls.env["res.partner"].create([{"name": f"Buyer {n}"} for n in range(3)])
        Link = cls.env["wc.customer.link"]
        for wc_id, partner in zip((11, 12, 13), cls.partners):
            Link.create({"store_id": cls.store.id, "wc_customer_id": wc_id, "partner_id": partner.id})
        # The same store id in another store points elsewhere.
        Link.create({"store_id": cls.other.id, "wc_customer_id": 11, "partner_id": cls.partners[2].id})
        cls.sales = cls.env["sale.order"].create([
            {"partner_id": cls.partners[0].id, "wc_store_id": store.id, "wc_order_id": 500}
            for store in (cls.store, cls.other)
        ])

    def test_links_by_store_ids_in_one_query(self):
        Link = self.env["wc.customer.link"]
        Link.invalidate_model()
        with self.assertQueryCount(1):
            links = Link._wc_bound(self.store, [11, 13, 99], ["wc_customer_id", "partner_id"])
            found = {link.wc_customer_id: link.partner_id.id for link in links}
        self.assertEqual(found, {11: self.partners[0].id, 13: self.partners[2].id})

    def test_links_by_odoo_records_stay_in_their_store(self):
        links = self.env["wc.customer.link"]._wc_bound_to(self.store, self.partners[2])
        self.assertEqual(links.mapped("wc_customer_id"), [13])
        self.assertEqual(self.env["wc.customer.link"]._wc_bound_to(self.other, self.partners[2]).wc_customer_id, 11)

    def test_orders_are_their_own_binding(self):
        sale = self.env["sale.order"]._wc_bound(self.store, [500, 501])
        self.assertEqual(sale, self.sales[0])
        self.assertEqual(self.env["sale.order"]._wc_bound_to(self.other, self.sales), self.sales[1])
