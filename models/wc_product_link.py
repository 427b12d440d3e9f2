"""Store product/variation → Odoo product, per store; and how order lines find their products.

Lines match by the link ``(store, product id, variation id)``, else by SKU
(``default_code``); a SKU match is linked so the next order finds it by id.
A product the store sells but Odoo lacks is created from the order line
when the store allows it ("create missing products") — as a variant of the
store product's template (attributes from the line), or as a product of its
own when the store says variations are separate products. Otherwise the
order is held with "unknown product SKU …": never a silently wrong product.
"""

from odoo import api, fields, models

from .compat import Constraint
from .wc_import_lock import advisory_lock_key


class WcProductLink(models.Model):
    _name = "wc.product.link"
    _inherit = ["wc.binding"]
    _wc_id_field = "wc_product_id"
    _wc_record_field = "product_id"
    _description = "WooCommerce Product Link"
    _order = "store_id, wc_product_id, wc_variation_id"
    _rec_name = "product_id"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    wc_product_id = fields.Integer(string="Store product ID", required=True, index=True)
    wc_variation_id = fields.Integer(string="Store variation ID", default=0, required=True)
    sku = fields.Char(string="SKU")
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", index=True)
    wc_date_modified = fields.Datetime(
        string="Store last modified",
        readonly=True,
        copy=False,
        help="The store's date_modified of the product state last applied (import or product.updated); "
        "an older delivery replayed later is not applied.",
    )
    # Stock and catalog export (models/wc_store_stock.py, wc_store_catalog_export.py).
    wc_stock_dirty = fields.Boolean(string="Stock to push", copy=False, index=True)
    wc_stock_pushed = fields.Integer(string="Stock pushed", copy=False)
    wc_stock_pushed_at = fields.Datetime(string="Stock pushed on", copy=False)
    wc_written_modified = fields.Datetime(
        string="Our last write", copy=False,
        help="The store's date_modified our last write to this item returned: its product.updated is our echo.")
    wc_error = fields.Text(string="Last store error", copy=False)
    wc_export_digest = fields.Char(
        string="Last export", copy=False, help="A digest of what the catalog export last wrote: unchanged is not sent.")

    _store_product_unique = Constraint(
        "UNIQUE(store_id, wc_product_id, wc_variation_id)",
        "A store product (or variation) is linked to one Odoo product.",
    )

    @api.model
    def _wc_match(self, store, lines):
        """Find the Odoo product of each store line (parsed :class:`OrderLine` objects with a product).

        Returns ``({(product_id, variation_id): product.product id}, missing)``
        where ``missing`` are the lines no link and no SKU found (one per
        store product). Two queries for the whole page, whatever its size;
        SKU matches get their link (one insert).
        """
        keys = {(line.product_id, line.variation_id): line for line in lines if line.product_id}
        found = {}
        if keys:
            for link in self._wc_bound(store, {key[0] for key in keys}):
                key = (link.wc_product_id, link.wc_variation_id)
                if key in keys:
                    found[key] = link.product_id.id
        by_sku = {}
        skus = {line.sku for key, line in keys.items() if key not in found and line.sku}
        if skus:
            Product = self.env["product.product"].with_company(store.company_id)
            for product in Product.search(
                [("default_code", "in", list(skus)), *Product._check_company_domain(store.company_id)], order="id"
            ):
                by_sku.setdefault(product.default_code, product.id)
        new_links, missing = [], []
        for key, line in keys.items():
            if key in found:
                continue
            if line.sku in by_sku:
                found[key] = by_sku[line.sku]
                new_links.append(self._wc_link_vals(store, line, by_sku[line.sku]))
            else:
                missing.append(line)
        if new_links:
            # Two transactions whose orders share a product found by SKU must not both link it.
            self._wc_lock_store_products(store, [(vals["wc_product_id"], vals["wc_variation_id"]) for vals in new_links])
            self.create(new_links)
        return found, missing

    @api.model
    def _wc_lock_store_products(self, store, keys):
        """Hold the import lock of each store ``(product id, variation id)`` in ``keys`` (or fail retryably)."""
        self.env["wc.import.lock"]._wc_take(
            [advisory_lock_key("wc.product", store.id, product_id, variation_id) for product_id, variation_id in keys],
            f"Store {store.id} products",
        )

    @api.model
    def _wc_link_vals(self, store, line, product_id):
        return {
            "store_id": store.id,
            "wc_product_id": line.product_id,
            "wc_variation_id": line.variation_id,
            "sku": line.sku or False,
            "product_id": product_id,
        }

    @api.model
    def _wc_create_from_lines(self, store, lines):
        """Create the Odoo products of store lines Odoo lacks; returns ``{(product_id, variation_id): id}``.

        Simple products (and variations, when the store keeps them as
        separate products) in one batch; variations otherwise become variants
        of the template of their store product.
        """
        # Two transactions importing different orders with the same new product must not both create it.
        self._wc_lock_store_products(store, [(line.product_id, line.variation_id) for line in lines])
        created = {}
        simple = [
            line
            for line in lines
            if not line.variation_id or store.wc_variations_as_products or not line.attributes
        ]
        if simple:
            products = self.env["product.product"].create(
                [self._wc_product_vals(store, line.name or line.sku, line) for line in simple]
            )
            for line, product in zip(simple, products):
                created[(line.product_id, line.variation_id)] = product.id
        templates = {}  # store product id -> template, for the variations of one page
        for line in lines:
            if line not in simple:
                variant = self._wc_create_variant(store, line, templates)
                created[(line.product_id, line.variation_id)] = variant.id
        self.create([self._wc_link_vals(store, line, created[(line.product_id, line.variation_id)]) for line in lines])
        return created

    @api.model
    def _wc_product_vals(self, store, name, line):
        quantity = line.quantity or 1
        return {
            "name": name,
            "default_code": line.sku or False,
            "type": "consu",
            "is_storable": True,
            "list_price": float(line.subtotal / quantity) if quantity else 0.0,
            "company_id": False,
            "sale_ok": True,
        }

    @api.model
    def _wc_create_variant(self, store, line, templates):
        """The variant of ``line``'s variation in the template of its store product (created as needed)."""
        sibling = self._wc_bound(store, [line.product_id])[:1]
        template = templates.get(line.product_id) or sibling.product_id.product_tmpl_id
        if not template:
            vals = self._wc_product_vals(store, line.parent_name or line.name, line)
            vals.pop("default_code")
            template = self.env["product.template"].create(vals)
        templates[line.product_id] = template
        Attribute = self.env["product.attribute"]
        ptavs = self.env["product.template.attribute.value"]
        for attribute_name, value_name in line.attributes.items():
            attribute = Attribute.search([("name", "=", attribute_name)], limit=1) or Attribute.create(
                {"name": attribute_name, "create_variant": "dynamic"}
            )
            value = attribute.value_ids.filtered(lambda v: v.name == value_name)[:1] or self.env[
                "product.attribute.value"
            ].create({"name": value_name, "attribute_id": attribute.id})
            attribute_line = template.attribute_line_ids.filtered(lambda l: l.attribute_id == attribute)
            if attribute_line:
                if value not in attribute_line.value_ids:
                    attribute_line.write({"value_ids": [fields.Command.link(value.id)]})
            else:
                template.write(
                    {"attribute_line_ids": [fields.Command.create({"attribute_id": attribute.id, "value_ids": [value.id]})]}
                )
                attribute_line = template.attribute_line_ids.filtered(lambda l: l.attribute_id == attribute)
            ptavs |= attribute_line.product_template_value_ids.filtered(
                lambda v: v.product_attribute_value_id == value
            )
        variant = template._get_variant_for_combination(ptavs) or template._create_product_variant(ptavs)
        if line.sku and not variant.default_code:
            variant.default_code = line.sku
        return variant
