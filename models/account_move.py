"""Invoices and credit notes of store orders: the "Online shop" fields (seed A.8) and the refund link.

The Online shop fields are copied from the sale order when the invoice is
made (``sale.order._prepare_invoice``) and carried to credit notes by
Odoo's reversal (they are copied fields). A credit note made from a store
refund remembers it: (store, refund id) is unique, so a refund is credited
once however often the order is synced.
"""

from odoo import fields, models

#: The Online shop fields shared by sale orders and invoices (same names on both models).
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
    "wc_order_url",
)


class AccountMove(models.Model):
    _inherit = "account.move"

    wc_store_id = fields.Many2one("wc.store", string="Store", index="btree_not_null", readonly=True, ondelete="restrict")
    wc_order_id = fields.Integer(string="Store Order ID", readonly=True, index="btree_not_null")
    wc_order_number = fields.Char(string="Order Number", readonly=True)
    wc_postcode = fields.Char(string="Postal Code", readonly=True)
    wc_phone = fields.Char(string="Phone", readonly=True)
    wc_address = fields.Text(string="Address", readonly=True)
    wc_customer_note = fields.Text(string="Additional Description", readonly=True)
    wc_payment_method = fields.Char(string="Payment Method", readonly=True)
    wc_transaction_id = fields.Char(string="Transaction ID", readonly=True)
    wc_order_url = fields.Char(string="Order in Store", readonly=True)
    wc_refund_id = fields.Integer(
        string="Store Refund ID",
        readonly=True,
        copy=False,
        help="The store refund this credit note records.",
    )
    wc_refund_reason = fields.Char(string="Refund Reason", readonly=True, copy=False)

    def init(self):
        # A store refund is credited once. A partial index: invoices (no refund id) are not concerned.
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS account_move_wc_refund_unique
               ON account_move (wc_store_id, wc_refund_id) WHERE wc_refund_id > 0"""
        )
