"""The link between a store's customer account and its Odoo partner.

One row per (store, store customer id), made unique by the database: two
imports that race on the same customer cannot both link it (the second one
fails and is retried). Guests (``customer_id`` 0) have no account and no link;
they are found by the store's identity key.

``wc_date_modified`` is the store's ``date_modified`` of the customer record
last applied (UTC): a customer import skips records not newer than it.
"""

from odoo import fields, models

from .compat import Constraint


class WcCustomerLink(models.Model):
    _name = "wc.customer.link"
    _inherit = ["wc.binding"]
    _wc_id_field = "wc_customer_id"
    _wc_record_field = "partner_id"
    _description = "WooCommerce Customer Link"
    _order = "store_id, wc_customer_id"
    _rec_name = "wc_customer_id"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    wc_customer_id = fields.Integer(string="Store Customer ID", required=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    username = fields.Char(help="The customer's login in the store (used when the store identifies people by username).")
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    wc_date_modified = fields.Datetime(
        string="Store Last Modified",
        readonly=True,
        copy=False,
        help="When the store last changed the customer record Odoo applied (set by customer imports, "
        "not by orders): an import of a record not newer than this is skipped.",
    )

    _store_customer_unique = Constraint(
        "UNIQUE(store_id, wc_customer_id)",
        "A store customer can be linked to one partner only.",
    )
    _wc_customer_id_positive = Constraint("CHECK(wc_customer_id > 0)", "Guests (customer 0) are never linked.")
