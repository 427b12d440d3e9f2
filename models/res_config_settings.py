"""The WooCommerce section of Odoo's Settings."""

from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    wc_store_count = fields.Integer(string="WooCommerce stores", compute="_compute_wc_store_count")
    wc_retention_days = fields.Integer(
        string="Keep store payloads (days)",
        config_parameter="woocommerce_connector.retention_days",
        default=30,
        help="After this many days the store data kept to do the sync (resolved sync-log payloads, processed "
        "webhook deliveries, the arguments of finished jobs) is purged by a daily scheduled action.",
    )

    @api.depends("company_id")
    def _compute_wc_store_count(self):
        # Counted as the current user sees them: the stores of their companies.
        count = self.env["wc.store"].search_count([])
        for settings in self:
            settings.wc_store_count = count
