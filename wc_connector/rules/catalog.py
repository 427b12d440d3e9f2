"""The catalog: which Odoo product a store product or variation is, and what Odoo sends to the store.

Import (store → Odoo). The join key is the SKU, after the store id:

* a store item linked before (``wc.product.link``) is that Odoo product;
  it is updated only when the store's ``date_modified`` is newer than the
  one last applied;
* an unlinked item whose SKU is the ``default_code`` of exactly one Odoo
  product that no other store item of the same store is linked to is
  linked to it;
* a SKU that belongs to another Odoo product (several products carry it,
  or its product is already linked to a different store item, or the item's
  own linked product now differs from the SKU's owner) is a **conflict**:
  the item is held in the sync log naming both, never merged silently;
* anything else is created (an item without SKU is linked by store id only).

Export (Odoo → store): :func:`product_payload` and :func:`variation_payload`
build what ``products/batch`` and ``products/<id>/variations/batch`` take,
and :func:`export_error` words a failed item for the shop.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: What to do with a store item.
SKIP = "skip"  # not newer than what was applied
UPDATE = "update"  # linked: apply the store's state
LINK = "link"  # matched by SKU: link, then apply
CREATE = "create"
CONFLICT = "conflict"


@dataclass(frozen=True)
class ItemDecision:
    """What becomes of one store item: ``action``, the Odoo product (if any) and, for a conflict, why."""

    action: str
    product_id: int = 0
    reason: str = ""
    #: The Odoo products a conflict names.
    conflicting: tuple = ()


def is_newer(store_modified, applied_modified):
    """True when the store's state is newer than the one Odoo last applied (never applied: newer)."""
    if applied_modified is None:
        return True
    if store_modified is None:
        return False
    return store_modified.replace(microsecond=0) > applied_modified.replace(microsecond=0)


def decide_item(sku, store_modified, linked=None, applied=None, sku_owners=(), owner_links=None):
    """Decide what becomes of one store item.

    ``linked``: the Odoo product id the item is linked to (``None``: not
    linked); ``applied``: the store ``date_modified`` last applied;
    ``sku_owners``: ids of the Odoo products whose internal reference is
    ``sku``; ``owner_links``: for those, the store item (``(product_id,
    variation_id)``) of this store each is already linked to, if any.
    """
    owner_links = owner_links or {}
    owners = tuple(sorted(set(sku_owners)))
    if linked:
        others = tuple(owner for owner in owners if owner != linked)
        if sku and others:
            return ItemDecision(CONFLICT, linked, "sku_taken", (linked, *others))
        if not is_newer(store_modified, applied):
            return ItemDecision(SKIP, linked)
        return ItemDecision(UPDATE, linked)
    if not sku or not owners:
        return ItemDecision(CREATE)
    if len(owners) > 1:
        return ItemDecision(CONFLICT, 0, "sku_shared", owners)
    owner = owners[0]
    if owner_links.get(owner):
        return ItemDecision(CONFLICT, 0, "sku_linked", (owner,))
    return ItemDecision(LINK, owner)


def net_price(price, prices_include_tax, tax_percent):
    """The store's price as Odoo's sales price: net of tax when the store's prices include it.

    ``tax_percent`` is the rate the store charges on the product (e.g. 19);
    the result keeps 4 decimals, enough for Odoo's product price precision
    to round as the shop expects.
    """
    if price is None:
        return None
    price = Decimal(str(price))
    if not prices_include_tax or not tax_percent:
        return price
    net = price * 100 / (100 + Decimal(str(tax_percent)))
    return net.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def gross_price(price, prices_include_tax, tax_percent):
    """Odoo's (net) sales price as the store takes it: with tax when the store's prices include it; 2 decimals."""
    price = Decimal(str(price or 0))
    if prices_include_tax and tax_percent:
        price = price * (100 + Decimal(str(tax_percent))) / 100
    return price.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ExportProduct:
    """An Odoo product (or template with variants) as it goes to the store."""

    name: str
    sku: str = ""
    description: str = ""
    price: Decimal | None = None
    active: bool = True
    category_ids: tuple = ()
    #: ``{"Color": ("Black", "White")}`` for a template with variants (a variable product).
    attributes: dict = None
    wc_id: int = 0


@dataclass(frozen=True)
class ExportVariation:
    """One variant of a variable product: its SKU, price and attribute values."""

    sku: str = ""
    price: Decimal | None = None
    active: bool = True
    options: dict = None
    wc_id: int = 0


def product_payload(product):
    """The ``products/batch`` item of an :class:`ExportProduct` (with ``id`` when it is linked)."""
    variable = bool(product.attributes)
    payload = {
        "name": product.name,
        "type": "variable" if variable else "simple",
        "status": "publish" if product.active else "draft",
        "description": product.description or "",
        "sku": product.sku or "",
        "categories": [{"id": category_id} for category_id in product.category_ids],
    }
    if variable:
        payload["attributes"] = [
            {"name": name, "options": list(options), "variation": True, "visible": True}
            for name, options in sorted(product.attributes.items())
        ]
    elif product.price is not None:
        payload["regular_price"] = str(product.price)
    if product.wc_id:
        payload["id"] = product.wc_id
    return payload


def variation_payload(variation):
    """The ``products/<id>/variations/batch`` item of an :class:`ExportVariation`."""
    payload = {
        "sku": variation.sku or "",
        "status": "publish" if variation.active else "private",
        "attributes": [{"name": name, "option": option} for name, option in sorted((variation.options or {}).items())],
    }
    if variation.price is not None:
        payload["regular_price"] = str(variation.price)
    if variation.wc_id:
        payload["id"] = variation.wc_id
    return payload


#: The store's error codes a shop can act on, in its words.
EXPORT_ERRORS = {
    "product_invalid_sku": "the SKU {sku!r} is already used by store product {resource_id}",
    "woocommerce_rest_product_invalid_id": "the store has no product {id}",
    "woocommerce_rest_invalid_product_id": "the store has no product {id}",
    "term_exists": "the store already has a category of that name ({resource_id})",
    "woocommerce_product_invalid_category_id": "the store has no such category",
}


def export_error(code, message, data=None, sku="", item_id=0):
    """One sentence for a failed export item (the store's own message when the code is not known)."""
    data = data if isinstance(data, dict) else {}
    template = EXPORT_ERRORS.get(code)
    if template:
        return template.format(sku=sku, resource_id=data.get("resource_id", "?"), id=item_id)
    return f"{message or code} ({code})" if code else (message or "unknown error")


__all__ = [
    "CONFLICT", "CREATE", "LINK", "SKIP", "UPDATE", "ExportProduct", "ExportVariation", "ItemDecision",
    "decide_item", "export_error", "gross_price", "is_newer", "net_price", "product_payload",
    "variation_payload",
]
