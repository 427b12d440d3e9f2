"""Invoices and credit notes of store orders: the "Online shop" fields (seed A.8) and the refund link.

The Online shop fields (``wc.online.shop.mixin``) are copied from the sale
order when the invoice is made (``sale.order._prepare_invoice``) and carried
to credit notes by Odoo's reversal (copied fields here) or the store refund's
credit note. A credit note made from a store
refund remembers it: (store, refund id) is unique, so a refund is credited
once however often the order is synced.
"""

from odoo import fields, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "wc.online.shop.mixin"]

    # An invoice keeps its order's Online shop fields as they were, and its credit notes copy them (reversal).
    wc_store_id = fields.Many2one(index="btree_not_null", ondelete="restrict", copy=True)
    wc_order_id = fields.Integer(index="btree_not_null", copy=True)
    wc_order_number = fields.Char(readonly=True, copy=True)
    wc_postcode = fields.Char(readonly=True, copy=True)
    wc_phone = fields.Char(readonly=True, copy=True)
    wc_address = fields.Text(readonly=True, copy=True)
    wc_customer_note = fields.Text(readonly=True, copy=True)
    wc_payment_method = fields.Char(readonly=True, copy=True)
    wc_transaction_id = fields.Char(readonly=True, copy=True)
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
