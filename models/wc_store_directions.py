"""Who is master of what, per store (seed A.7): one flow and one conflict rule per kind of data.

The fields only hold the shop's choice; :mod:`..wc_connector.rules.directions`
decides what it means. Importers call ``_wc_allows_import(kind)``, pushers
``_wc_allows_export(kind)`` and, when both sides changed a record,
``_wc_winner(kind, odoo_changed_at, store_changed_at)``.
"""

from odoo import api, fields, models

from ..wc_connector.rules import directions as rules

_FLOW_LABELS = [
    (rules.OFF, "Off"),
    (rules.STORE_TO_ODOO, "Store → Odoo"),
    (rules.ODOO_TO_STORE, "Odoo → store"),
    (rules.BOTH, "Both ways"),
]
_CONFLICT_LABELS = [
    (rules.NEWEST_WINS, "Newest change wins"),
    (rules.STORE_WINS, "Store wins"),
    (rules.ODOO_WINS, "Odoo wins"),
]


def _flow_field(kind, string, help_text):
    return fields.Selection(
        _FLOW_LABELS, string=string, required=True, default=rules.DEFAULT_DIRECTIONS[kind].flow, help=help_text)


def _conflict_field(kind, string):
    return fields.Selection(
        _CONFLICT_LABELS, string=string, required=True, default=rules.DEFAULT_DIRECTIONS[kind].conflict,
        help="When both Odoo and the store changed the same record since the last sync: whose change stands. "
        "The other side's change is noted in the record's chatter.",
    )


class WcStore(models.Model):
    _inherit = "wc.store"

    wc_contacts_flow = _flow_field(
        rules.CONTACTS, "Contacts", "Customers: store accounts and buyers into Odoo partners, and the customer of an "
        "Odoo order back to the store order.")
    wc_contacts_conflict = _conflict_field(rules.CONTACTS, "Contacts conflict")
    wc_orders_flow = _flow_field(
        rules.ORDERS, "Orders", "Orders are imported from the store; from Odoo, their status, payment and tracking go "
        "back to the store.")
    wc_orders_conflict = _conflict_field(rules.ORDERS, "Orders conflict")
    wc_stock_flow = _flow_field(
        rules.STOCK, "Stock", "Odoo → store: the free quantity of the store's warehouse is written to the store.")
    wc_stock_conflict = _conflict_field(rules.STOCK, "Stock conflict")
    wc_products_flow = _flow_field(
        rules.PRODUCTS, "Products and prices", "The catalog: store products into Odoo, products published from Odoo "
        "into the store.")
    wc_products_conflict = _conflict_field(rules.PRODUCTS, "Products conflict")
    wc_balances_flow = _flow_field(
        rules.BALANCES, "Balances", "Odoo → store: the customer's online-shop balance is written to the store "
        "customer.")
    wc_balances_conflict = _conflict_field(rules.BALANCES, "Balances conflict")
    wc_directions_summary = fields.Html(compute="_compute_wc_directions_summary", string="What flows")

    def _wc_direction(self, kind):
        """The store's :class:`~..wc_connector.rules.directions.Direction` for ``kind``."""
        self.ensure_one()
        return rules.Direction(self[f"wc_{kind}_flow"], self[f"wc_{kind}_conflict"])

    def _wc_allows_import(self, kind):
        """Whether store changes of ``kind`` are applied in Odoo."""
        return rules.allows_import(self._wc_direction(kind))

    def _wc_allows_export(self, kind):
        """Whether Odoo changes of ``kind`` are written to the store."""
        return rules.allows_export(self._wc_direction(kind))

    def _wc_winner(self, kind, odoo_changed_at, store_changed_at):
        """``"odoo"`` or ``"store"``: whose state of a record of ``kind`` stands."""
        return rules.winner(self._wc_direction(kind), odoo_changed_at, store_changed_at)

    @api.depends(*(f"wc_{kind}_flow" for kind in rules.KINDS))
    def _compute_wc_directions_summary(self):
        labels = {
            rules.CONTACTS: self.env._("Contacts"),
            rules.ORDERS: self.env._("Orders"),
            rules.STOCK: self.env._("Stock"),
            rules.PRODUCTS: self.env._("Products and prices"),
            rules.BALANCES: self.env._("Balances"),
        }
        for store in self:
            off_import = [labels[k] for k in rules.KINDS if not store._wc_allows_import(k)]
            off_export = [labels[k] for k in rules.KINDS if not store._wc_allows_export(k)]
            lines = []
            if off_import:
                lines.append(self.env._("Not taken from the store: %(kinds)s.", kinds=", ".join(off_import)))
            if off_export:
                lines.append(self.env._("Nothing is sent to the store for: %(kinds)s.", kinds=", ".join(off_export)))
            store.wc_directions_summary = "".join(f"<p>{line}</p>" for line in lines) or False
