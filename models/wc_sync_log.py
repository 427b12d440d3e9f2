"""The sync log: one line per record the sync could not (or could, after a retry) bring over.

A failed import keeps the reason a shop owner can act on ("unknown product
SKU 'X'", "tax rate 'BTW 21%' (NL, id 5) has no Odoo tax") and the store's
payload as it arrived, as evidence of what failed. Once the cause is fixed,
*Retry* reads the records again from the store and imports what the store
says now: a stored payload is never imported, since whoever can edit a row
could otherwise make the import (which runs as superuser: sale orders, posted
invoices, payments) believe anything. Nobody edits the payload, either.
"""

import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..wc_connector.errors import WooCommerceError
from .const import MANAGER_GROUP
from .wc_access import check_wc_group
from .wc_error_text import error_text
from .wc_store_sync import SYNC_ENTITIES

#: Records re-read per request by Retry (the store's ``per_page`` maximum).
RETRY_CHUNK = 100

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
    payload = fields.Text(
        readonly=True,
        help="The store's record as it arrived (JSON), kept as evidence; Retry reads the record again from the store.",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    def write(self, vals):
        # Only the sync itself (as superuser) records what the store sent.
        if "payload" in vals and not self.env.su:
            raise AccessError(self.env._("The payload of a sync-log entry is what the store sent; it cannot be edited."))
        return super().write(vals)

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
        """Read the failed records again from the store and import them, one import per store and entity.

        The stored payloads are not used: the store is asked for each record
        (``include=<ids>``, a hundred per request, with the sync's own
        filters). The importers keep the log themselves: an entry that fails
        again gets the new reason, the others are done; a record the store no
        longer has says so.
        """
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Retry"))
        methods = self._wc_retry_methods()
        entries = self.filtered(lambda entry: entry.state == "failed")
        for log in entries:
            if not methods.get(log.entity) or log.entity not in SYNC_ENTITIES or not log.wc_id:
                raise UserError(self.env._(
                    "This entry cannot be retried: it names no record of the store, or %s cannot be read again.",
                    log.entity,
                ))
        for (store, entity), logs in entries.grouped(lambda log: (log.store_id, log.entity)).items():
            # The import is the sync's work (as the scheduled sync does it), not an edit by the user who asks.
            store = store.sudo()
            records = store._wc_read_again(entity, logs.mapped("wc_id"))
            if records:
                getattr(store, methods[entity])(records)
            found = {record.get("id") for record in records}
            gone = logs.filtered(lambda log: log.wc_id not in found)
            if gone:
                gone.sudo().write({
                    "reason": self.env._("The store no longer has this record: there is nothing to import."),
                    "date": fields.Datetime.now(),
                })
        return True


class WcStore(models.Model):
    _inherit = "wc.store"

    def _wc_read_again(self, entity, wc_ids):
        """The store's current records ``wc_ids`` of ``entity`` (list of JSON objects), a hundred per request."""
        self.ensure_one()
        endpoint, _importer, params, _cursor = SYNC_ENTITIES[entity]
        wc_ids = sorted(set(wc_ids))
        records = []
        try:
            with self._client() as client:
                for start in range(0, len(wc_ids), RETRY_CHUNK):
                    chunk = wc_ids[start:start + RETRY_CHUNK]
                    records += client.iter_records(endpoint, {
                        **params, "include": ",".join(map(str, chunk)), "per_page": len(chunk),
                    })
        except WooCommerceError as error:
            raise UserError(self.env._("The store could not be read: %s", error_text(self.env, error))) from None
        return records
