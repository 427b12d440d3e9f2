"""How Odoo 18 computes a sale order's amounts, re-implemented small and faithful.

The connector must predict, without Odoo, what a sale order will add up to
once its lines are written, so that the core can prove "Odoo's total equals
the store's total to the cent" for every order. This module is the part of
Odoo that decides it, for the cases the connector creates:

* ``sale.order.line.price_unit`` is a float field with the *Product Price*
  precision (2 digits by default): the ORM rounds it half-up when it is
  written (``fields.Float.convert_to_cache``/``float_round``).
* ``_compute_amount`` (``addons/sale/models/sale_order_line.py``) turns the
  line into a base line (``_prepare_base_line_for_taxes_computation``) and
  calls ``account.tax._add_tax_details_in_base_line``, which calls
  ``_get_tax_details`` with ``price_unit * (1 - discount / 100)``.
* With ``tax_calculation_rounding_method = 'round_per_line'`` (the only
  method this module models; the connector sets it for its companies, it is
  what the store does with "round tax at subtotal" off), ``_get_tax_details``
  rounds ``raw_base = quantity * price_unit`` to the currency first, then each
  tax amount:

  - price-excluded percent tax: ``raw_base * amount / 100``;
  - price-included percent taxes of one batch:
    ``raw_base * (1 / (1 + sum(amounts) / 100)) * amount / 100``, and the
    base becomes ``raw_base - sum(batch tax amounts)``.

* ``sale.order._compute_amounts`` then sums per line
  (``_round_base_lines_tax_details``; every raw amount is already rounded per
  line, so its delta distribution moves nothing) into ``amount_untaxed``,
  ``amount_tax`` and ``amount_total``.

Odoo computes in binary floats and rounds with ``float_round``, which adds a
tiny epsilon before rounding so that a value like 2.675 (stored as
2.67499999…) still rounds up. Both are reproduced here: the amounts are
computed as floats in Odoo's order of operations, rounded with the same
function, and handed back as ``Decimal``. Only percent taxes that do not
affect the base of later taxes are modelled (the store's non-compound
rates); a line may not mix price-included and price-excluded taxes.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

ROUND_PER_LINE = "round_per_line"


@dataclass(frozen=True, kw_only=True)
class Tax:
    """An Odoo ``account.tax`` as the computation sees it: a percent, price-included or not.

    ``key`` names the tax in the results (the connector uses the store's rate id).
    """

    key: object
    amount: Decimal
    price_include: bool = False


@dataclass(frozen=True, kw_only=True)
class Line:
    """A ``sale.order.line`` as written: unit price, quantity, discount (%), taxes."""

    price_unit: Decimal
    quantity: Decimal
    discount: Decimal = Decimal(0)
    taxes: tuple = ()


@dataclass(frozen=True, kw_only=True)
class LineAmounts:
    """What Odoo stores on the line: ``price_subtotal``, ``price_tax``, ``price_total``, tax per key."""

    price_unit: Decimal
    price_subtotal: Decimal
    price_tax: Decimal
    price_total: Decimal
    tax_amounts: dict = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class OrderAmounts:
    """A sale order's ``amount_untaxed``, ``amount_tax``, ``amount_total`` and tax per key."""

    amount_untaxed: Decimal
    amount_tax: Decimal
    amount_total: Decimal
    tax_amounts: dict = field(default_factory=dict)
    lines: tuple = ()


def float_round(value, digits):
    """Odoo's ``tools.float_round(value, precision_digits=digits)`` (HALF-UP), on floats.

    Copied in behaviour from ``odoo/tools/float_utils.py``: normalise to an
    integer scale, add an epsilon scaled to the value's magnitude (so binary
    representation errors do not flip a tie), round half away from zero.
    """
    if value == 0:
        return 0.0
    factor = 10 ** digits  # Odoo's float_invert(10 ** -digits): an exact power of ten
    normalized = value * factor
    epsilon = 2 ** (math.log2(abs(normalized)) - 50)
    return round(normalized + math.copysign(epsilon, normalized)) / factor


def _to_decimal(value, digits):
    """A float that Odoo rounded to ``digits`` decimals, as the exact ``Decimal`` it stands for."""
    return Decimal(repr(float_round(value, digits))).quantize(Decimal(1).scaleb(-digits))


def round_price_unit(price_unit, price_digits=2):
    """The unit price Odoo stores: rounded half-up to the *Product Price* precision."""
    return _to_decimal(float(price_unit), price_digits)


def line_amounts(line, currency_digits=2, price_digits=2):
    """Compute one line as ``sale.order.line._compute_amount`` does (``round_per_line``).

    Raises ``ValueError`` for a line that mixes price-included and
    price-excluded taxes (Odoo would chain their bases; the connector never
    writes such a line).
    """
    included = [tax for tax in line.taxes if tax.price_include]
    excluded = [tax for tax in line.taxes if not tax.price_include]
    if included and excluded:
        raise ValueError("a line may not mix price-included and price-excluded taxes")

    price_unit = round_price_unit(line.price_unit, price_digits)
    price_after_discount = float(price_unit) * (1 - (float(line.discount) / 100.0))
    raw_base = float_round(float(line.quantity) * price_after_discount, currency_digits)

    tax_amounts = {}
    if included:
        total_percentage = sum(float(tax.amount) for tax in included) / 100.0
        factor = 1 / (1 + total_percentage) if total_percentage != -1 else 0.0
        for tax in included:
            tax_amounts[tax.key] = float_round(raw_base * factor * float(tax.amount) / 100.0, currency_digits)
        total_excluded = raw_base - sum(tax_amounts.values())
    else:
        for tax in excluded:
            tax_amounts[tax.key] = float_round(raw_base * float(tax.amount) / 100.0, currency_digits)
        total_excluded = raw_base

    subtotal = _to_decimal(total_excluded, currency_digits)
    taxes = {key: _to_decimal(amount, currency_digits) for key, amount in tax_amounts.items()}
    tax_total = sum(taxes.values(), Decimal(0)).quantize(subtotal)
    return LineAmounts(
        price_unit=price_unit,
        price_subtotal=subtotal,
        price_tax=tax_total,
        price_total=subtotal + tax_total,
        tax_amounts=taxes,
    )


def order_amounts(lines, currency_digits=2, price_digits=2):
    """Compute a sale order's amounts from its lines as ``sale.order._compute_amounts`` does.

    With ``round_per_line`` every line is already rounded, so the order's
    amounts are the sums of the lines' (Odoo's delta distribution in
    ``_round_base_lines_tax_details`` has nothing to distribute).
    """
    computed = tuple(line_amounts(line, currency_digits, price_digits) for line in lines)
    zero = Decimal(0).quantize(Decimal(1).scaleb(-currency_digits))
    untaxed = sum((amounts.price_subtotal for amounts in computed), zero)
    tax = sum((amounts.price_tax for amounts in computed), zero)
    per_tax = {}
    for amounts in computed:
        for key, amount in amounts.tax_amounts.items():
            per_tax[key] = per_tax.get(key, zero) + amount
    return OrderAmounts(
        amount_untaxed=untaxed,
        amount_tax=tax,
        amount_total=untaxed + tax,
        tax_amounts=per_tax,
        lines=computed,
    )
