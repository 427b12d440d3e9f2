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
            # A store id the payload got wrong (not a number) is kept in the payload, not here.
            "wc_id": wc_id if isinstance(wc_id, int) else 0,
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
        return {"order": "_wc_import_orders", "customer": "_wc_import_customers"}

    def action_retry(self):
        """Import the kept payloads again (after the cause was fixed), one import per store and entity.

        The importers keep the log themselves: an entry that fails again gets
        the new reason, the others are done.
        """
        methods = self._wc_retry_methods()
        entries = self.filtered(lambda entry: entry.state == "failed")
        for log in entries:
            if not methods.get(log.entity) or not log.payload:
                raise UserError(self.env._("This entry cannot be retried: no payload or no importer for %s.", log.entity))
        groups = {}
        for log in entries:
            groups.setdefault((log.store_id, log.entity), self.browse())
            groups[(log.store_id, log.entity)] |= log
        for (store, entity), logs in groups.items():
            # The import is the sync's work (as the scheduled sync does it), not an edit by the user who asks.
            getattr(store.sudo(), methods[entity])([json.loads(log.payload) for log in logs])
        return True
