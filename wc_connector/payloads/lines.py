"""The parts of an order (and of a refund): item lines, shipping, fees, coupons, taxes.

Amounts are exactly what the store sent, as ``Decimal``: line, fee and
shipping ``total``/``total_tax`` are rounded to the shop's decimals, their
per-rate ``taxes`` breakdowns are not (``"10.2087"``), and with "round tax
at subtotal" on a coupon's ``discount`` is not either (``"6.892895"``). In a
refund every amount and quantity is negative and each line points at the
order line it refunds (``refunded_item_id``).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .fields import Fields
from .meta import display_meta, split_meta

_ZERO = Decimal(0)


@dataclass(frozen=True, kw_only=True)
class LineTax:
    """One tax rate's share of a line, unrounded (``taxes[]`` of a line, fee or shipping line)."""

    rate_id: int
    total: Decimal = _ZERO
    #: Before discounts; ``None`` for fees and shipping, where the store sends ``""``.
    subtotal: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class OrderLine:
    """A product line. ``product_id`` 0 means the product no longer exists (or never did)."""

    id: int
    name: str = ""
    product_id: int = 0
    #: 0 for a simple product.
    variation_id: int = 0
    quantity: int
    sku: str = ""
    tax_class: str = ""
    #: Net amounts before (subtotal) and after (total) discounts, rounded as the store shows them.
    subtotal: Decimal = _ZERO
    subtotal_tax: Decimal = _ZERO
    total: Decimal = _ZERO
    total_tax: Decimal = _ZERO
    taxes: tuple = ()
    #: Net unit price after discounts, unrounded (the store's float); ``None`` when not sent.
    price: Decimal | None = None
    parent_name: str = ""
    #: What the customer sees, e.g. ``{"Color": "White", "Size": "M"}``.
    attributes: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    internal_meta: dict = field(default_factory=dict)
    #: In a refund: the id of the order line this line refunds.
    refunded_item_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class ShippingLine:
    """A shipping method line; ``total`` is net, its tax is ``total_tax``."""

    id: int
    method_id: str = ""
    method_title: str = ""
    instance_id: str = ""
    total: Decimal = _ZERO
    total_tax: Decimal = _ZERO
    taxes: tuple = ()
    meta: dict = field(default_factory=dict)
    internal_meta: dict = field(default_factory=dict)
    refunded_item_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class FeeLine:
    """A fee (surcharge or negative fee); ``total`` is net, its tax is ``total_tax``."""

    id: int
    name: str = ""
    tax_class: str = ""
    #: ``"taxable"`` or ``"none"``.
    tax_status: str = ""
    #: The amount entered for the fee, when the store sends one (it usually sends ``""``).
    amount: Decimal | None = None
    total: Decimal = _ZERO
    total_tax: Decimal = _ZERO
    taxes: tuple = ()
    meta: dict = field(default_factory=dict)
    internal_meta: dict = field(default_factory=dict)
    refunded_item_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class CouponLine:
    """A coupon used on the order. Its discount is already taken off the lines' totals."""

    id: int
    code: str
    discount: Decimal = _ZERO
    discount_tax: Decimal = _ZERO
    #: ``percent``, ``fixed_cart`` or ``fixed_product`` ("" when not sent).
    discount_type: str = ""
    #: The coupon's amount as set up (12.5 for 12.5 %), ``None`` when not sent.
    nominal_amount: Decimal | None = None
    free_shipping: bool = False
    meta: dict = field(default_factory=dict)
    internal_meta: dict = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class TaxLine:
    """One tax rate's total over the order: items and fees in ``tax_total``, shipping in ``shipping_tax_total``."""

    id: int
    rate_id: int = 0
    rate_code: str = ""
    label: str = ""
    compound: bool = False
    tax_total: Decimal = _ZERO
    shipping_tax_total: Decimal = _ZERO
    #: The rate as a percentage (19 for 19 %), ``None`` when not sent.
    rate_percent: Decimal | None = None
    meta: dict = field(default_factory=dict)
    internal_meta: dict = field(default_factory=dict)

    @property
    def amount(self):
        """Everything this rate adds to the order: items, fees and shipping."""
        return self.tax_total + self.shipping_tax_total


@dataclass(frozen=True, kw_only=True)
class RefundSummary:
    """A refund as its order lists it (``refunds[]``); the full refund comes from ``/orders/<id>/refunds``."""

    id: int
    reason: str = ""
    #: Negative, as the store sends it (``"-32.09"``).
    total: Decimal = _ZERO

    @property
    def amount(self):
        """The refunded amount as a positive number (like ``Refund.amount``)."""
        return -self.total


def _taxes(fields):
    return tuple(
        LineTax(
            rate_id=tax.integer("id", required=True),
            total=tax.money("total"),
            subtotal=tax.money("subtotal", default=None),
        )
        for tax in fields.items("taxes")
    )


def _refunded_item_id(fields, internal_meta):
    """Read ``_refunded_item_id`` (sent as text, ``"2812"``) as a whole number, or ``None``."""
    if "_refunded_item_id" not in internal_meta:
        return None
    holder = Fields(internal_meta, fields.record_type, fields.record_id, fields.path("meta_data"))
    return holder.integer("_refunded_item_id", default=None)


def parse_order_line(fields, minimum_quantity=None):
    """Read one ``line_items[]`` entry; ``id``, ``quantity``, ``total`` and ``total_tax`` are required.

    ``minimum_quantity``: an order's lines sell at least 1 (a refund's are negative, so it has none).
    """
    meta, internal = split_meta(fields)
    total = fields.money("total", required=True)
    total_tax = fields.money("total_tax", required=True)
    return OrderLine(
        id=fields.integer("id", required=True, minimum=1),
        name=fields.text("name"),
        product_id=fields.integer("product_id", minimum=0),
        variation_id=fields.integer("variation_id", minimum=0),
        quantity=fields.integer("quantity", required=True, minimum=minimum_quantity),
        sku=fields.text("sku"),
        tax_class=fields.text("tax_class"),
        # A line without a discount has subtotal == total: the sensible default.
        subtotal=fields.money("subtotal", default=total),
        subtotal_tax=fields.money("subtotal_tax", default=total_tax),
        total=total,
        total_tax=total_tax,
        taxes=_taxes(fields),
        price=fields.money("price", default=None),
        parent_name=fields.text("parent_name"),
        attributes=display_meta(fields),
        meta=meta,
        internal_meta=internal,
        refunded_item_id=_refunded_item_id(fields, internal),
    )


def parse_shipping_line(fields):
    """Read one ``shipping_lines[]`` entry; ``id`` and ``total`` are required."""
    meta, internal = split_meta(fields)
    return ShippingLine(
        id=fields.integer("id", required=True, minimum=1),
        method_id=fields.text("method_id"),
        method_title=fields.text("method_title"),
        instance_id=fields.text("instance_id"),
        total=fields.money("total", required=True),
        total_tax=fields.money("total_tax"),
        taxes=_taxes(fields),
        meta=meta,
        internal_meta=internal,
        refunded_item_id=_refunded_item_id(fields, internal),
    )


def parse_fee_line(fields):
    """Read one ``fee_lines[]`` entry; ``id`` and ``total`` are required."""
    meta, internal = split_meta(fields)
    return FeeLine(
        id=fields.integer("id", required=True, minimum=1),
        name=fields.text("name"),
        tax_class=fields.text("tax_class"),
        tax_status=fields.text("tax_status"),
        amount=fields.money("amount", default=None),
        total=fields.money("total", required=True),
        total_tax=fields.money("total_tax"),
        taxes=_taxes(fields),
        meta=meta,
        internal_meta=internal,
        refunded_item_id=_refunded_item_id(fields, internal),
    )


def parse_coupon_line(fields):
    """Read one ``coupon_lines[]`` entry; ``id`` and ``code`` are required."""
    meta, internal = split_meta(fields)
    return CouponLine(
        id=fields.integer("id", required=True, minimum=1),
        code=fields.text("code", required=True),
        discount=fields.money("discount"),
        discount_tax=fields.money("discount_tax"),
        discount_type=fields.text("discount_type"),
        nominal_amount=fields.money("nominal_amount", default=None),
        free_shipping=fields.flag("free_shipping"),
        meta=meta,
        internal_meta=internal,
    )


def parse_tax_line(fields):
    """Read one ``tax_lines[]`` entry; ``id`` is required."""
    meta, internal = split_meta(fields)
    return TaxLine(
        id=fields.integer("id", required=True, minimum=1),
        rate_id=fields.integer("rate_id", minimum=0),
        rate_code=fields.text("rate_code"),
        label=fields.text("label"),
        compound=fields.flag("compound"),
        tax_total=fields.money("tax_total"),
        shipping_tax_total=fields.money("shipping_tax_total"),
        rate_percent=fields.money("rate_percent", default=None),
        meta=meta,
        internal_meta=internal,
    )


def parse_refund_summary(fields):
    """Read one ``refunds[]`` entry of an order."""
    return RefundSummary(
        id=fields.integer("id", required=True, minimum=1),
        reason=fields.text("reason"),
        total=fields.money("total", required=True),
    )
