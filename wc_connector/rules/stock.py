"""Stock to the store: which quantity each linked store item shows, and which items to send.

Once its stock is started, Odoo is the stock master. A new store's stock
flow is off (``rules.directions``): a store just connected has products that
Odoo created on first sight with nothing on hand, and pushing that would sell
the whole shop out. The shop starts it, either from the store's own numbers
(:func:`starting_quantities`: they become Odoo's on-hand quantity) or from
Odoo's. From then on the store's own sales lower its stock too; their orders
reach Odoo as deliveries and the next push sets the store to Odoo's number, so
the two never fight: whatever the store holds, Odoo's number is written over it.

What the real store does with these writes (``reverse/1_stock``) shapes the
decisions here:

* every batch item fires ``product.updated`` and bumps ``date_modified`` even
  when nothing changed, so only quantities that differ from the last one
  pushed (or, in a reconcile, from what the store shows) are sent;
* ``stock_quantity`` alone on a product that does not manage stock is
  silently ignored; with ``manage_stock: true`` the store turns management
  on. Every item therefore carries ``manage_stock: true``: a product Odoo
  stocks is stock-managed in the store (README, "Stock to the store");
* a variation in ``products/batch`` fails (404): variations go to
  ``products/<parent>/variations/batch``, one endpoint per parent;
* batch items skip validation (``"abc"`` becomes 0, ``7.8`` becomes 7): the
  quantity sent is always a whole number computed here;
* at most 100 items per batch call.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from ..client import MAX_BATCH_ITEMS

#: Which Odoo quantity the store shows.
FREE = "free"  # on hand minus reserved, now
FORECAST = "forecast"  # what will be left once every planned move is done
BASES = (FREE, FORECAST)


@dataclass(frozen=True)
class StockItem:
    """One linked store item and what Odoo knows about it.

    ``variation_id`` is 0 for a product of its own; ``pushed`` is the last
    quantity written to the store (``None``: never), ``store_quantity`` what
    the store showed when it was last read (a reconcile), ``None`` when not
    read or not managed there.
    """

    product_id: int
    variation_id: int = 0
    quantity: int = 0
    pushed: int | None = None
    store_quantity: int | None = None
    store_managed: bool = True


@dataclass(frozen=True)
class StockBatch:
    """One batch call: its endpoint (``products`` or ``products/<parent>/variations``) and ≤ 100 updates."""

    endpoint: str
    updates: tuple

    @property
    def keys(self):
        """``(product_id, variation_id)`` of each update, in order."""
        parent = _parent_of(self.endpoint)
        return tuple((parent, item["id"]) if parent else (item["id"], 0) for item in self.updates)


def store_quantity(odoo_quantity, buffer=0):
    """The whole number the store shows for Odoo's quantity, less the safety buffer, never below 0.

    Fractions round down (half a unit cannot be sold); a negative forecast
    shows as 0 rather than as a backorder count the shop never chose.
    """
    value = Decimal(str(odoo_quantity or 0)) - Decimal(str(buffer or 0))
    return max(0, math.floor(value))


def changed(items):
    """The items whose quantity differs from the last one pushed (never pushed: changed)."""
    return [item for item in items if item.pushed is None or item.pushed != item.quantity]


def differing(items):
    """Reconcile: the items whose store stock differs from Odoo's.

    An item the store does not manage differs once Odoo has pushed it (a hand
    edit turned management off); one Odoo never pushed is left alone: the
    reconcile does not take over an item the shop keeps unmanaged (its
    first move in Odoo, or *Start stock from Odoo's quantities*, does).
    """
    return [
        item for item in items
        if (not item.store_managed and item.pushed is not None)
        or (item.store_managed and item.store_quantity != item.quantity)
    ]


def shown_stock(record):
    """``(stock_quantity, managed)`` of a store product or variation payload, as the store shows it.

    ``managed`` only when ``manage_stock`` is ``true``: ``false`` and
    ``null`` mean the store keeps no count, and a variation's ``"parent"``
    means it shares its parent's count, which is no count of its own.
    """
    return record.get("stock_quantity"), record.get("manage_stock") is True


def starting_quantity(quantity, managed):
    """The on-hand quantity Odoo takes from what the store shows, or ``None``: nothing to take.

    Only a managed item's number is taken; a missing or non-numeric number is
    not a count. Fractions round down (the store counts whole units) and a
    negative number (orders taken on backorder) starts at 0: Odoo has
    nothing of it on hand.
    """
    if not managed or isinstance(quantity, bool) or not isinstance(quantity, (int, float, Decimal, str)):
        return None
    try:
        value = Decimal(str(quantity))
    except ArithmeticError:
        return None
    if not value.is_finite():
        return None
    return max(0, math.floor(value))


def starting_on_hand(store_count, to_deliver):
    """Odoo's on hand that makes Odoo show the store's count: the count plus what Odoo still has to deliver.

    The store took its orders off its count when they were placed; Odoo
    takes them off when their deliveries are done. Deliveries of store
    orders still open in Odoo are therefore still on Odoo's shelves: once
    reserved, the free quantity equals the store's count, and validating
    them does not take the same units off twice.
    """
    return store_count + max(0, math.ceil(Decimal(str(to_deliver or 0))))


def starting_quantities(shown, keys):
    """``{key: quantity}`` Odoo takes for the linked items ``keys`` from ``shown`` (``{key: (qty, managed)}``).

    Items the store does not show, or does not count, are left out: Odoo
    keeps its own quantity of them.
    """
    taken = {}
    for key in keys:
        if key not in shown:
            continue
        quantity = starting_quantity(*shown[key])
        if quantity is not None:
            taken[key] = quantity
    return taken


def plan_batches(items, size=MAX_BATCH_ITEMS):
    """The batch calls that write ``items``' quantities: ``products`` first, then one endpoint per parent.

    Each call holds at most ``size`` (≤ 100) updates; items keep their order
    within an endpoint.
    """
    size = max(1, min(size, MAX_BATCH_ITEMS))
    groups = {}
    for item in items:
        endpoint = f"products/{item.product_id}/variations" if item.variation_id else "products"
        own_id = item.variation_id or item.product_id
        groups.setdefault(endpoint, []).append(
            {"id": own_id, "manage_stock": True, "stock_quantity": int(item.quantity)}
        )
    ordered = sorted(groups, key=lambda endpoint: (endpoint != "products", endpoint))
    return [
        StockBatch(endpoint, tuple(groups[endpoint][start:start + size]))
        for endpoint in ordered
        for start in range(0, len(groups[endpoint]), size)
    ]


def _parent_of(endpoint):
    parts = endpoint.strip("/").split("/")
    return int(parts[1]) if len(parts) == 3 and parts[2] == "variations" else 0
