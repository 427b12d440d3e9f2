"""Does an order add up? The store's totals against the sum of its parts.

An order's ``total`` should be its lines, fees and shipping (net) plus their
taxes, and its ``total_tax`` both the sum of those taxes and the sum of its
tax lines. With "round tax at subtotal" off that holds to the cent on every
real order. With it on, the store rounds the order's taxes as a whole but
each line on its own, and about one order in four ends a cent off (orders
726, 728 and 731 of the captures). The parser does not hide that: the
importer reads the difference and decides (flag the order, add a rounding
line), and everywhere else the difference is exactly zero.

Each part is first rounded to the currency's minor unit, as the store shows
it, so an order read with ``?dp=6`` gives the same answer as the default
2-decimal one.
"""

from dataclasses import dataclass
from decimal import Decimal

from .money import round_money

_ZERO = Decimal(0)


@dataclass(frozen=True, kw_only=True)
class TotalsDifference:
    """What the parts add up to minus what the store says; all zero when the order adds up.

    A positive value means the parts come to more than the store's figure.
    """

    #: Lines + fees + shipping (net) and their ``total_tax`` − ``total``.
    total: Decimal = _ZERO
    #: Line + fee + shipping ``total_tax`` − ``total_tax``.
    total_tax: Decimal = _ZERO
    #: Tax lines (``tax_total`` + ``shipping_tax_total``) − ``total_tax``.
    tax_lines: Decimal = _ZERO

    @property
    def adds_up(self):
        """True when the order adds up to the cent everywhere."""
        return not (self.total or self.total_tax or self.tax_lines)


def totals_difference(order):
    """Compare an order's parts with its totals; see :class:`TotalsDifference`."""

    def rounded(amount):
        return round_money(amount, order.currency)

    parts = (*order.line_items, *order.fee_lines, *order.shipping_lines)
    nets = sum((rounded(part.total) for part in parts), _ZERO)
    taxes = sum((rounded(part.total_tax) for part in parts), _ZERO)
    tax_lines = sum(
        (rounded(line.tax_total) + rounded(line.shipping_tax_total) for line in order.tax_lines), _ZERO
    )
    total, total_tax = rounded(order.total), rounded(order.total_tax)
    return TotalsDifference(
        total=nets + taxes - total,
        total_tax=taxes - total_tax,
        tax_lines=tax_lines - total_tax,
    )
