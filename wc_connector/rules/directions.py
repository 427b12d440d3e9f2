"""Who is master of what: per kind of data, which way changes flow and who wins a conflict.

One ERP may be connected to several stores (seed A.7); for each kind of
data — contacts, orders, stock, products, balances — the store says which
way changes flow (:data:`FLOWS`) and, when they flow both ways and both
sides changed the same record since the last sync, which side wins
(:data:`CONFLICT_RULES`). The importers ask :func:`allows_import`, the
pushers :func:`allows_export`, and both ask :func:`winner` when a record
changed on both sides. A direction that is off sends (or takes) nothing.
"""

from dataclasses import dataclass

#: Kinds of data.
CONTACTS = "contacts"
ORDERS = "orders"
STOCK = "stock"
PRODUCTS = "products"
BALANCES = "balances"
KINDS = (CONTACTS, ORDERS, STOCK, PRODUCTS, BALANCES)

#: Which way changes flow.
OFF = "off"
STORE_TO_ODOO = "store_to_odoo"
ODOO_TO_STORE = "odoo_to_store"
BOTH = "both"
FLOWS = (OFF, STORE_TO_ODOO, ODOO_TO_STORE, BOTH)

#: Who wins when both sides changed the same record since the last sync.
STORE_WINS = "store"
ODOO_WINS = "odoo"
NEWEST_WINS = "newest"
CONFLICT_RULES = (STORE_WINS, ODOO_WINS, NEWEST_WINS)

#: Sides, as :func:`winner` names them.
STORE = "store"
ODOO = "odoo"


@dataclass(frozen=True)
class Direction:
    """How one kind of data flows for one store."""

    flow: str = BOTH
    conflict: str = NEWEST_WINS

    def __post_init__(self):
        if self.flow not in FLOWS:
            raise ValueError(f"a flow is one of {', '.join(FLOWS)}, not {self.flow!r}")
        if self.conflict not in CONFLICT_RULES:
            raise ValueError(f"a conflict rule is one of {', '.join(CONFLICT_RULES)}, not {self.conflict!r}")


#: What a shop expects out of the box: orders are born in the store and their
#: statuses pushed back from Odoo; contacts flow both ways with the newest
#: change winning; the catalog comes from the store and goes back only for
#: products published from Odoo; balances stay in Odoo until a shop chooses to
#: show them in its store. Stock is off until the shop starts it (from the
#: store's numbers or from Odoo's; then Odoo → store): a store just connected
#: has products Odoo created with nothing on hand, and sending that would show
#: the whole shop sold out.
DEFAULT_DIRECTIONS = {
    CONTACTS: Direction(BOTH, NEWEST_WINS),
    ORDERS: Direction(BOTH, NEWEST_WINS),
    STOCK: Direction(OFF, ODOO_WINS),
    PRODUCTS: Direction(BOTH, NEWEST_WINS),
    BALANCES: Direction(OFF, ODOO_WINS),
}


def allows_import(direction):
    """Whether store changes of this kind are applied in Odoo."""
    return direction.flow in (STORE_TO_ODOO, BOTH)


def allows_export(direction):
    """Whether Odoo changes of this kind are written to the store."""
    return direction.flow in (ODOO_TO_STORE, BOTH)


def winner(direction, odoo_changed_at, store_changed_at):
    """Which side's state stands when both may have changed the same record since the last sync.

    ``odoo_changed_at`` / ``store_changed_at`` are aware datetimes of each
    side's last change not yet seen by the other (``None``: that side did
    not change). One-way flows always give the master side; with both ways,
    the conflict rule decides, and "newest wins" keeps the store's state on a
    tie, so that an older (or equally old) Odoo state never overwrites a
    store state.
    """
    if direction.flow == STORE_TO_ODOO:
        return STORE
    if direction.flow == ODOO_TO_STORE:
        return ODOO
    if odoo_changed_at is None:
        return STORE
    if store_changed_at is None:
        return ODOO
    if direction.conflict == STORE_WINS:
        return STORE
    if direction.conflict == ODOO_WINS:
        return ODOO
    return ODOO if odoo_changed_at > store_changed_at else STORE
