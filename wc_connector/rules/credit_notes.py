"""A store refund → the lines of its credit note, to the cent and with the VAT it reverses.

Reading order: :func:`plan_credit_note` takes a parsed refund (or what a
refunded order left uncredited, as a refund without lines) and the lines of
the invoice it credits, as plain data (:class:`InvoicedLine`), and returns a
:class:`CreditNotePlan` that the Odoo layer applies as it is.

The store refunds in two ways, and the credit note follows it:

* **By lines** — every refund line points at the order line it refunds
  (``refunded_item_id``), with the store's net and tax for it. The credit
  note credits those invoice lines (same product, account, taxes, sale
  line) with the store's amounts to the cent: the refunded quantity at a
  unit price that reproduces the store's net, split over two lines of one
  cent apart when it is not exact in cents (2 refunded at 9.975 → 1 × 9.97
  + 1 × 9.98), exactly as the order import prices order lines
  (:func:`.lines.price_pieces`). The store refunds its *share* of a line's
  tax (2 of 3 papers taxed 2.8443 give back 1.89, where Odoo would tax the
  refunded net anew, 9.98 × 19 % = 1.90): the plan says which tax amount
  each price-excluded tax line must show (:attr:`CreditNotePlan.tax_amounts`),
  and the Odoo layer sets it the way a user edits a tax line of a draft.
* **By amount** — a refund of an amount without lines (a goodwill
  gesture), or whatever a refunded order's refunds left uncredited. The
  amount is gross; it is split over the invoice's **tax mix** (what is still
  uncredited of each group of lines with the same taxes, in proportion), so
  that output VAT is reversed with it: 10.00 refunded on an invoice that is
  all 20 % VAT is 8.33 net + 1.67 VAT, not 10.00 without tax. The
  remainder of a refunded order is thus credited group by group, exactly
  what is left of each.

Refunds by lines that do not all point at invoiced lines are credited by
amount; what a refund gives back beyond its lines is credited by amount
beside them. Nothing here reads a database: the Odoo layer gathers the invoice's
and the earlier credit notes' lines in bulk and applies the plan.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..payloads.money import currency_decimals, round_money
from . import odoo_math
from .lines import price_pieces

_ZERO = Decimal(0)


@dataclass(frozen=True, kw_only=True)
class InvoicedLine:
    """A product line of the credited invoice (or of an earlier credit note of it).

    ``key`` is the Odoo layer's handle (the ``account.move.line`` id);
    ``store_line_id`` the store line its sale line imported (0 for none);
    ``total`` its amount with taxes, positive; ``taxes`` its Odoo taxes as
    :class:`.odoo_math.Tax` keyed by the Odoo tax id.
    """

    key: object
    store_line_id: int = 0
    total: Decimal = _ZERO
    taxes: tuple = ()


@dataclass(frozen=True, kw_only=True)
class CreditLine:
    """One credit note line.

    ``source`` is the :attr:`InvoicedLine.key` the line takes its product,
    label, account and sale line from (by lines), or its income account
    from (by amount: a line of the same tax group); ``None`` when the invoice
    has no line to take them from. ``taxes`` are Odoo tax keys.
    ``price_unit`` is gross when the taxes are price-included, else net.
    """

    source: object
    quantity: Decimal
    price_unit: Decimal
    taxes: tuple = ()
    store_line_id: int = 0

    @property
    def is_refunded_line(self):
        """True for a line crediting a refunded store line (a refund by lines)."""
        return bool(self.store_line_id)


@dataclass(frozen=True, kw_only=True)
class CreditNotePlan:
    """The credit note of one refund: its lines, the tax amounts its tax lines must show, what it totals.

    ``tax_amounts`` maps an Odoo tax key to the amount its tax line must
    show when Odoo's own computation of the lines differs (price-excluded
    taxes only: there the receivable follows the tax line).
    ``amount_untaxed``/``amount_tax``/``amount_total`` are what Odoo will
    total the credit note to once those tax amounts are set.
    """

    by_lines: bool
    lines: tuple
    tax_amounts: dict = field(default_factory=dict)
    amount: Decimal = _ZERO
    amount_untaxed: Decimal = _ZERO
    amount_tax: Decimal = _ZERO

    @property
    def amount_total(self):
        """The credit note's total: equals :attr:`amount`, the refund's, to the cent."""
        return self.amount_untaxed + self.amount_tax


def plan_credit_note(refund, invoiced, credited=(), currency="", price_digits=2):
    """Plan the credit note of ``refund`` on an invoice with lines ``invoiced``.

    ``refund`` is a parsed :class:`~..payloads.refunds.Refund` (a refund by
    amount has no lines); ``invoiced`` the invoice's product lines and
    ``credited`` those of its earlier credit notes (both
    :class:`InvoicedLine`); ``currency`` the order's currency code;
    ``price_digits`` Odoo's *Product Price* precision.
    """
    digits = currency_decimals(currency)
    parts = (*refund.line_items, *refund.fee_lines, *refund.shipping_lines)
    by_store_line = {}
    for line in invoiced:
        if line.store_line_id:
            by_store_line.setdefault(line.store_line_id, line)
    if parts and all(part.refunded_item_id in by_store_line for part in parts):
        lines, wanted = _by_lines(parts, by_store_line, currency, digits, price_digits)
        by_lines = True
        # The shop owner may refund more than the lines (an amount typed over them): the rest by amount.
        extra = round_money(refund.amount, currency) - round_money(refund.lines_amount, currency)
        if extra > 0:
            more, more_wanted = _by_amount(extra, invoiced, credited, currency, digits, price_digits)
            lines += more
            for key, value in more_wanted.items():
                wanted[key] = wanted.get(key, _ZERO) + value
    else:
        lines, wanted = _by_amount(round_money(refund.amount, currency), invoiced, credited, currency, digits, price_digits)
        by_lines = False
    return _finish(by_lines, lines, wanted, round_money(refund.amount, currency), invoiced, digits, price_digits)


def _tax_specs(invoiced):
    return {tax.key: tax for line in invoiced for tax in line.taxes}


def _by_lines(parts, by_store_line, currency, digits, price_digits):
    lines, wanted, shared = [], defaultdict(lambda: _ZERO), set()
    for part in parts:
        source = by_store_line[part.refunded_item_id]
        taxes = source.taxes
        included = bool(taxes) and all(tax.price_include for tax in taxes)
        net, tax = round_money(-part.total, currency), round_money(-part.total_tax, currency)
        quantity = Decimal(abs(getattr(part, "quantity", 0)) or 1)
        # Price-excluded: the net to the cent at one price (or two a cent apart); the tax line takes the store's tax.
        # Price-included: the tax cannot be set without moving the total, so prices are searched that give both.
        pieces, _fits = price_pieces(net, tax, quantity, taxes, included, digits, price_digits, search=included)
        keys = tuple(tax.key for tax in taxes)
        for piece_quantity, price_unit in pieces:
            lines.append(CreditLine(source=source.key, quantity=piece_quantity, price_unit=price_unit,
                                    taxes=keys, store_line_id=part.refunded_item_id))
        if len(taxes) == 1 and not included:
            wanted[keys[0]] += tax
        else:
            # The store's tax of a line with several taxes is not split per tax: Odoo's stays.
            shared.update(keys)
    return lines, {key: amount for key, amount in wanted.items() if key not in shared}


def _tax_mix(invoiced, credited):
    """``[(taxes, weight, source key)]``: what is still uncredited of each group of lines with the same taxes."""
    groups = {}
    for sign, lines in ((1, invoiced), (-1, credited)):
        for line in lines:
            keys = tuple(sorted(tax.key for tax in line.taxes))
            weight, source, taxes = groups.get(keys, (_ZERO, None, line.taxes))
            groups[keys] = (weight + sign * line.total, source if source is not None or sign < 0 else line.key, taxes)
    mix = [(taxes, weight, source) for _keys, (weight, source, taxes) in groups.items() if weight > 0]
    if not mix and credited:
        return _tax_mix(invoiced, ())
    return mix


def _shares(amount, weights, digits):
    """``amount`` split in proportion to ``weights``, in whole minor units that add up to it (largest remainder)."""
    unit = Decimal(1).scaleb(-digits)
    total = sum(weights, _ZERO)
    exact = [amount * weight / total for weight in weights]
    shares = [(value / unit).to_integral_value(rounding="ROUND_DOWN") * unit for value in exact]
    left = int(((amount - sum(shares, _ZERO)) / unit).to_integral_value())
    order = sorted(range(len(weights)), key=lambda index: exact[index] - shares[index], reverse=True)
    for index in order[: max(left, 0)]:
        shares[index] += unit
    return shares


def _by_amount(amount, invoiced, credited, currency, digits, price_digits):
    mix = _tax_mix(invoiced, credited)
    if not mix or amount <= 0:
        source = invoiced[0].key if invoiced else None
        return [CreditLine(source=source, quantity=Decimal(1), price_unit=amount)], {}
    lines, wanted, shared = [], defaultdict(lambda: _ZERO), set()
    for (taxes, _weight, source), share in zip(mix, _shares(amount, [weight for _taxes, weight, _source in mix], digits)):
        if not share:
            continue
        keys = tuple(tax.key for tax in taxes)
        if not taxes or all(tax.price_include for tax in taxes):
            # Untaxed, or price-included: the gross share is the unit price and Odoo takes the tax out of it.
            lines.append(CreditLine(source=source, quantity=Decimal(1), price_unit=share, taxes=keys))
            continue
        net = _net_of(share, taxes, digits, price_digits)
        lines.append(CreditLine(source=source, quantity=Decimal(1), price_unit=net, taxes=keys))
        if len(taxes) == 1:
            wanted[keys[0]] += share - net
        else:
            shared.update(keys)
    return lines, {key: value for key, value in wanted.items() if key not in shared}


def _net_of(gross, taxes, digits, price_digits):
    """The net whose Odoo taxes bring it to ``gross``, when one exists; else the rounded net (its tax is set)."""
    unit = Decimal(1).scaleb(-digits)
    rate = sum((tax.amount for tax in taxes), _ZERO) / 100
    net = (gross / (1 + rate)).quantize(unit, rounding=ROUND_HALF_UP)
    for candidate in (net, net - unit, net + unit):
        amounts = odoo_math.line_amounts(odoo_math.Line(price_unit=candidate, quantity=Decimal(1), taxes=taxes),
                                         digits, price_digits)
        if amounts.price_total == gross:
            return candidate
    return net


def _finish(by_lines, lines, wanted, amount, invoiced, digits, price_digits):
    specs = _tax_specs(invoiced)
    odoo = odoo_math.order_amounts(
        [
            odoo_math.Line(price_unit=line.price_unit, quantity=line.quantity, taxes=tuple(specs[key] for key in line.taxes))
            for line in lines
        ],
        digits,
        price_digits,
    )
    # Only the tax lines Odoo would compute differently are set.
    tax_amounts = {key: value for key, value in wanted.items() if odoo.tax_amounts.get(key) != value}
    tax = sum((tax_amounts.get(key, value) for key, value in odoo.tax_amounts.items()), _ZERO)
    return CreditNotePlan(
        by_lines=by_lines,
        lines=tuple(lines),
        tax_amounts=tax_amounts,
        amount=amount,
        amount_untaxed=odoo.amount_untaxed,
        amount_tax=tax.quantize(Decimal(1).scaleb(-digits)),
    )
