"""The customer's online-shop balance (seed A.4): what they owe (+) or have in credit (−).

It is the commercial partner's receivable balance from posted entries —
invoices and credit notes, payments and refund payments — so it always
agrees with the accounting, whichever way an entry got there. It is
accounting data: only the groups that may read Odoo's own receivable
(``credit``) read it, and it is computed with their rights (no ``sudo``).
"""

from collections import defaultdict

from odoo import api, fields, models

#: Who reads the balance: the groups of ``res.partner.credit`` in Odoo's account module.
ACCOUNTING_READERS = "account.group_account_invoice,account.group_account_readonly"


class ResPartner(models.Model):
    _inherit = "res.partner"

    wc_balance = fields.Monetary(
        string="Online Shop Balance",
        compute="_compute_wc_balance",
        currency_field="wc_balance_currency_id",
        groups=ACCOUNTING_READERS,
        help="What the customer owes (positive) or has in credit (negative): the receivable "
        "balance of posted invoices, credit notes and payments of the customer's company.",
    )
    wc_balance_currency_id = fields.Many2one("res.currency", compute="_compute_wc_balance", groups=ACCOUNTING_READERS)

    @api.depends_context("company")
    def _compute_wc_balance(self):
        """One grouped query for all partners of ``self`` (and their contacts)."""
        commercial = self.commercial_partner_id
        members = self.with_context(active_test=False).search([("commercial_partner_id", "in", commercial.ids)])
        totals = defaultdict(float)
        if members:
            groups = self.env["account.move.line"]._read_group(
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
