"""The WooCommerce section of Odoo's Settings."""

from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    wc_store_count = fields.Integer(string="WooCommerce stores", compute="_compute_wc_store_count")

    @api.depends("company_id")
    def _compute_wc_store_count(self):
        # Counted as the current user sees them: the stores of their companies.
        count = self.env["wc.store"].search_count([])
        for settings in self:
            settings.wc_store_count = count
