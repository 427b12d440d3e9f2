"""A store's override of what one store order status makes of the sale order.

The defaults live in :data:`..wc_connector.rules.statuses.DEFAULT_STATUS_TARGETS`;
a row here replaces the default for its status (or maps a plugin's custom
status). The decision itself stays in the rules.
"""

from odoo import fields, models

from ..wc_connector.rules.statuses import TARGETS
from .compat import Constraint

TARGET_LABELS = {
    "quotation": "Quotation",
    "sale": "Confirmed sale order",
    "invoice": "Invoiced",
    "delivered": "Delivered and invoiced",
    "cancel": "Cancelled",
    "credit_note": "Credit note",
}


class WcOrderStatus(models.Model):
    _name = "wc.order.status"
    _description = "WooCommerce Order Status Mapping"
    _order = "store_id, wc_status"
    _rec_name = "wc_status"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    wc_status = fields.Char(string="Store status", required=True, help="e.g. on-hold, processing, or a custom status")
    target = fields.Selection([(key, TARGET_LABELS[key]) for key in TARGETS], string="Sale order becomes", required=True)

    _store_status_unique = Constraint("UNIQUE(store_id, wc_status)", "A store status is mapped once per store.")
