"""The sync runs of the catalog and stock: products read from the store, stock pushed and reconciled."""

from odoo import fields, models


class WcSyncRun(models.Model):
    _inherit = "wc.sync.run"

    kind = fields.Selection(
        selection_add=[
            ("push", "Push"),
            ("stock_reconcile", "Stock reconcile"),
            ("stock_start", "Stock start"),
        ],
        ondelete={"push": "cascade", "stock_reconcile": "cascade", "stock_start": "cascade"},
    )


class WcSyncLog(models.Model):
    _inherit = "wc.sync.log"

    def _wc_retry_methods(self):
        # A product that failed to import imports its payload again (export entries: wc_store_catalog_export.py).
        return dict(super()._wc_retry_methods(), product="_wc_import_products")
