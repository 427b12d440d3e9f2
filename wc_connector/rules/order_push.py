"""Odoo → store for orders: what to write to a store order so it shows Odoo's state.

The decision is made from *states*, not from the events that led to them:
the job that pushes an order reads the order's current Odoo state and the
store's current record, and this module returns the smallest write that
takes the store order there. So several Odoo changes in quick succession
end as one write with the final state, a retried write sends nothing that
is already in the store, and a field that did not change is never sent
(the real store recalculates totals and fires a webhook on every write).

- :func:`target_status` — which store status the order's Odoo state maps
  to (a per-store table, Odoo event → store status; :data:`DEFAULT_EVENT_STATUSES`),
  and whether to mark it paid (``set_paid``).
- :func:`customer_changes` — the reverse customer-change rules of the
  second seed (individual in the store or not, corporate, contact person).
- :func:`plan_order_push` — the whole write: status, ``set_paid``, the
  shipment-tracking meta, the customer sections, the echo token.
- :func:`total_moved` — did the store's total move after our write.
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from . import echo

#: Odoo events a store status can be mapped to.
DELIVERED = "delivered"   # every delivery of the sale order validated
PAID = "paid"             # its invoices paid (payment registered in Odoo)
CANCELLED = "cancelled"   # the sale order cancelled
EVENTS = (CANCELLED, DELIVERED, PAID)  # strongest first

#: What a shop expects: delivered → completed, paid → processing, cancelled → cancelled.
#: A shop that completes on payment maps paid → completed and delivered → nothing.
DEFAULT_EVENT_STATUSES = {DELIVERED: "completed", PAID: "processing", CANCELLED: "cancelled"}

#: Store statuses an Odoo event may send.
PUSHABLE_STATUSES = ("processing", "completed", "cancelled", "on-hold")

#: How far along an order is; a push never moves a store order backwards.
_RANK = {"pending": 0, "failed": 0, "checkout-draft": 0, "auto-draft": 0, "on-hold": 1, "processing": 2,
         "completed": 3}
#: Where the store order's life has ended: Odoo does not revive it.
FINAL_STATUSES = ("cancelled", "refunded", "trash")
#: Store statuses in which an order still waits for its payment.
UNPAID_STATUSES = ("pending", "on-hold", "failed")

#: The meta key the WooCommerce Shipment Tracking plugin (and compatible ones) read.
TRACKING_META_KEY = "_wc_shipment_tracking_items"

#: What a push may be about: the order's status (and payment, tracking) and its customer.
SCOPE_STATUS = "status"
SCOPE_CUSTOMER = "customer"


@dataclass(frozen=True)
class Tracking:
    """One shipment: carrier name, tracking reference, day shipped (``YYYY-MM-DD``, may be empty)."""

    carrier: str
    number: str
    shipped_on: str = ""


@dataclass(frozen=True)
class OrderFacts:
    """The Odoo state of one store order's sale order."""

    cancelled: bool = False
    delivered: bool = False
    paid: bool = False
    tracking: tuple = ()  # Tracking


@dataclass(frozen=True)
class CustomerFacts:
    """Who the Odoo order's customer is now, as the store order must show it.

    ``name``/``phone``/``email`` are the person's (the contact person for a
    company; ``name`` empty when the customer is a company without one).
    ``company`` is the company name for a corporate customer. ``store_customer_id``
    is the customer's account in this store (``0``: none).
    ``shipping_name``/``shipping_phone`` are the delivery address's.
    """

    name: str = ""
    phone: str = ""
    email: str = ""
    company: str = ""
    corporate: bool = False
    store_customer_id: int = 0
    shipping_name: str = ""
    shipping_phone: str = ""


@dataclass(frozen=True)
class OrderPush:
    """The write for one store order: ``body`` (empty: nothing to send), tracking notes, problems."""

    body: dict = field(default_factory=dict)
    notes: tuple = ()      # Tracking to announce in a customer note
    problems: tuple = ()   # plain sentences; a problem sends nothing for its part

    @property
    def token(self):
        return echo.token_of(self.body)


def target_status(facts, statuses, store_status):
    """``(status or None, set_paid)``: what the store order's status should become.

    ``statuses`` is the store's table ``{event: store status or ""}``. A
    cancelled order only ever maps to its cancelled status; otherwise the
    furthest status among the events that happened is the target. The
    status is only sent when it moves the order forward (a store order
    already completed is not set back to processing by a later payment, a
    cancelled or refunded one is left alone); ``set_paid`` is asked when
    Odoo has the payment and the store order still waits for one.
    """
    if store_status in FINAL_STATUSES:
        return None, False
    if facts.cancelled:
        wanted = statuses.get(CANCELLED) or None
        return (wanted if wanted and wanted != store_status else None), False
    candidates = [statuses.get(event) for event in (DELIVERED, PAID) if getattr(facts, event) and statuses.get(event)]
    wanted = max(candidates, key=lambda status: _RANK.get(status, 0), default=None)
    if wanted and (wanted == store_status or _RANK.get(wanted, 0) <= _RANK.get(store_status, 0)):
        wanted = None
    set_paid = facts.paid and store_status in UNPAID_STATUSES
    return wanted, set_paid


def tracking_meta(trackings):
    """The Shipment Tracking plugin's list for ``trackings`` (stable ids, so an unchanged list is equal)."""
    return [
        {
            "tracking_provider": "",
            "custom_tracking_provider": tracking.carrier,
            "custom_tracking_link": "",
            "tracking_number": tracking.number,
            "date_shipped": tracking.shipped_on,
            "tracking_id": hashlib.md5(f"{tracking.carrier}|{tracking.number}".encode()).hexdigest(),  # noqa: S324 - an id, not security
        }
        for tracking in trackings
    ]


def meta_value(record, key):
    """The value of meta ``key`` in a store record, or ``None``."""
    for entry in (record or {}).get("meta_data") or ():
        if isinstance(entry, dict) and entry.get("key") == key:
            return entry.get("value")
    return None


def split_name(name, first, last):
    """``(first, last)`` for ``name``, keeping the store's split when it already reads the same."""
    name = " ".join((name or "").split())
    if " ".join(part for part in (first, last) if part) == name:
        return first, last
    head, _, tail = name.rpartition(" ")
    return (head, tail) if head else (name, "")


def customer_changes(customer, store_order):
    """``(changes, problem)``: the store order's ``customer_id``/``billing``/``shipping`` keys that differ.

    The reverse rules of the second seed:

    - an individual **with an account in this store**: ``customer_id``
      becomes that account; billing and shipping name and phone follow;
    - an individual **without one**: the store must create no customer, so
      the order becomes a guest order (``customer_id`` 0) — it no longer
      belongs to the previous account — and names and phones follow all the
      same;
    - a **corporate** customer: the company name must be filled (else a
      problem and nothing is sent); the billing company follows, and the
      contact person's name, phone and email;
    - only what actually differs is sent (partial billing/shipping objects:
      the store updates only the keys it gets).

    The billing email follows the person too, so the store order keeps
    naming the same customer Odoo has (the store creates no customer from
    it, ``reverse/3_customer``).
    """
    if customer.corporate and not customer.company.strip():
        return {}, "company name missing"
    changes = {}
    if int(store_order.get("customer_id") or 0) != customer.store_customer_id:
        changes["customer_id"] = customer.store_customer_id
    billing_now = store_order.get("billing") or {}
    shipping_now = store_order.get("shipping") or {}
    billing, shipping = {}, {}
    if customer.name:
        first, last = split_name(customer.name, billing_now.get("first_name", ""), billing_now.get("last_name", ""))
        billing.update(first_name=first, last_name=last)
    if customer.phone or customer.name:
        billing["phone"] = customer.phone
    if customer.email:
        billing["email"] = customer.email
    billing["company"] = customer.company if customer.corporate else ""
    shipping_name = customer.shipping_name or customer.name
    if shipping_name:
        first, last = split_name(shipping_name, shipping_now.get("first_name", ""), shipping_now.get("last_name", ""))
        shipping.update(first_name=first, last_name=last)
        shipping["phone"] = customer.shipping_phone or customer.phone
    for part, wanted, now in (("billing", billing, billing_now), ("shipping", shipping, shipping_now)):
        differ = {key: value for key, value in wanted.items() if (now.get(key) or "") != (value or "")}
        if differ:
            changes[part] = differ
    return changes, None


def plan_order_push(store_order, statuses, scopes, facts=None, customer=None, token=None):
    """The write that takes ``store_order`` (its current store record) to Odoo's state.

    ``scopes`` says what Odoo changed (:data:`SCOPE_STATUS`, :data:`SCOPE_CUSTOMER`);
    only those parts are compared and sent. ``token`` (default: a new one)
    is added to a non-empty body so that the store's echo of this write is
    recognised (:mod:`.echo`).
    """
    body, notes, problems = {}, (), []
    if SCOPE_STATUS in scopes and facts is not None:
        status, set_paid = target_status(facts, statuses, store_order.get("status"))
        if status:
            body["status"] = status
        if set_paid:
            body["set_paid"] = True
        if facts.tracking:
            wanted = tracking_meta(facts.tracking)
            now = meta_value(store_order, TRACKING_META_KEY) or []
            if wanted != now:
                body["meta_data"] = [{"key": TRACKING_META_KEY, "value": wanted}]
                known = {item.get("tracking_number") for item in now if isinstance(item, dict)}
                notes = tuple(tracking for tracking in facts.tracking if tracking.number not in known)
    if SCOPE_CUSTOMER in scopes and customer is not None:
        changes, problem = customer_changes(customer, store_order)
        if problem:
            problems.append(problem)
        body.update(changes)
    if body:
        body.setdefault("meta_data", []).append(echo.token_meta(token or echo.new_token()))
    return OrderPush(body=body, notes=notes, problems=tuple(problems))


def store_changed_since(store_order, last_synced_at):
    """When the store order changed after ``last_synced_at`` (what Odoo last saw or wrote), else ``None``."""
    moment = echo.modified_at(store_order)
    if moment is None or last_synced_at is None:
        return None
    return moment if moment > last_synced_at.replace(microsecond=0) else None


def total_moved(before, after):
    """``(before, after)`` as Decimals when the store's total changed with our write, else ``None``.

    The real store recalculates taxes and totals on every write that
    carries billing or shipping (a shipping country change moves the tax).
    """
    try:
        old, new = Decimal(str(before)), Decimal(str(after))
    except (InvalidOperation, ValueError):
        return None
    return (old, new) if old != new else None
