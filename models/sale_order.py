"""Sale orders that come from a store: the "Online shop" fields (seed A.8) and the store's order.

One sale order per store order: ``UNIQUE(wc_store_id, wc_order_id)`` in the
database, so that a webhook and a scheduled import racing on the same order
can never both create it. ``wc_date_modified`` is the store's
``date_modified`` of the payload last applied ("skip if up to date").
``wc_total`` is the store's total; ``wc_total_difference`` is Odoo's total
minus it — zero for every order that adds up, the exact cents (and a note in
the chatter) for one that cannot, never silently off.
"""

from odoo import fields, models

from .compat import Constraint


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "wc.online.shop.mixin", "wc.binding"]
    _wc_store_field = "wc_store_id"
    _wc_id_field = "wc_order_id"

    wc_status = fields.Char(string="Store status", copy=False, readonly=True)
    wc_date_modified = fields.Datetime(string="Store last modified", copy=False, readonly=True)
    wc_total = fields.Monetary(string="Store total", copy=False, readonly=True)
    wc_total_difference = fields.Monetary(
        string="Difference to store total",
        copy=False,
        readonly=True,
        help="Odoo's total minus the store's. Non-zero only when the store's own rounding cannot be "
        "reproduced (the chatter says why); zero for every order that adds up.",
    )
    wc_coupons = fields.Text(string="Coupons", copy=False, readonly=True)

    _wc_order_unique = Constraint(
        "UNIQUE(wc_store_id, wc_order_id)",
        "This store order is already a sale order: one sale order per store order.",
    )

    def action_open_wc_order(self):
        """Open the order in the store's admin, in a new tab."""
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.wc_order_url, "target": "new"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    wc_line_id = fields.Integer(
        string="Store line ID",
        copy=False,
        readonly=True,
        help="The store's line id (refunds point at it); a line split in two prices gives two lines with the same id.",
    )
    wc_line_kind = fields.Selection(
        [("product", "Product"), ("shipping", "Shipping"), ("fee", "Fee"), ("coupon", "Coupon")],
        string="Store line kind",
        copy=False,
        readonly=True,
    )
