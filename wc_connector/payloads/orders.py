"""Orders: ``GET /orders``, ``/orders/<id>``, batch answers and ``order.*`` webhook bodies."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from .addresses import Address, parse_address
from .fields import Fields
from .lines import (
    parse_coupon_line,
    parse_fee_line,
    parse_order_line,
    parse_refund_summary,
    parse_shipping_line,
    parse_tax_line,
)
from .meta import find_vat_id, split_meta
from .totals import totals_difference

_ZERO = Decimal(0)


@dataclass(frozen=True, kw_only=True)
class Order:
    """A store order, typed and validated. Money is ``Decimal``, dates are aware UTC datetimes.

    ``customer_id`` 0 is a guest order. ``company`` is the billing address's
    company (the store keeps companies nowhere else); ``vat_id`` comes from the
    order's meta. ``meta`` holds the shop's own meta keys, ``internal_meta``
    WooCommerce's (leading ``_``).
    """

    id: int
    parent_id: int = 0
    number: str = ""
    status: str
    currency: str = ""
    prices_include_tax: bool = False
    customer_id: int = 0
    billing: Address = field(default_factory=Address)
    shipping: Address = field(default_factory=Address)
    company: str | None = None
    vat_id: str | None = None
    payment_method: str = ""
    payment_method_title: str = ""
    transaction_id: str = ""
    customer_note: str = ""
    created_via: str = ""
    order_key: str = ""
    date_created: datetime | None = None
    date_modified: datetime | None = None
    date_paid: datetime | None = None
    date_completed: datetime | None = None
    line_items: tuple = ()
    shipping_lines: tuple = ()
    fee_lines: tuple = ()
    coupon_lines: tuple = ()
    tax_lines: tuple = ()
    refunds: tuple = ()
    discount_total: Decimal = _ZERO
    discount_tax: Decimal = _ZERO
    shipping_total: Decimal = _ZERO
    shipping_tax: Decimal = _ZERO
    cart_tax: Decimal = _ZERO
    total: Decimal
    total_tax: Decimal = _ZERO
    meta: dict = field(default_factory=dict)
    internal_meta: dict = field(default_factory=dict)

    @property
    def is_guest(self):
        """True for an order placed without a customer account (``customer_id`` 0)."""
        return self.customer_id == 0

    @property
    def is_paid(self):
        """True once the store recorded a payment date."""
        return self.date_paid is not None

    @property
    def refunded_amount(self):
        """Sum of the order's refunds, positive."""
        return sum((refund.amount for refund in self.refunds), _ZERO)

    @property
    def totals_difference(self):
        """How far the order's parts are from its totals (a :class:`~.totals.TotalsDifference`).

        ``order.totals_difference.adds_up`` is False when the store itself is
        a cent off (round tax at subtotal); ``.total`` then says by how much.
        """
        return totals_difference(self)


def parse_order(data):
    """Parse one order object from the store into an :class:`Order`.

    Raises :class:`~..errors.PayloadError` naming the order id and the field
    when the payload cannot be used: a missing or invalid ``id``, ``status``,
    ``total``, line ``quantity``, line ``total``..., or a value of the wrong
    kind anywhere. Fields the store may leave out get neutral defaults.
    """
    fields = Fields.of_record(data, "order")
    meta, internal = split_meta(fields)
    billing = parse_address(fields.child("billing"))
    return Order(
        id=fields.record_id,
        parent_id=fields.integer("parent_id", minimum=0),
        number=fields.text("number") or str(fields.record_id),
        status=fields.text("status", required=True),
        currency=fields.text("currency"),
        prices_include_tax=fields.flag("prices_include_tax"),
        customer_id=fields.integer("customer_id", minimum=0),
        billing=billing,
        shipping=parse_address(fields.child("shipping")),
        company=billing.company_name,
        vat_id=find_vat_id(meta, internal),
        payment_method=fields.text("payment_method"),
        payment_method_title=fields.text("payment_method_title"),
        transaction_id=fields.text("transaction_id"),
        customer_note=fields.text("customer_note"),
        created_via=fields.text("created_via"),
        order_key=fields.text("order_key"),
        date_created=fields.date("date_created_gmt"),
        date_modified=fields.date("date_modified_gmt"),
        date_paid=fields.date("date_paid_gmt"),
        date_completed=fields.date("date_completed_gmt"),
        # A zero or negative quantity sells nothing; a unit price would divide by it.
        line_items=tuple(parse_order_line(line, minimum_quantity=1) for line in fields.items("line_items")),
        shipping_lines=tuple(parse_shipping_line(line) for line in fields.items("shipping_lines")),
        fee_lines=tuple(parse_fee_line(line) for line in fields.items("fee_lines")),
        coupon_lines=tuple(parse_coupon_line(line) for line in fields.items("coupon_lines")),
        tax_lines=tuple(parse_tax_line(line) for line in fields.items("tax_lines")),
        refunds=tuple(parse_refund_summary(refund) for refund in fields.items("refunds")),
        discount_total=fields.money("discount_total"),
        discount_tax=fields.money("discount_tax"),
        shipping_total=fields.money("shipping_total"),
        shipping_tax=fields.money("shipping_tax"),
        cart_tax=fields.money("cart_tax"),
        total=fields.money("total", required=True),
        total_tax=fields.money("total_tax", required=True),
        meta=meta,
        internal_meta=internal,
    )
