"""The "Import history" wizard: import a store's orders created in a date range."""

from odoo import fields, models

from .const import MANAGER_GROUP
from .wc_access import check_wc_group
from .wc_store_sync import history_bounds


class WcHistoryWizard(models.TransientModel):
    _name = "wc.history.wizard"
    _description = "WooCommerce History Import"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade")
    date_from = fields.Date(string="From", required=True, help="Orders created on or after this day (UTC).")
    date_to = fields.Date(
        string="To", required=True, default=fields.Date.context_today, help="Orders created up to this day, included."
    )

    def action_import(self):
        """Start the import as jobs; the store form shows its progress (processed / total, failures)."""
        self.ensure_one()
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Import history"))
        since, until = history_bounds(self.date_from, self.date_to)
        run = self.store_id._wc_import_history(since, until)
        return {
            "type": "ir.actions.act_window",
            "res_model": "wc.sync.run",
            "res_id": run.id,
            "view_mode": "form",
            "target": "current",
        }
