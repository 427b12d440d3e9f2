"""Reconciliation: does Odoo hold every order of a period as the store has it, to the cent?

Both sides are reduced to the same plain facts per order — the store's from
its order objects (:func:`store_facts`), Odoo's from grouped queries over sale
orders, invoices, credit notes and payments (the Odoo layer builds
:class:`OdooFacts`) — and the functions here compare them:

* :func:`summarize` adds facts up per store status (counts and sums of
  revenue, tax, shipping, refunds and payments), the same way for both sides,
  so the two columns of the report are comparable line by line;
* :func:`differences` lists, order by order, what does not match, each with
  one kind of :data:`KINDS`.

What Odoo is expected to hold follows the import's own rules: a payment and
credit notes exist only once the order is invoiced (the import registers
payments and credits refunds on a posted invoice), so an order the store
leaves "processing" is not a payment difference because Odoo has not been
paid for it yet.
"""

from dataclasses import dataclass, field
from decimal import Decimal

_ZERO = Decimal(0)

MISSING_IN_ODOO = "missing_in_odoo"
MISSING_IN_STORE = "missing_in_store"
TOTAL = "total"
STATUS = "status"
PAYMENT = "payment"
REFUND = "refund"

#: Every kind of difference, in the order the report lists them.
KINDS = (MISSING_IN_ODOO, MISSING_IN_STORE, TOTAL, STATUS, PAYMENT, REFUND)

#: The sums of a summary row, in the order the report shows them.
MEASURES = ("revenue", "tax", "shipping", "refunds", "payments")

#: Statuses whose order the store has not been paid for, whatever ``date_paid`` says.
UNPAID_STATUSES = frozenset({"pending", "failed", "cancelled", "checkout-draft"})


@dataclass(frozen=True)
class StoreFacts:
    """One store order as the reconciliation sees it (money in ``Decimal``)."""

    wc_id: int
    number: str
    status: str
    total: Decimal
    tax: Decimal = _ZERO
    shipping: Decimal = _ZERO
    refunds: Decimal = _ZERO
    paid: Decimal = _ZERO


@dataclass(frozen=True)
class OdooFacts:
    """One sale order of a store as the reconciliation sees it.

    ``status`` is the store status the import last applied (``wc_status``);
    ``known_difference`` the cents the import itself recorded as the store's
    own rounding (``wc_total_difference``), which is no new difference;
    ``invoiced`` the posted invoices, ``refunds`` the posted credit notes and
    ``paid`` the payments received for the order.
    """

    wc_id: int
    sale_id: int
    name: str
    status: str
    total: Decimal
    tax: Decimal = _ZERO
    shipping: Decimal = _ZERO
    invoiced: Decimal = _ZERO
    refunds: Decimal = _ZERO
    paid: Decimal = _ZERO
    known_difference: Decimal = _ZERO


@dataclass(frozen=True)
class SummaryRow:
    """One status of the period: the store's count and sums beside Odoo's.

    ``expected`` holds the store's payments and refunds of the orders Odoo
    has invoiced — what Odoo should have registered, since the import pays
    and credits on the invoice; a paid order still "processing" is no
    mismatch for lacking an Odoo payment.
    """

    status: str
    store_count: int
    odoo_count: int
    store: dict
    odoo: dict
    expected: dict = field(default_factory=dict)

    @property
    def matches(self):
        """True when the count, revenue, tax, shipping and the expected payments and refunds are the same."""
        if self.store_count != self.odoo_count:
            return False
        if any(self.store[m] != self.odoo[m] for m in ("revenue", "tax", "shipping")):
            return False
        return all(self.expected.get(m, self.store[m]) == self.odoo[m] for m in ("refunds", "payments"))


@dataclass(frozen=True)
class Difference:
    """One order that does not match: ``kind`` (one of :data:`KINDS`), both sides' values and the gap.

    ``store_value``/``odoo_value`` are amounts (``Decimal``) or statuses
    (text), ``None`` for the side that lacks the order; ``amount`` is Odoo's
    amount minus the store's (the whole total, negative, for an order missing
    in Odoo; ``None`` for a status).
    """

    kind: str
    wc_id: int
    number: str
    sale_id: int | None = None
    store_value: object = None
    odoo_value: object = None
    amount: Decimal | None = None


def store_facts(order):
    """The facts of a parsed store :class:`~..payloads.orders.Order`.

    Shipping counts with its tax (what the customer paid for it); an order is
    paid in full once the store recorded a payment date, unless its status
    says the money never came (pending, failed, cancelled).
    """
    paid = order.total if order.date_paid is not None and order.status not in UNPAID_STATUSES else _ZERO
    return StoreFacts(
        wc_id=order.id,
        number=order.number or str(order.id),
        status=order.status,
        total=order.total,
        tax=order.total_tax,
        shipping=order.shipping_total + order.shipping_tax,
        refunds=order.refunded_amount,
        paid=paid,
    )


def summarize(store, odoo):
    """Count and sum both sides per store status; returns :class:`SummaryRow` s sorted by status.

    ``store``: :class:`StoreFacts`; ``odoo``: :class:`OdooFacts` (grouped by
    the status the import applied). A status only one side has gets zeros
    on the other.
    """
    invoiced = {fact.wc_id for fact in odoo if fact.invoiced}
    sides = ({}, {})
    expected = {}
    for side, facts in zip(sides, (store, odoo)):
        for fact in facts:
            row = side.setdefault(fact.status, _empty())
            row["count"] += 1
            row["revenue"] += fact.total
            row["tax"] += fact.tax
            row["shipping"] += fact.shipping
            row["refunds"] += fact.refunds
            row["payments"] += fact.paid
    for fact in store:
        row = expected.setdefault(fact.status, {"refunds": _ZERO, "payments": _ZERO})
        if fact.wc_id in invoiced:
            row["refunds"] += fact.refunds
            row["payments"] += fact.paid
    rows = []
    for status in sorted(set(sides[0]) | set(sides[1])):
        left, right = sides[0].get(status, _empty()), sides[1].get(status, _empty())
        rows.append(SummaryRow(
            status=status,
            store_count=left["count"],
            odoo_count=right["count"],
            store={measure: left[measure] for measure in MEASURES},
            odoo={measure: right[measure] for measure in MEASURES},
            expected=expected.get(status, {"refunds": _ZERO, "payments": _ZERO}),
        ))
    return rows


def _empty():
    return {"count": 0, **{measure: _ZERO for measure in MEASURES}}


def differences(store, odoo):
    """Every order that differs between ``store`` and ``odoo`` (facts of one period), by kind then order id.

    * missing in Odoo: the store lists it, Odoo has no sale order;
    * missing in the store: a sale order of the store the store no longer lists;
    * total: Odoo's total is not the store's (beyond the import's recorded rounding);
    * status: the store's status is not the one Odoo applied (an update never arrived);
    * payment: Odoo invoiced the order but its payments are not what the store was paid;
    * refund: Odoo invoiced the order but its credit notes are not the store's refunds.
    """
    by_store = {fact.wc_id: fact for fact in store}
    by_odoo = {fact.wc_id: fact for fact in odoo}
    found = []
    for wc_id in sorted(set(by_store) - set(by_odoo)):
        fact = by_store[wc_id]
        found.append(Difference(MISSING_IN_ODOO, wc_id, fact.number, store_value=fact.total, amount=-fact.total))
    for wc_id in sorted(set(by_odoo) - set(by_store)):
        fact = by_odoo[wc_id]
        found.append(Difference(MISSING_IN_STORE, wc_id, fact.name, sale_id=fact.sale_id, odoo_value=fact.total,
                                amount=fact.total))
    for wc_id in sorted(set(by_store) & set(by_odoo)):
        found.extend(order_differences(by_store[wc_id], by_odoo[wc_id]))
    rank = {kind: index for index, kind in enumerate(KINDS)}
    return sorted(found, key=lambda difference: (rank[difference.kind], difference.wc_id))


def order_differences(store, odoo):
    """The differences of one order both sides hold (a list, empty when it matches)."""
    found = []

    def add(kind, store_value, odoo_value, amount):
        found.append(Difference(kind, store.wc_id, store.number, odoo.sale_id, store_value, odoo_value, amount))

    if odoo.total - store.total != odoo.known_difference:
        add(TOTAL, store.total, odoo.total, odoo.total - store.total)
    if store.status != odoo.status:
        add(STATUS, store.status, odoo.status, None)
    if odoo.invoiced:
        if odoo.paid != store.paid:
            add(PAYMENT, store.paid, odoo.paid, odoo.paid - store.paid)
        if odoo.refunds != store.refunds:
            add(REFUND, store.refunds, odoo.refunds, odoo.refunds - store.refunds)
    return found
