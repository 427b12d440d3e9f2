"""Refunds: ``GET /orders/<id>/refunds[/<id>]`` (8.9.1 has no top-level ``/refunds``).

A refund's ``amount`` is positive; its lines mirror the order's with
negative quantities and amounts, each pointing at the order line it refunds
(``refunded_item_id``). A refund by amount only has no lines at all.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ..texts import _lt
from .fields import Fields
from .lines import parse_fee_line, parse_order_line, parse_shipping_line, parse_tax_line
from .meta import split_meta

_ZERO = Decimal(0)
_ORDER_LINK = re.compile(r"/orders/(\d+)/?$")


@dataclass(frozen=True, kw_only=True)
class Refund:
    """A refund of (part of) an order."""

    id: int
    #: The refunded order, when known (from the caller or the body's ``up`` link).
    order_id: int | None = None
    #: What was refunded, positive.
    amount: Decimal
    reason: str = ""
    #: The user id who refunded (0 when unknown).
    refunded_by: int = 0
    #: True when the money went back through the payment gateway's API.
    refunded_payment: bool = False
    date_created: datetime | None = None
    line_items: tuple = ()
    shipping_lines: tuple = ()
    fee_lines: tuple = ()
    tax_lines: tuple = ()
    meta: dict = field(default_factory=dict)
    internal_meta: dict = field(default_factory=dict)

    @property
    def lines_amount(self):
        """What the refund's lines come to (net plus tax), positive; 0 for a refund by amount only.

        Equals ``amount`` when the refund was made line by line.
        """
        parts = (*self.line_items, *self.fee_lines, *self.shipping_lines)
        return -sum((part.total + part.total_tax for part in parts), _ZERO)


def _order_id_from_links(fields):
    # The REST answer links to its order: _links.up[0].href = ".../orders/77".
    links = fields.raw("_links")
    ups = links.get("up") if isinstance(links, dict) else None
    for link in ups if isinstance(ups, list) else ():
        match = _ORDER_LINK.search(str(link.get("href", ""))) if isinstance(link, dict) else None
        if match:
            return int(match.group(1))
    return None


def parse_refund(data, order_id=None):
    """Parse one refund object into a :class:`Refund`.

    ``order_id`` is the order the caller fetched the refund from; without it
    the body's ``up`` link is used. ``id`` and a non-negative ``amount`` are
    required, and refund lines must not have positive quantities. Raises
    :class:`~..errors.PayloadError` naming the refund id and the field.
    """
    fields = Fields.of_record(data, "refund")
    meta, internal = split_meta(fields)
    amount = fields.money("amount", required=True)
    if amount < 0:
        fields.fail("amount", _lt("a refund's amount is positive, got %(amount)s"), amount=amount)
    line_items = tuple(parse_order_line(line) for line in fields.items("line_items"))
    for index, line in enumerate(line_items):
        if line.quantity > 0:
            fields.fail(f"line_items[{index}].quantity", _lt("a refund line's quantity is negative, got %(quantity)s"),
                        quantity=line.quantity)
    return Refund(
        id=fields.record_id,
        order_id=order_id if order_id is not None else _order_id_from_links(fields),
        amount=amount,
        reason=fields.text("reason"),
        refunded_by=fields.integer("refunded_by", minimum=0),
        refunded_payment=fields.flag("refunded_payment"),
        date_created=fields.date("date_created_gmt"),
        line_items=line_items,
        shipping_lines=tuple(parse_shipping_line(line) for line in fields.items("shipping_lines")),
        fee_lines=tuple(parse_fee_line(line) for line in fields.items("fee_lines")),
        tax_lines=tuple(parse_tax_line(line) for line in fields.items("tax_lines")),
        meta=meta,
        internal_meta=internal,
    )
