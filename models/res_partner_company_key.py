"""The company-name key of a partner, stored and indexed, so the customer import finds companies in SQL.

The key is :func:`..wc_connector.rules.identity.company_name_key` itself
(NFKC, case folded so that ``ß`` is ``ss``, Arabic ``ي``/``ك`` read as Persian
``ی``/``ک``, zero-width characters dropped, quotes and punctuation around
legal forms forgiven): the SQL lookup and the customer rules can never
disagree on which spellings are one company, as a PostgreSQL imitation of it
would (``lower()`` knows neither ``ß`` nor the Persian letters).
"""

from odoo import api, fields, models

from ..wc_connector.rules.identity import company_name_key


class ResPartner(models.Model):
    _inherit = "res.partner"

    wc_company_name_key = fields.Char(
        string="Company name key",
        compute="_compute_wc_company_name_key",
        store=True,
        index=True,
        readonly=True,
        help="The name as the WooCommerce customer import compares company names.",
    )

    @api.depends("name")
    def _compute_wc_company_name_key(self):
        for partner in self:
            partner.wc_company_name_key = company_name_key(partner.name) or False
