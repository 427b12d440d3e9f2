"""The optional bridge to Odoo's ``loyalty`` module: a store's club linked to a loyalty programme.

Nothing here needs ``loyalty`` to be installed: the store's programme is a
reference field whose only choice, ``loyalty.program``, exists when the
module does. When a store names a programme, each confirmed store order of a
club member earns the points :func:`..wc_connector.rules.loyalty.points_earned`
gives under the programme's rules, on the member's card (created when
missing), once per order — a ``loyalty.history`` row per order says it was
counted, as Odoo's own point-of-sale and e-commerce orders do.
"""

from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models

from ..wc_connector.rules.loyalty import EarningRule, points_earned

PROGRAM_MODEL = "loyalty.program"


class WcStore(models.Model):
    _inherit = "wc.store"

    wc_loyalty_program_ref = fields.Reference(
        selection="_wc_loyalty_models",
        string="Loyalty programme",
        help="Club members' store orders earn points on their card in this programme (Odoo's Loyalty app).",
    )
    wc_loyalty_available = fields.Boolean(compute="_compute_wc_loyalty_available")

    @api.model
    def _wc_loyalty_models(self):
        return [(PROGRAM_MODEL, "Loyalty programme")] if PROGRAM_MODEL in self.env else []

    def _compute_wc_loyalty_available(self):
        for store in self:
            store.wc_loyalty_available = PROGRAM_MODEL in self.env

    def _wc_loyalty_program(self):
        """The store's loyalty programme, or ``None`` (no ``loyalty`` module, none chosen, or deleted)."""
        self.ensure_one()
        program = self.wc_loyalty_program_ref
        if PROGRAM_MODEL not in self.env or not program or program._name != PROGRAM_MODEL:
            return None
        return program.sudo().exists() or None

    def _wc_earn_loyalty(self, sales):
        """Give the club members among the confirmed ``sales`` their points; once per order. Returns the history rows."""
        self.ensure_one()
        program = self._wc_loyalty_program()
        tag = self.customer_club_tag_id
        if program is None or not tag:
            return None
        sales = sales.filtered(lambda sale: sale.state == "sale" and tag in sale.partner_id.category_id)
        if not sales:
            return None
        History = self.env["loyalty.history"].sudo()
        counted = set(History.search([
            ("order_model", "=", "sale.order"), ("order_id", "in", sales.ids), ("card_id.program_id", "=", program.id),
        ]).mapped("order_id"))
        sales = sales.filtered(lambda sale: sale.id not in counted)
        if not sales:
            return None
        Card = self.env["loyalty.card"].sudo()
        cards = {card.partner_id.id: card for card in Card.search(
            [("program_id", "=", program.id), ("partner_id", "in", sales.partner_id.ids)])}
        missing = [partner for partner in sales.partner_id if partner.id not in cards]
        for card in Card.create([{"program_id": program.id, "partner_id": partner.id, "points": 0} for partner in missing]):
            cards[card.partner_id.id] = card
        rules = [
            EarningRule(rule.reward_point_mode, Decimal(str(rule.reward_point_amount)),
                        Decimal(str(rule.minimum_amount or 0)), Decimal(rule.minimum_qty or 0))
            for rule in program.rule_ids if rule.reward_point_mode in ("order", "money", "unit")
        ]
        earned, history = defaultdict(float), []
        for sale in sales:
            quantity = sum(sale.order_line.filtered(lambda line: line.wc_line_kind == "product").mapped("product_uom_qty"))
            points = float(points_earned(rules, Decimal(str(sale.amount_total)), Decimal(str(quantity))))
            card = cards[sale.partner_id.id]
            earned[card] += points
            history.append({
                "card_id": card.id,
                "order_model": "sale.order",
                "order_id": sale.id,
                "issued": points,
                "description": self.env._("Store order %(number)s", number=sale.wc_order_number or sale.name),
            })
        for card, points in earned.items():
            card.points += points
        return History.create(history)

    def _wc_import_orders(self, order_dicts):
        """Club members' confirmed orders of the page earn their loyalty points."""
        counts = super()._wc_import_orders(order_dicts)
        if self._wc_loyalty_program() is not None:
            ids = [data.get("id") for data in order_dicts if isinstance(data, dict) and isinstance(data.get("id"), int)]
            self._wc_earn_loyalty(
                self.env["sale.order"]._wc_bound(self, ids))
        return counts
