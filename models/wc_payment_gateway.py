"""A store's payment gateway ("bacs", "cheque", "cod", "stripe"...) and the journal its money goes to.

One record per (store, gateway id). Payments of store orders are registered
in the gateway's journal, so each gateway's money can be reconciled with its
own bank statements. Journals are created for the store's enabled gateways
when the store is set up (:meth:`WcStore._wc_setup_gateways`) and on the fly
for a gateway an order names that was not known yet.
"""

from odoo import api, fields, models

from .compat import Constraint

#: The gateway key used for orders paid without a payment method (manual orders).

#: Longest journal code Odoo accepts (``account.journal.code`` has size 5).
_JOURNAL_CODE_SIZE = 5


class WcPaymentGateway(models.Model):
    _name = "wc.payment.gateway"
    _description = "WooCommerce Payment Gateway"
    _order = "store_id, sequence, id"
    _check_company_auto = True

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    gateway = fields.Char(
        string="Gateway ID",
        required=True,
        help="The store's id of the payment gateway (bacs, cheque, cod, stripe...).",
    )
    name = fields.Char(string="Title", required=True)
    enabled = fields.Boolean(help="Whether the store offers this gateway at checkout.")
    journal_id = fields.Many2one(
        "account.journal",
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]",
        help="Payments of store orders paid with this gateway are registered in this journal.",
    )

    _gateway_unique = Constraint("UNIQUE(store_id, gateway)", "A store lists each payment gateway once.")

    @api.depends("name", "gateway")
    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.name} ({record.gateway})" if record.gateway else record.name

    def _ensure_journals(self):
        """Give each gateway of ``self`` without a journal a bank journal "WC <title>" of its store's company.

        Reuses a journal of that name in the company, so setting a store up
        again (or a second store with the same gateway titles) adds nothing.
        """
        missing = self.filtered(lambda gateway: not gateway.journal_id)
        if not missing:
            return
        Journal = self.env["account.journal"].sudo()
        companies = missing.company_id
        journals = Journal.search([("company_id", "in", companies.ids), ("type", "in", ("bank", "cash"))])
        by_name = {(journal.company_id.id, journal.name): journal for journal in journals}
        used_codes = {(journal.company_id.id, journal.code) for journal in Journal.with_context(active_test=False).search(
            [("company_id", "in", companies.ids)]
        )}
        for gateway in missing:
            company = gateway.company_id
            name = f"WC {gateway.name or gateway.gateway}"
            journal = by_name.get((company.id, name))
            if not journal:
                code = _free_code(used_codes, company.id)
                used_codes.add((company.id, code))
                journal = Journal.create({"name": name, "code": code, "type": "bank", "company_id": company.id})
                by_name[(company.id, name)] = journal
            gateway.journal_id = journal


def _free_code(used_codes, company_id):
    """The first journal code ``WC1``, ``WC2``... not used in the company (codes are unique per company)."""
    number = 1
    while True:
        code = f"WC{number}"[:_JOURNAL_CODE_SIZE]
        if (company_id, code) not in used_codes:
            return code
        number += 1
