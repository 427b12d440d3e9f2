"""The store's webhooks as the store reports them: one row per webhook the connector registered.

The store is the authority: ``status`` is what ``GET /webhooks`` said at
``last_sync`` (WooCommerce disables a webhook by itself after more than five
failed deliveries; a shop manager may pause one). Odoo never decides a
status on its own — *Re-enable* asks the store and shows its answer.
"""

from odoo import fields, models

from .compat import Constraint
from .const import MANAGER_GROUP
from .wc_access import check_wc_group

#: The topics the sync needs: orders and customers both ways of their life, products for price changes.
WEBHOOK_TOPICS = (
    "order.created",
    "order.updated",
    "order.deleted",
    "customer.created",
    "customer.updated",
    "customer.deleted",
    "product.updated",
)

#: The statuses WooCommerce gives a webhook.
WEBHOOK_STATUSES = [("active", "Active"), ("paused", "Paused"), ("disabled", "Disabled")]


class WcWebhook(models.Model):
    _name = "wc.webhook"
    _description = "WooCommerce Webhook"
    _order = "store_id, topic, id"
    _rec_name = "topic"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    topic = fields.Char(required=True, readonly=True)
    wc_webhook_id = fields.Integer(string="Store webhook ID", required=True, readonly=True)
    delivery_url = fields.Char(readonly=True)
    status = fields.Selection(WEBHOOK_STATUSES, readonly=True, help="As the store reported it at the last sync.")
    last_sync = fields.Datetime(string="Last checked", readonly=True)

    _store_webhook_unique = Constraint("UNIQUE(store_id, wc_webhook_id)", "A store webhook is listed once.")

    def action_reenable_webhook(self):
        """Ask the store to set these webhooks active again and show its answer."""
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Re-enable a webhook"))
        for store, webhooks in self.grouped("store_id").items():
            store._wc_set_webhook_status(webhooks, "active")
        return True
