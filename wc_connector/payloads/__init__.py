"""Typed, validated views of the store's records.

One function per record type turns the store's JSON (a REST answer, one item
of a list or batch answer, or a webhook body) into a frozen dataclass::

    from wc_connector.payloads import parse_order
    order = parse_order(body)          # Order
    order.total                        # Decimal('66.59')
    order.date_modified                # aware UTC datetime (from date_modified_gmt)
    order.is_guest, order.company, order.vat_id
    order.totals_difference.adds_up    # False when the store itself is a cent off

Money is ``Decimal`` (never ``float``), dates are aware UTC datetimes, and a
payload that cannot be used raises :class:`~..errors.PayloadError` naming
the record, its id and the field.
"""

from .addresses import Address
from .customers import Customer, parse_customer
from .lines import CouponLine, FeeLine, LineTax, OrderLine, RefundSummary, ShippingLine, TaxLine
from .orders import Order, parse_order
from .products import Product, ProductAttribute, Variation, parse_product, parse_variation
from .refunds import Refund, parse_refund
from .totals import TotalsDifference

__all__ = [
    "Address",
    "CouponLine",
    "Customer",
    "FeeLine",
    "LineTax",
    "Order",
    "OrderLine",
    "Product",
    "ProductAttribute",
    "Refund",
    "RefundSummary",
    "ShippingLine",
    "TaxLine",
    "TotalsDifference",
    "Variation",
    "parse_customer",
    "parse_order",
    "parse_product",
    "parse_refund",
    "parse_variation",
]
