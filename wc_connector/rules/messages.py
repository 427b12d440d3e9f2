"""Messages per sale step (seed A.6): which step a store order reached, and which messages are due.

The Odoo side hands in where the sale order is (:class:`OrderProgress`),
the store's switches per step (:class:`StepSetting`) and the steps already
dealt with for that order (sent or skipped — each is dealt with once, and the
database keeps it so). :func:`plan_messages` answers which steps to announce
now and which to skip for good, with the reason.

An order first seen far along (a completed, paid order) gets the news, not
the whole story: a step is *superseded* by a later one sent at the same time
(no "received" and "confirmed" mails next to the shipping notice; the invoice,
which shows the payment, stands for "paid").
"""

from dataclasses import dataclass

from ..payloads.dates import as_utc

#: The steps of a sale, in the order a customer lives them.
RECEIVED = "received"
CONFIRMED = "confirmed"
SHIPPED = "shipped"
INVOICED = "invoiced"
PAID = "paid"
REFUNDED = "refunded"
CANCELLED = "cancelled"
STEPS = (RECEIVED, CONFIRMED, SHIPPED, INVOICED, PAID, REFUNDED, CANCELLED)

#: Why a due step is not announced (it is never announced later either).
HISTORY = "history"
BEFORE_GO_LIVE = "before_go_live"
SWITCHED_OFF = "switched_off"
STORE_SENDS = "store_sends"
SUPERSEDED = "superseded"
SKIP_REASONS = (HISTORY, BEFORE_GO_LIVE, SWITCHED_OFF, STORE_SENDS, SUPERSEDED)

#: Which later steps, announced together with a step, make that step's message pointless.
SUPERSEDED_BY = {
    RECEIVED: frozenset(STEPS) - {RECEIVED},
    CONFIRMED: frozenset({SHIPPED, INVOICED, PAID, REFUNDED, CANCELLED}),
    SHIPPED: frozenset({REFUNDED, CANCELLED}),
    INVOICED: frozenset({REFUNDED, CANCELLED}),
    PAID: frozenset({INVOICED, REFUNDED, CANCELLED}),
    REFUNDED: frozenset(),
    CANCELLED: frozenset(),
}


@dataclass(frozen=True)
class OrderProgress:
    """Where a store order's sale order is in Odoo."""

    placed_at: object = None  # datetime the customer placed the order (aware, or naive UTC)
    confirmed: bool = False
    shipped: bool = False
    invoiced: bool = False
    paid: bool = False
    refunded: bool = False
    cancelled: bool = False


@dataclass(frozen=True)
class StepSetting:
    """A store's switches for one step: Odoo announces it, and/or the store already e-mails it."""

    enabled: bool = True
    store_sends: bool = False


#: Out of the box: every step on, except that Odoo stays quiet where WooCommerce already mails the
#: customer by default (on-hold/processing order = received/confirmed, completed order, refunded order).
#: WooCommerce mails a cancelled order to the admin only, and sends no invoice or payment receipt itself.
DEFAULT_STEP_SETTINGS = {
    RECEIVED: StepSetting(True, True),
    CONFIRMED: StepSetting(True, True),
    SHIPPED: StepSetting(True, True),
    INVOICED: StepSetting(True, False),
    PAID: StepSetting(True, False),
    REFUNDED: StepSetting(True, True),
    CANCELLED: StepSetting(True, False),
}


@dataclass(frozen=True)
class MessagePlan:
    """What to do now: ``send`` the steps' messages (sale order), ``skip`` ``(step, reason)`` for good."""

    send: tuple = ()
    skip: tuple = ()


def reached_steps(progress):
    """The steps ``progress`` has reached, in sale order (every sale order has been received)."""
    facts = {
        RECEIVED: True,
        CONFIRMED: progress.confirmed,
        SHIPPED: progress.shipped,
        INVOICED: progress.invoiced,
        PAID: progress.paid,
        REFUNDED: progress.refunded,
        CANCELLED: progress.cancelled,
    }
    return tuple(step for step in STEPS if facts[step])


def plan_messages(progress, settings, done, go_live, history=False, force=False):
    """Which steps of an order to announce now and which to skip for good.

    ``settings``: ``{step: StepSetting}`` of the store (a missing step is off);
    ``done``: the steps already sent or skipped for this order; ``go_live``:
    orders placed before it are not messaged (``None``: no such date);
    ``history``: the order comes from a history import; ``force``: the user
    asked for messages for history or old orders all the same.
    """
    unknown = set(settings) - set(STEPS)
    if unknown:
        raise ValueError(f"a message step is one of {', '.join(STEPS)}, not {', '.join(sorted(unknown))}")
    new = [step for step in reached_steps(progress) if step not in done]
    if not new:
        return MessagePlan()
    if not force:
        if history:
            return MessagePlan(skip=tuple((step, HISTORY) for step in new))
        placed, live = as_utc(progress.placed_at), as_utc(go_live)
        if live and placed and placed < live:
            return MessagePlan(skip=tuple((step, BEFORE_GO_LIVE) for step in new))
    skip, sendable = [], []
    for step in new:
        setting = settings.get(step) or StepSetting(enabled=False)
        if not setting.enabled:
            skip.append((step, SWITCHED_OFF))
        elif setting.store_sends:
            skip.append((step, STORE_SENDS))
        else:
            sendable.append(step)
    send = []
    for step in sendable:
        if SUPERSEDED_BY[step] & set(sendable):
            skip.append((step, SUPERSEDED))
        else:
            send.append(step)
    order = {step: index for index, step in enumerate(STEPS)}
    return MessagePlan(send=tuple(send), skip=tuple(sorted(skip, key=lambda item: order[item[0]])))
