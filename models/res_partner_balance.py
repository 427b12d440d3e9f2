"""The customer's online-shop balance (seed A.4): what they owe (+) or have in credit (−).

It is the commercial partner's receivable balance from posted entries —
invoices and credit notes, payments and refund payments — so it always
agrees with the accounting, whichever way an entry got there.
"""

from collections import defaultdict

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    wc_balance = fields.Monetary(
        string="Online Shop Balance",
        compute="_compute_wc_balance",
        currency_field="wc_balance_currency_id",
        help="What the customer owes (positive) or has in credit (negative): the receivable "
        "balance of posted invoices, credit notes and payments of the customer's company.",
    )
    wc_balance_currency_id = fields.Many2one("res.currency", compute="_compute_wc_balance")

    @api.depends_context("company")
    def _compute_wc_balance(self):
        """One grouped query for all partners of ``self`` (and their contacts)."""
        commercial = self.commercial_partner_id
        members = self.with_context(active_test=False).search([("commercial_partner_id", "in", commercial.ids)])
        totals = defaultdict(float)
        if members:
            groups = self.env["account.move.line"].sudo()._read_group(
                [
                    ("partner_id", "in", members.ids),
                    ("parent_state", "=", "posted"),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("company_id", "in", self.env.companies.ids),
                ],
                ["partner_id"],
                ["balance:sum"],
            )
            for partner, balance in groups:
                totals[partner.commercial_partner_id.id] += balance
        currency = self.env.company.currency_id
        for partner in self:
            partner.wc_balance = currency.round(totals[partner.commercial_partner_id.id])
            partner.wc_balance_currency_id = currency
