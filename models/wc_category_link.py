"""Store product category → Odoo product category, per store (the catalog's mapping table).

One row per (store, store category id), enforced by the database; the shop
may point a store category at any Odoo category (several store categories
may share one). New store categories get an Odoo category of the same name
under the store's own root category ("WooCommerce / <store>").
"""

from odoo import api, fields, models

from .compat import Constraint


class WcCategoryLink(models.Model):
    _name = "wc.category.link"
    _inherit = ["wc.binding"]
    _wc_id_field = "wc_category_id"
    _wc_record_field = "categ_id"
    _description = "WooCommerce Category Mapping"
    _order = "store_id, wc_category_id"
    _rec_name = "name"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    wc_category_id = fields.Integer(string="Store category ID", required=True)
    name = fields.Char(string="Store category", required=True)
    categ_id = fields.Many2one("product.category", string="Odoo category", required=True, ondelete="cascade")

    _store_category_unique = Constraint(
        "UNIQUE(store_id, wc_category_id)", "A store category is mapped once per store.")

    @api.model
    def _wc_categories(self, store, refs):
        """``{store category id: product.category id}`` for ``refs`` ``[(id, name)]``; missing ones are created.

        Two queries and at most two creates for a page, whatever its size.
        """
        wanted = {wc_id: name for wc_id, name in refs if wc_id}
        if not wanted:
            return {}
        found = {
            link.wc_category_id: link.categ_id.id
            for link in self._wc_bound(store, wanted)
        }
        missing = [wc_id for wc_id in wanted if wc_id not in found]
        if missing:
            root = store._wc_category_root()
            categories = self.env["product.category"].create(
                [{"name": wanted[wc_id] or str(wc_id), "parent_id": root.id} for wc_id in missing]
            )
            self.create([
                {"store_id": store.id, "wc_category_id": wc_id, "name": wanted[wc_id] or str(wc_id), "categ_id": c.id}
                for wc_id, c in zip(missing, categories)
            ])
            found.update({wc_id: c.id for wc_id, c in zip(missing, categories)})
        return found
