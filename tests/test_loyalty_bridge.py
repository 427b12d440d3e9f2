"""The optional loyalty bridge: club members' store orders earn points on their card, once per order.

Runs when Odoo's ``loyalty`` module is installed in the test database; skipped (with the reason) otherwise.
"""

import copy
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import tagged

from .order_fixtures import OrderImportCase, captured_orders


def by_id(order_id):
    return copy.deepcopy(next(data for data in captured_orders() if data["id"] == order_id))


@tagged("post_install", "-at_install")
class TestLoyaltyBridge(OrderImportCase):
    def setUp(self):
        super().setUp()
        if "loyalty.program" not in self.env:
            self.skipTest("Odoo's loyalty module is not installed: the bridge has nothing to link to")

    def test_club_members_store_orders_earn_points_once(self):
        program = self.env["loyalty.program"].create({
            "name": "Shop club points",
            "program_type": "loyalty",
            "trigger": "auto",
            "applies_on": "both",
            "rule_ids": [Command.create({"reward_point_mode": "money", "reward_point_amount": 1})],
            "reward_ids": [Command.create({"reward_type": "discount", "discount": 5, "required_points": 100})],
        })
        self.store.wc_loyalty_program_ref = f"loyalty.program,{program.id}"
        data = by_id(79)  # completed: a registered customer, so a club member
        self.import_orders(data)
        sale = self.sale_of(79)
        card = self.env["loyalty.card"].search([("program_id", "=", program.id), ("partner_id", "=", sale.partner_id.id)])
        self.assertEqual(card.points, sale.amount_total)
        later = copy.deepcopy(data)
        later["date_modified_gmt"] = (datetime.fromisoformat(data["date_modified_gmt"]) + timedelta(hours=1)).isoformat()
        self.import_orders(later)
        self.store._wc_earn_loyalty(sale)
        self.assertEqual(card.points, sale.amount_total)
        self.assertEqual(self.env["loyalty.history"].search_count([("card_id", "=", card.id)]), 1)

    def test_guests_earn_nothing(self):
        program = self.env["loyalty.program"].create({
            "name": "Shop club points", "program_type": "loyalty",
            "rule_ids": [Command.create({"reward_point_mode": "order", "reward_point_amount": 10})],
            "reward_ids": [Command.create({"reward_type": "discount", "discount": 5, "required_points": 100})],
        })
        self.store.wc_loyalty_program_ref = f"loyalty.program,{program.id}"
        self.import_orders(by_id(80))  # completed guest order
        self.assertFalse(self.env["loyalty.card"].search([("program_id", "=", program.id)]))
