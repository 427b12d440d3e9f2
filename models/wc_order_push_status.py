"""A store's override of which store status an Odoo event sends (Odoo → store).

The defaults live in :data:`..wc_connector.rules.order_push.DEFAULT_EVENT_STATUSES`
(delivery validated → completed, invoice paid → processing, cancelled →
cancelled); a row here replaces the default for its event, and "send no
status" turns an event off (a shop that completes orders on payment maps
*invoice paid* → completed and *delivery validated* → no status). The
decision itself stays in the rules.
"""

from odoo import fields, models

from ..wc_connector.rules import order_push
from .compat import Constraint

EVENT_LABELS = [
    (order_push.DELIVERED, "Delivery validated"),
    (order_push.PAID, "Invoice paid"),
    (order_push.CANCELLED, "Sale order cancelled"),
]
STATUS_LABELS = [
    ("none", "Send no status"),
    ("processing", "processing"),
    ("completed", "completed"),
    ("on-hold", "on-hold"),
    ("cancelled", "cancelled"),
]


class WcOrderPushStatus(models.Model):
    _name = "wc.order.push.status"
    _description = "WooCommerce Order Status Sent per Odoo Event"
    _order = "store_id, event"
    _rec_name = "event"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    event = fields.Selection(EVENT_LABELS, string="In Odoo", required=True)
    wc_status = fields.Selection(STATUS_LABELS, string="Store order becomes", required=True)

    _store_event_unique = Constraint("UNIQUE(store_id, event)", "An Odoo event is mapped once per store.")
