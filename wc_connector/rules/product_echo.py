"""Is a ``product.updated`` delivery the echo of our own write?

Every write to a product or variation (a stock push, a catalog export) makes
the store fire ``product.updated`` — even when nothing changed
(``reverse/1_stock``). Importing that delivery would write the same values
back into Odoo and, worse, could start another push. The store's delivery
carries the resource's state when it is sent; when nothing happened in
between, its ``date_modified_gmt`` equals the one our write's response
returned (``reverse/5_echo``, whole seconds). A later change in the store
(a sale, an edit by the shop) moves ``date_modified`` on, so deliveries
coalesced with a foreign change are not taken for echoes.

The orders' echo check (token **and** ``date_modified_gmt``) lives with the
order push; products carry no token (a stock batch stays lean and a token in
``meta_data`` would itself be a change), so the date is the whole check here.
"""


def _second(moment):
    return moment.replace(microsecond=0) if moment else None


def is_echo(delivered_modified, written_modified):
    """True when a delivery's ``date_modified`` is the one our last write to that record returned."""
    if delivered_modified is None or written_modified is None:
        return False
    return _second(delivered_modified) == _second(written_modified)
