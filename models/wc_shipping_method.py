"""Store shipping method → the delivery (service) product its shipping lines become.

One product per method id (``flat_rate``, ``free_shipping``,
``local_pickup``…), created on connect from ``GET /shipping_methods`` and
whenever an order names a method not seen before; the shop owner may point a
method at another product on the store form. The line keeps the title the
customer saw ("EU-Versand").
"""

from odoo import api, fields, models

from .compat import Constraint


class WcShippingMethod(models.Model):
    _name = "wc.shipping.method"
    _description = "WooCommerce Shipping Method"
    _order = "store_id, method_id"
    _rec_name = "title"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    method_id = fields.Char(string="Store method", required=True)
    title = fields.Char()
    product_id = fields.Many2one(
        "product.product",
        string="Delivery product",
        required=True,
        domain="[('type', '=', 'service')]",
        help="The product the order's shipping lines of this method are written with.",
    )

    _store_method_unique = Constraint(
        "UNIQUE(store_id, method_id)",
        "A store's shipping method has one delivery product.",
    )

    @api.model
    def _wc_products(self, store, methods):
        """``{method_id: product.product id}`` for ``methods`` (``{method_id: title}``); missing ones are created.

        One query for the store's methods, one batch insert for new ones.
        """
        found = {method.method_id: method.product_id.id for method in self.search([("store_id", "=", store.id)])}
        missing = {key: title for key, title in methods.items() if key not in found}
        if missing:
            for method in self._wc_create(store, missing):
                found[method.method_id] = method.product_id.id
        return found

    @api.model
    def _wc_setup(self, store, method_types):
        """Create a method (and its delivery product) for each of ``GET /shipping_methods``; idempotent."""
        known = set(self.search([("store_id", "=", store.id)]).mapped("method_id"))
        missing = {m["id"]: m.get("title") or m["id"] for m in method_types if m.get("id") and m["id"] not in known}
        return self._wc_create(store, missing)

    @api.model
    def _wc_create(self, store, methods):
        if not methods:
            return self.browse()
        keys = list(methods)
        products = self.env["product.product"].create(
            [
                {
                    "name": self.env._("Shipping: %(method)s (%(store)s)", method=methods[key] or key, store=store.name),
                    "type": "service",
                    "sale_ok": True,
                    "purchase_ok": False,
                    "list_price": 0.0,
                    "taxes_id": [fields.Command.clear()],
                    "company_id": store.company_id.id,
                }
                for key in keys
            ]
        )
        return self.create(
            [
                {"store_id": store.id, "method_id": key, "title": methods[key] or key, "product_id": product.id}
                for key, product in zip(keys, products)
            ]
        )
