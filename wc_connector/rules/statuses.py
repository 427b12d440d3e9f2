"""Store order status → what the sale order becomes, and how it gets there from where it is.

The workflow is data: :data:`DEFAULT_STATUS_TARGETS` says what each store
status means in Odoo, a store can override any status (its own custom
statuses too), and the store setting "orders arrive as quotation / as
invoice" (seed A.2) turns every order that would stay a quotation or a
confirmed order into an invoice. :func:`status_action` answers "what should
this order be"; :func:`transition` answers "which steps take the sale order
there from its current state" — confirm, deliver, invoice, credit, cancel —
and refuses, with a message for the chatter, what would touch posted
accounting (an invoiced order is never cancelled or sent back to quotation
by a store status).

Only a status that means "delivered" (``completed`` by default, or whatever
the store maps to :data:`DELIVERED`) validates the delivery, and only when
the store lets the import validate deliveries: an order that arrives as
invoice, or a status mapped to "invoiced" only, leaves it to the warehouse.
"""

from dataclasses import dataclass, field

#: What a store status makes of the sale order.
QUOTATION = "quotation"
SALE = "sale"
INVOICE = "invoice"
#: Delivered and invoiced: the store shipped the order (WooCommerce's "completed").
DELIVERED = "delivered"
CANCEL = "cancel"
CREDIT_NOTE = "credit_note"
TARGETS = (QUOTATION, SALE, INVOICE, DELIVERED, CANCEL, CREDIT_NOTE)

#: The issue's defaults. ``checkout-draft`` is a block-checkout cart not yet placed; ``trash`` a trashed order.
DEFAULT_STATUS_TARGETS = {
    "pending": QUOTATION,
    "on-hold": QUOTATION,
    "checkout-draft": QUOTATION,
    "processing": SALE,
    "completed": DELIVERED,
    "cancelled": CANCEL,
    "failed": CANCEL,
    "trash": CANCEL,
    "refunded": CREDIT_NOTE,
}

#: The store setting "orders arrive as …".
ARRIVE_AS_QUOTATION = "quotation"
ARRIVE_AS_INVOICE = "invoice"

#: Steps the Odoo layer performs, in the order given.
STEP_RESET_TO_DRAFT = "reset_to_draft"
STEP_CONFIRM = "confirm"
#: Validate the order's open transfers (the store shipped it).
STEP_DELIVER = "deliver"
#: Create the invoice and post it.
STEP_INVOICE = "invoice"
STEP_CANCEL = "cancel"
#: Credit the store's refunds (credit notes from the refund records).
STEP_CREDIT_NOTE = "credit_note"

#: Sale order states (``sale.order.state``), plus ``None`` for an order not in Odoo yet.
DRAFT_STATES = (None, "draft", "sent")


@dataclass(frozen=True, kw_only=True)
class StatusSettings:
    """A store's status workflow: per-status overrides, "orders arrive as quotation / as invoice", and
    whether the import validates the delivery of a delivered order (else the warehouse does)."""

    overrides: dict = field(default_factory=dict)
    arrive_as: str = ARRIVE_AS_QUOTATION
    validate_delivery: bool = True

    def __post_init__(self):
        if self.arrive_as not in (ARRIVE_AS_QUOTATION, ARRIVE_AS_INVOICE):
            raise ValueError(f"orders arrive as 'quotation' or 'invoice', not {self.arrive_as!r}")
        for status, target in self.overrides.items():
            if target not in TARGETS:
                raise ValueError(f"store status {status!r} cannot become {target!r}; choose one of {', '.join(TARGETS)}")


@dataclass(frozen=True, kw_only=True)
class Action:
    """What the sale order of an order with store ``status`` should become (``target``).

    ``delivers``: the import validates the order's delivery (a delivered
    status, and the store lets the import validate deliveries).
    ``note`` explains a choice the shop owner should see (an unknown status).
    """

    status: str
    target: str
    delivers: bool = False
    note: str = ""

    @property
    def confirms(self):
        """Whether the sale order ends confirmed."""
        return self.target in (SALE, INVOICE, DELIVERED, CREDIT_NOTE)

    @property
    def invoices(self):
        """Whether the order ends invoiced with a posted invoice."""
        return self.target in (INVOICE, DELIVERED, CREDIT_NOTE)


@dataclass(frozen=True, kw_only=True)
class OdooOrderState:
    """Where the sale order is: ``state`` (``None`` when new), whether an invoice / a credit note is posted,
    whether its delivery is done (no open transfer left)."""

    state: str | None = None
    invoiced: bool = False
    credited: bool = False
    delivered: bool = False


@dataclass(frozen=True, kw_only=True)
class Transition:
    """The steps to apply, in order; ``refused`` says why a wanted change is not applied (for the chatter)."""

    steps: tuple = ()
    refused: str = ""

    @property
    def changes_nothing(self):
        """True when there is nothing to do."""
        return not self.steps


def status_action(status, settings=None):
    """What the sale order of a store order with ``status`` should become under ``settings``.

    Precedence: the store's override for the status, then "orders arrive as
    invoice" (quotations and confirmed orders become invoices), then the
    defaults. An unknown status (a plugin's custom one) keeps the order a
    quotation and says so, rather than guessing.
    """
    settings = settings or StatusSettings()
    status = (status or "").strip().lower()
    if status.startswith("wc-"):
        status = status[3:]
    if status in settings.overrides:
        target = settings.overrides[status]
        return Action(status=status, target=target, delivers=target == DELIVERED and settings.validate_delivery)
    target = DEFAULT_STATUS_TARGETS.get(status)
    if target is None:
        return Action(
            status=status,
            target=QUOTATION,
            note=f"store status '{status}' has no mapping: the order is kept as a quotation; map it on the store form",
        )
    if settings.arrive_as == ARRIVE_AS_INVOICE and target in (QUOTATION, SALE):
        target = INVOICE
    return Action(status=status, target=target, delivers=target == DELIVERED and settings.validate_delivery)


def transition(action, current=None):
    """The steps that take a sale order from ``current`` (:class:`OdooOrderState`) to ``action.target``.

    Never goes back over posted accounting: an invoiced order is not
    cancelled, reset or "un-invoiced" because the store's status moved; that
    is refused with a message (the store's refunds become credit notes
    instead). A confirmed order whose store status goes back to a
    quotation status stays confirmed, also with a message.
    """
    current = current or OdooOrderState()
    target = action.target
    if current.credited:
        if target == CREDIT_NOTE:
            return Transition()
        return Transition(refused=f"the order is already credited; store status '{action.status}' changes nothing")
    deliver = (STEP_DELIVER,) if action.delivers and not current.delivered else ()
    if current.invoiced:
        if target == CREDIT_NOTE:
            return Transition(steps=(STEP_CREDIT_NOTE,))
        if target in (INVOICE, DELIVERED):
            # An order invoiced on arrival is delivered when the store ships it.
            return Transition(steps=deliver)
        return Transition(
            refused=f"the order is invoiced; store status '{action.status}' is not applied "
            "(refund it in the store to get a credit note)"
        )
    steps = []
    state = current.state
    if state == "cancel":
        if target == CANCEL:
            return Transition()
        steps.append(STEP_RESET_TO_DRAFT)
        state = "draft"
    if state == "sale" and target == QUOTATION:
        return Transition(
            refused=f"the order is confirmed; store status '{action.status}' does not send it back to quotation"
        )
    if target == CANCEL:
        return Transition(steps=(STEP_CANCEL,))
    if action.confirms and state in DRAFT_STATES:
        steps.append(STEP_CONFIRM)
    # Delivered before invoiced: a product invoiced on delivery has nothing to invoice before.
    steps += deliver
    if action.invoices:
        steps.append(STEP_INVOICE)
    if target == CREDIT_NOTE:
        steps.append(STEP_CREDIT_NOTE)
    return Transition(steps=tuple(steps))
