"""Sale orders that come from a store: the "Online shop" fields (seed A.8) and the store's order.

One sale order per store order: ``UNIQUE(wc_store_id, wc_order_id)`` in the
database, so that a webhook and a scheduled import racing on the same order
can never both create it. ``wc_date_modified`` is the store's
``date_modified`` of the payload last applied ("skip if up to date").
``wc_total`` is the store's total; ``wc_total_difference`` is Odoo's total
minus it — zero for every order that adds up, the exact cents (and a note in
the chatter) for one that cannot, never silently off.
"""

from odoo import api, fields, models

from .compat import Constraint

#: The store's order admin page (HPOS); ``%s`` is the order id.
ORDER_ADMIN_PATH = "/wp-admin/admin.php?page=wc-orders&action=edit&id=%s"


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "wc.binding"]
    _wc_store_field = "wc_store_id"
    _wc_id_field = "wc_order_id"

    wc_store_id = fields.Many2one("wc.store", string="Online shop", index=True, copy=False, readonly=True)
    wc_order_id = fields.Integer(string="Store order ID", copy=False, readonly=True, index=True)
    wc_order_number = fields.Char(string="Order number", copy=False)
    wc_postcode = fields.Char(string="Postal code", copy=False)
    wc_phone = fields.Char(string="Phone", copy=False)
    wc_address = fields.Text(string="Address", copy=False)
    wc_customer_note = fields.Text(string="Additional description", copy=False)
    wc_payment_method = fields.Char(string="Payment method", copy=False)
    wc_transaction_id = fields.Char(string="Transaction ID", copy=False)
    wc_order_url = fields.Char(string="Order in the store", compute="_compute_wc_order_url")
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

    @api.depends("wc_store_id.url", "wc_order_id")
    def _compute_wc_order_url(self):
        for order in self:
            order.wc_order_url = (
                order.wc_store_id.url + ORDER_ADMIN_PATH % order.wc_order_id
                if order.wc_store_id and order.wc_order_id
                else False
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
