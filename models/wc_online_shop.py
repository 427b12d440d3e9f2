"""The "Online shop" fields (seed A.8), declared once for sale orders, invoices and credit notes.

``wc.online.shop.mixin`` holds the store order's number, postcode, phone,
address, the customer's note, payment method, transaction id and the link to
the order in the store's admin. ``sale.order`` and ``account.move`` inherit
it; the invoice gets them from its sale order, and a credit note from its
invoice, through one function: :meth:`_wc_online_shop_values`.
"""

from odoo import api, fields, models

from .const import ORDER_ADMIN_PATH

#: The stored Online shop fields, copied from a sale order to its invoices and from an invoice to its credit notes.
ONLINE_SHOP_FIELDS = (
    "wc_store_id",
    "wc_order_id",
    "wc_order_number",
    "wc_postcode",
    "wc_phone",
    "wc_address",
    "wc_customer_note",
    "wc_payment_method",
    "wc_transaction_id",
)


class WcOnlineShopMixin(models.AbstractModel):
    _name = "wc.online.shop.mixin"
    _description = "WooCommerce Online Shop Fields"

    # Not copied by default: a duplicated sale order is not the store's order (one sale order per store order).
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

    @api.depends("wc_store_id.url", "wc_order_id")
    def _compute_wc_order_url(self):
        for record in self:
            record.wc_order_url = (
                record.wc_store_id.url + ORDER_ADMIN_PATH % record.wc_order_id
                if record.wc_store_id and record.wc_order_id
                else False
            )

    def _wc_online_shop_values(self):
        """The Online shop fields of this record as values for another one (its invoice, its credit note)."""
        self.ensure_one()
        return {name: self[name].id if name == "wc_store_id" else self[name] for name in ONLINE_SHOP_FIELDS}
