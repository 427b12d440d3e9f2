"""The sync log for Odoo → store writes: entries with direction "Odoo → store", and their Retry.

Retry on a refused write does not write to the store in the button: it
marks the order again (with the scope that failed) and queues the store's
push job, which reads the order's state when it runs. The entry is done once
a push of that order succeeds.
"""

import json

from odoo import api, models

from .const import MANAGER_GROUP
from .wc_access import check_wc_group


class WcSyncLog(models.Model):
    _inherit = "wc.sync.log"

    @api.model
    def _wc_resolve_pushes(self, store, wc_ids):
        """Mark the failed "Odoo → store" order entries of ``wc_ids`` done (one query)."""
        if not wc_ids:
            return
        self.search([
            ("store_id", "=", store.id), ("entity", "=", "order"), ("direction", "=", "export"),
            ("state", "=", "failed"), ("wc_id", "in", list(wc_ids)),
        ]).write({"state": "done"})

    def action_retry(self):
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Retry"))
        pushes = self.filtered(
            lambda entry: entry.direction == "export" and entry.state == "failed" and entry.entity == "order")
        for entry in pushes:
            payload = json.loads(entry.payload or "{}")
            sale = self.env["sale.order"].sudo()._wc_bound(entry.store_id, [entry.wc_id])[:1]
            for scope in filter(None, (payload.get("scope") or "status").split(",")):
                sale._wc_request_push(scope)
        rest = self - pushes
        return super(WcSyncLog, rest).action_retry() if rest else True
