{
    "name": "WooCommerce Connector",
    "summary": "Sync orders, customers, payments and stock between Odoo and WooCommerce stores",
    "version": "18.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "WooCommerce Connector contributors",
    "depends": [
        "sale_management",
        "stock",
        "account",
        "contacts",
        "queue_job",
    ],
    "external_dependencies": {
        "python": ["requests", "woocommerce"],
    },
    "data": [
        "security/wc_security.xml",
        "security/ir.model.access.csv",
        "views/wc_store_views.xml",
        "views/res_config_settings_views.xml",
        "views/wc_menus.xml",
        "views/res_partner_views.xml",
        "views/wc_store_customer_views.xml",
    ],
    "application": True,
    "installable": True,
}
