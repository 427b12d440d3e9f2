"""``meta_data``: the store's internal keys kept apart from the shop's own.

WooCommerce exposes every meta row of a record, its own bookkeeping included
(``_reduced_stock``, ``_refunded_item_id``, ``_billing_vat_id``): keys with a
leading underscore are internal, the rest are the shop's own (plugins,
custom fields). Parsers give both as ``{key: value}`` dicts; when a key
repeats, the first row wins, as WooCommerce's own ``get_meta()`` does.
"""

#: Where shops and VAT plugins keep a customer's VAT number, most specific first.
VAT_META_KEYS = (
    "_billing_vat_id",
    "_billing_vat",
    "_billing_vat_number",
    "_vat_number",
    "_vat_id",
    "vat_id",
    "billing_vat_id",
    "billing_vat",
    "billing_vat_number",
    "vat_number",
)


def split_meta(fields, key="meta_data"):
    """Read a ``meta_data`` list into ``(meta, internal_meta)`` dicts of key → value."""
    meta, internal = {}, {}
    for row in fields.items(key):
        name = row.text("key", required=True)
        target = internal if name.startswith("_") else meta
        target.setdefault(name, row.raw("value"))
    return meta, internal


def display_meta(fields, key="meta_data"):
    """A line's visible meta as ``{label: shown value}`` (a variation's ``Color: White``).

    Uses the store's ``display_key``/``display_value`` when sent, else the raw
    key and value; internal rows (leading ``_``) are left out.
    """
    shown = {}
    for row in fields.items(key):
        name = row.text("key", required=True)
        if name.startswith("_"):
            continue
        label = row.text("display_key") or name
        value = row.raw("display_value", row.raw("value"))
        shown.setdefault(label, value if isinstance(value, str) else str(value))
    return shown


def find_vat_id(meta, internal_meta):
    """The VAT number from the first of :data:`VAT_META_KEYS` that holds one, stripped; ``None`` if none does."""
    for name in VAT_META_KEYS:
        value = (internal_meta if name.startswith("_") else meta).get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
