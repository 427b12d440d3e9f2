"""Record templates and how records are shown: `_links`, hidden keys, money.

Records are stored as the API shows them; `present` makes the copy a
response carries (builds `_links` for this server's URL, drops internal keys
such as a webhook's secret).
"""

from __future__ import annotations

import copy
import secrets
import string
from decimal import ROUND_HALF_UP, Decimal

WC_VERSION = "8.9.1"
CAPTURED_ORIGIN = "http://127.0.0.1:8080"
HIDDEN_KEYS = {"secret"}

BILLING_KEYS = ("first_name", "last_name", "company", "address_1", "address_2", "city",
                "state", "postcode", "country", "email", "phone")
SHIPPING_KEYS = ("first_name", "last_name", "company", "address_1", "address_2", "city",
                 "state", "postcode", "country", "phone")
CUSTOMER_BILLING_KEYS = ("first_name", "last_name", "company", "address_1", "address_2", "city",
                         "postcode", "country", "state", "email", "phone")
CUSTOMER_SHIPPING_KEYS = ("first_name", "last_name", "company", "address_1", "address_2", "city",
                          "postcode", "country", "state", "phone")

CENT = Decimal("0.01")


def money(value):
    """A money string with two decimals ("12.30")."""
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def unrounded(value):
    """A tax amount as the store shows per-line taxes: unrounded, no trailing zeros."""
    text = format(Decimal(value).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP).normalize(), "f")
    return "0" if text in ("-0", "0E-6") else text


def php_number(value):
    """A float the way PHP's json_encode shows it (225.0 -> 225)."""
    number = float(value)
    return int(number) if number.is_integer() else round(number, 6)


def dec(value, default="0"):
    """Decimal from a string/number; empty -> default."""
    if value in (None, ""):
        return Decimal(default)
    return Decimal(str(value))


def random_key(prefix, length=40):
    alphabet = string.ascii_lowercase + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


def order_key():
    alphabet = string.ascii_letters + string.digits
    return "wc_order_" + "".join(secrets.choice(alphabet) for _ in range(13))


def address(keys, values=None):
    """An address dict with every key (empty strings), updated by `values`."""
    result = {key: "" for key in keys}
    for key, value in (values or {}).items():
        if key in result:
            result[key] = "" if value is None else str(value)
    return result


def link(url, path):
    return [{"href": f"{url}/wp-json/wc/v3/{path}"}]


def links_for(kind, record, url, parent_id=None):
    """The `_links` of a record of `kind` on the server at `url`."""
    rid = record.get("id")
    if kind == "order":
        links = {"self": link(url, f"orders/{rid}"), "collection": link(url, "orders")}
        if record.get("customer_id"):
            links["customer"] = link(url, f"customers/{record['customer_id']}")
        return links
    if kind == "variation":
        parent = record.get("parent_id") or parent_id
        return {"self": link(url, f"products/{parent}/variations/{rid}"),
                "collection": link(url, f"products/{parent}/variations"),
                "up": link(url, f"products/{parent}")}
    if kind in ("refund", "note"):
        sub = "refunds" if kind == "refund" else "notes"
        return {"self": link(url, f"orders/{parent_id}/{sub}/{rid}"),
                "collection": link(url, f"orders/{parent_id}/{sub}"),
                "up": link(url, f"orders/{parent_id}")}
    collection = {"product": "products", "customer": "customers", "coupon": "coupons",
                  "webhook": "webhooks", "tax": "taxes"}[kind]
    return {"self": link(url, f"{collection}/{rid}"), "collection": link(url, collection)}


def rewrite_links(value, url):
    """A deep copy of `value` with captured-store hrefs pointing at `url`."""
    if isinstance(value, dict):
        return {k: (v.replace(CAPTURED_ORIGIN, url) if k == "href" and isinstance(v, str)
                    else rewrite_links(v, url)) for k, v in value.items()}
    if isinstance(value, list):
        return [rewrite_links(v, url) for v in value]
    return value


def present(kind, record, url, parent_id=None):
    """The copy of `record` a response carries."""
    shown = {k: copy.deepcopy(v) for k, v in record.items()
             if k not in HIDDEN_KEYS and k != "_links" and not k.startswith("__")}
    if kind == "order":
        shown.update(order_derived(shown, url))
    shown["_links"] = links_for(kind, record, url, parent_id)
    return shown


def variation_as_product(variation, parent, url):
    """A variation as /products/<id> and product.updated deliveries show it (type "variation")."""
    shown = product_template()
    shown.update({k: copy.deepcopy(v) for k, v in variation.items()
                  if k in shown and not k.startswith("_")})
    parent = parent or {}
    options = ", ".join(str(a.get("option", "")) for a in variation.get("attributes") or [])
    name = parent.get("name", "") + (f" - {options}" if options else "")
    shown.update({"name": name, "type": "variation", "slug": name.lower().replace(" ", "-"),
                  "total_sales": "0", "reviews_allowed": False, "categories": [], "images": [],
                  "parent_id": variation.get("parent_id"), "variations": []})
    pid = variation.get("parent_id")
    shown["_links"] = {"self": link(url, f"products/{variation['id']}"),
                       "collection": link(url, "products"), "up": link(url, f"products/{pid}")}
    return shown


def edit_context(product, url):
    """The extra keys a product write answer carries (context=edit)."""
    shown = dict(product)
    shown["generated_slug"] = product.get("slug", "")
    shown["permalink_template"] = f"{url}/product/%pagename%/"
    links = shown.pop("_links")
    shown["_links"] = links
    return shown


def order_derived(order, url):
    """Order fields the store computes when it shows an order."""
    status = order.get("status")
    total = dec(order.get("total"))
    return {
        "payment_url": f"{url}/checkout/order-pay/{order['id']}/?pay_for_order=true&key={order.get('order_key', '')}",
        "is_editable": status in ("pending", "on-hold", "auto-draft"),
        "needs_payment": status in ("pending", "failed") and total > 0,
    }


def product_template():
    """A new simple product with every key the store shows."""
    return {
        "id": 0, "name": "", "slug": "", "permalink": "", "date_created": None,
        "date_created_gmt": None, "date_modified": None, "date_modified_gmt": None,
        "type": "simple", "status": "publish", "featured": False, "catalog_visibility": "visible",
        "description": "", "short_description": "", "sku": "", "price": "", "regular_price": "",
        "sale_price": "", "date_on_sale_from": None, "date_on_sale_from_gmt": None,
        "date_on_sale_to": None, "date_on_sale_to_gmt": None, "on_sale": False,
        "purchasable": False, "total_sales": 0, "virtual": False, "downloadable": False,
        "downloads": [], "download_limit": -1, "download_expiry": -1, "external_url": "",
        "button_text": "", "tax_status": "taxable", "tax_class": "", "manage_stock": False,
        "stock_quantity": None, "backorders": "no", "backorders_allowed": False,
        "backordered": False, "low_stock_amount": None, "sold_individually": False,
        "weight": "", "dimensions": {"length": "", "width": "", "height": ""},
        "shipping_required": True, "shipping_taxable": True, "shipping_class": "",
        "shipping_class_id": 0, "reviews_allowed": True, "average_rating": "0.00",
        "rating_count": 0, "upsell_ids": [], "cross_sell_ids": [], "parent_id": 0,
        "purchase_note": "", "categories": [], "tags": [], "images": [], "attributes": [],
        "default_attributes": [], "variations": [], "grouped_products": [], "menu_order": 0,
        "price_html": "", "related_ids": [], "meta_data": [], "stock_status": "instock",
        "has_options": False, "post_password": "",
    }


def variation_template():
    """A new variation with every key the store shows."""
    return {
        "id": 0, "date_created": None, "date_created_gmt": None, "date_modified": None,
        "date_modified_gmt": None, "description": "", "permalink": "", "sku": "", "price": "",
        "regular_price": "", "sale_price": "", "date_on_sale_from": None,
        "date_on_sale_from_gmt": None, "date_on_sale_to": None, "date_on_sale_to_gmt": None,
        "on_sale": False, "status": "publish", "purchasable": False, "virtual": False,
        "downloadable": False, "downloads": [], "download_limit": -1, "download_expiry": -1,
        "tax_status": "taxable", "tax_class": "", "manage_stock": False, "stock_quantity": None,
        "stock_status": "instock", "backorders": "no", "backorders_allowed": False,
        "backordered": False, "low_stock_amount": None, "weight": "",
        "dimensions": {"length": "", "width": "", "height": ""}, "shipping_class": "",
        "shipping_class_id": 0, "image": None, "attributes": [], "menu_order": 0,
        "meta_data": [], "name": "", "parent_id": 0,
    }


def coupon_template():
    """A new coupon with every key the store shows."""
    return {
        "id": 0, "code": "", "amount": "0.00", "status": "publish", "date_created": None,
        "date_created_gmt": None, "date_modified": None, "date_modified_gmt": None,
        "discount_type": "fixed_cart", "description": "", "date_expires": None,
        "date_expires_gmt": None, "usage_count": 0, "individual_use": False, "product_ids": [],
        "excluded_product_ids": [], "usage_limit": None, "usage_limit_per_user": None,
        "limit_usage_to_x_items": None, "free_shipping": False, "product_categories": [],
        "excluded_product_categories": [], "exclude_sale_items": False,
        "minimum_amount": "0.00", "maximum_amount": "0.00", "email_restrictions": [],
        "used_by": [], "meta_data": [],
    }
