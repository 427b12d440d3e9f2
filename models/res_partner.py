"""Partners show what the online shops know about them: their store accounts and club memberships."""

from odoo import api, fields, models

from .const import USER_GROUP


class ResPartner(models.Model):
    _inherit = "res.partner"

    wc_customer_link_ids = fields.One2many(
        "wc.customer.link",
        "partner_id",
        string="Store Accounts",
        groups=USER_GROUP,
    )
    wc_created_by_store_id = fields.Many2one(
        "wc.store",
        string="Created by Store",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        groups=USER_GROUP,
        help="The store whose sync created this partner. With the store as master for customer data, "
        "a store updates only the partners it created or linked to one of its customer accounts.",
    )
    wc_club_store_ids = fields.Many2many(
        "wc.store",
        string="Customer Club Of",
        compute="_compute_wc_club_store_ids",
        groups=USER_GROUP,
        help="The stores whose customer club (a partner tag) this partner belongs to.",
    )

    @api.depends("category_id")
    def _compute_wc_club_store_ids(self):
        # One search for all partners shown: the stores whose club tag any of them carries.
        stores = self.env["wc.store"].search([("customer_club_tag_id", "in", self.category_id.ids)])
        for partner in self:
            partner.wc_club_store_ids = stores.filtered(lambda store: store.customer_club_tag_id in partner.category_id)
