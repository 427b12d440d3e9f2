"""The sync log: one line per record the sync could not (or could, after a retry) bring over.

A failed import keeps the reason a shop owner can act on ("unknown product
SKU 'X'", "tax rate 'BTW 21%' (NL, id 5) has no Odoo tax") and the store's
payload as it arrived, so that once the cause is fixed the *Retry* button
imports exactly that payload again — nothing is fetched twice and nothing is
lost in between.
"""

import json

from odoo import api, fields, models
from odoo.exceptions import UserError

ENTITIES = [
    ("order", "Order"),
    ("customer", "Customer"),
    ("product", "Product"),
    ("refund", "Refund"),
    ("stock", "Stock"),
]


class WcSyncLog(models.Model):
    _name = "wc.sync.log"
    _description = "WooCommerce Sync Log"
    _order = "date desc, id desc"
    _rec_name = "reason"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    entity = fields.Selection(ENTITIES, required=True, default="order")
    direction = fields.Selection(
        [("import", "Store → Odoo"), ("export", "Odoo → Store")], required=True, default="import"
    )
    wc_id = fields.Integer(string="Store ID", index=True)
    state = fields.Selection([("done", "Done"), ("failed", "Failed")], required=True, default="failed", index=True)
    reason = fields.Text()
    payload = fields.Text(help="The store's record as it arrived (JSON); Retry imports it again.")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def _wc_failed(self, store, entity, wc_id, reason, payload):
        """Values of a failed entry (create them in bulk): ``payload`` is the store's JSON object."""
        return {
            "store_id": store.id,
            "entity": entity,
            "direction": "import",
            "wc_id": wc_id or 0,
            "state": "failed",
            "reason": reason,
            "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str),
        }

    @api.model
    def _wc_resolve(self, store, entity, wc_ids):
        """Mark the failed entries of ``wc_ids`` done: they have been imported since (one query)."""
        if not wc_ids:
            return
        self.search(
            [
                ("store_id", "=", store.id),
                ("entity", "=", entity),
                ("state", "=", "failed"),
                ("wc_id", "in", list(wc_ids)),
            ]
        ).write({"state": "done"})

    def _wc_retry_methods(self):
        """Which ``wc.store`` method imports a list of payloads of each entity (other parts extend it)."""
        return {"order": "_wc_import_orders"}

    def action_retry(self):
        """Import the kept payloads again (after the cause was fixed); entries that import become done."""
        methods = self._wc_retry_methods()
        for log in self.filtered(lambda entry: entry.state == "failed"):
            method = methods.get(log.entity)
            if not method or not log.payload:
                raise UserError(self.env._("This entry cannot be retried: no payload or no importer for %s.", log.entity))
            # The import is the sync's work (as the scheduled sync does it), not an edit by the user who asks.
            getattr(log.store_id.sudo(), method)([json.loads(log.payload)])
        return True
