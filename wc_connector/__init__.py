"""The framework-free core of the WooCommerce connector.

Everything about the store lives here: the API client, webhook verification,
payload parsing and the sync rules. It never imports ``odoo`` and uses only
relative imports, so it works as the top-level package ``wc_connector`` and
inside the addon as ``odoo.addons.woocommerce_connector.wc_connector``.
"""
