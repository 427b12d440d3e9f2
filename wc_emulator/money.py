"""Money and number formatting exactly as WooCommerce 8.9.1 prints it.

- totals are strings with 2 decimals ("4.90");
- per-line tax breakdowns (`taxes[].total`) and coupon discounts are PHP
  floats printed without trailing zeros ("10.2087", "171", "0");
- `price` and `rate_percent` are JSON numbers, and PHP prints a whole float
  as an integer (225, not 225.0).
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round2(value):
    """Round half up to cents, as PHP's round() does for money."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money(value):
    """A 2-decimal money string ("4.90")."""
    return str(round2(value))


def trimmed(value):
    """A PHP float as WooCommerce prints it unrounded: "10.2087", "171", "0"."""
    value = Decimal(value)
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text


def number(value):
    """A JSON number the way PHP encodes a float: whole values become ints."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)
