"""Payments of store orders: which store, order, gateway and transaction they come from.

An order's payment is found again by (store, order, direction) — with the
refund id for money sent back — so that syncing an order twice never
registers its payment twice.
"""

from odoo import fields, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    wc_store_id = fields.Many2one("wc.store", string="Store", index="btree_not_null", readonly=True, ondelete="restrict")
    wc_order_id = fields.Integer(string="Store Order ID", readonly=True, index="btree_not_null")
    wc_refund_id = fields.Integer(string="Store Refund ID", readonly=True, copy=False)
    wc_gateway_id = fields.Many2one("wc.payment.gateway", string="Gateway Record", readonly=True, ondelete="set null")
    wc_gateway = fields.Char(string="Gateway", readonly=True, help="The store's payment gateway (bacs, stripe...).")
    wc_transaction_id = fields.Char(string="Transaction ID", readonly=True, copy=False)
