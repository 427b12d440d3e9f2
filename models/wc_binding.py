"""Store id ↔ Odoo record: the one lookup of every link kind (OCA connector's "binder").

A link kind names three fields — the store, the store's id, and the Odoo
record it points at — and gets two batched lookups: by store ids
(:meth:`_wc_bound`) and by Odoo records (:meth:`_wc_bound_to`). Each is one
query however many ids it is given; nobody writes these domains by hand.
The links themselves stay unique per (store, store id) by their SQL
constraint (the exactly-once guarantee); this file only finds them.

Kinds: ``wc.customer.link`` (customers ↔ partners), ``wc.product.link``
(products and variations ↔ variants), ``wc.category.link`` (categories),
``wc.tax.link`` (tax rates ↔ taxes) and ``sale.order`` itself (orders, the
store's order id is on the sale order).
"""

from odoo import api, models


class WcBinding(models.AbstractModel):
    _name = "wc.binding"
    _description = "WooCommerce Store ID Lookup"

    #: The field holding the store.
    _wc_store_field = "store_id"
    #: The field holding the store's id of the record.
    _wc_id_field = None
    #: The field holding the Odoo record the link points at; ``None`` when the model is the record itself.
    _wc_record_field = None

    @api.model
    def _wc_bound(self, store, wc_ids, fields=None):
        """The links of ``store`` (a ``wc.store``) for the store ids ``wc_ids``, in one query.

        ``fields``: read only those (``search_fetch``), for a lookup that needs a few columns of many links.
        """
        domain = [(self._wc_store_field, "=", store.id), (self._wc_id_field, "in", list(wc_ids))]
        return self.search_fetch(domain, fields) if fields else self.search(domain)

    @api.model
    def _wc_bound_to(self, store, records, fields=None):
        """The links of ``store`` that point at ``records`` (Odoo records of the linked model), in one query;
        ``fields`` as for :meth:`_wc_bound`."""
        domain = [(self._wc_store_field, "=", store.id), (self._wc_record_field or "id", "in", records.ids)]
        return self.search_fetch(domain, fields) if fields else self.search(domain)
