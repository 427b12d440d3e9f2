"""A store order → the sale-order lines that add up to the store's total, to the cent.

Reading order: :func:`plan_lines` is the entry point; it returns a
:class:`LinesPlan` that the Odoo layer applies as it is (one
``sale.order.line`` per :class:`PlanLine`, products and delivery products
looked up by the refs the lines carry).

How the amounts are made to match
---------------------------------
The store rounds per line ("round tax at subtotal" off): each line, fee and
shipping line has a net ``total`` and a ``total_tax`` rounded to the cent,
and the order's total is exactly their sum. Odoo with
``tax_calculation_rounding_method = 'round_per_line'`` does the same per
sale-order line — but from a unit price rounded to the *Product Price*
precision (2 decimals by default), ``round(price_unit × qty)`` and a tax
rounded on that. So every store part is turned into one or two Odoo lines
whose Odoo amounts (computed by :mod:`.odoo_math`, a faithful copy of
Odoo's computation) are the part's net total and tax exactly:

* The unit price is the store's **discounted** price (line total ÷
  quantity): the coupons are already inside it (see :func:`coupon_note`).
* When the line's taxes are **price-excluded** (store prices exclude tax),
  the unit price is net: ``total / qty``.
* When they are **price-included** (store prices include tax), the unit
  price is gross: ``(total + total_tax) / qty``. The store derives its net
  amounts from gross prices (3 × 19.99 → 50.394958 net + 9.58 tax); from a
  gross line amount ``G = total + total_tax`` Odoo computes the tax as
  ``round(G × r / (1 + r))``, which always lands on the store's rounded tax
  (its distance to the store's tax is at most half a cent), and the net as
  ``G − tax`` — the store's net.
* When that unit price is not exact at the price precision (52.91 for 3),
  the part is **split** into two lines of the same product whose prices
  differ by one cent (1 × 17.63 + 2 × 17.64 = 52.91), and the split is kept
  only if the per-line taxes still add up to the store's; otherwise other
  splits are searched.
* A single unit whose net Odoo taxes a cent differently than the store
  (rare: a discounted unit in a store whose prices exclude tax) cannot be
  split; the cent is then made up by splitting another line with the same
  taxes differently, so the order and its tax per rate still match.
* What nothing can match (no such other line, or an order the store itself
  totals a cent off because "round tax at subtotal" is on) is never hidden: the plan reports the exact difference
  (:attr:`LinesPlan.difference`) and a ``rounding_difference`` problem so
  the importer flags the order.

Store line kinds
----------------
* Product lines match an Odoo product by the store link ``(product_id,
  variation_id)``, else by SKU (:class:`ProductRef`). A line with
  ``product_id`` 0 (the product was deleted, or never existed — the store
  accepts that) is kept as a described line without product and flagged,
  never dropped with its order.
* Shipping lines carry their method (:class:`ShippingRef`); the Odoo layer
  maps the method to a delivery product.
* Fee lines become lines of the store's fee product (negative fees too).
* Coupon lines become note lines ("Coupon welcome10: -118.47").
"""

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain

from ..payloads.money import currency_decimals, round_money
from . import odoo_math
from .taxes import TaxSpec, line_rate_ids, spec_from_tax_line, unmapped_rate_message

PRODUCT = "product"
SHIPPING = "shipping"
FEE = "fee"
COUPON = "coupon"

#: Problem codes. ``blocking`` problems hold the order until a mapping is fixed.
UNMAPPED_TAX = "unmapped_tax"
UNSUPPORTED_TAX = "unsupported_tax"
NO_PRODUCT = "no_product"
ROUNDING_DIFFERENCE = "rounding_difference"

#: How far from the even split the search for a matching split goes (in price steps and units).
_SEARCH_STEPS = 25
_SEARCH_UNITS = 12


@dataclass(frozen=True, kw_only=True)
class ProductRef:
    """Which product a line is: the store link, else the SKU. Empty for a ``product_id`` 0 line."""

    product_id: int = 0
    variation_id: int = 0
    sku: str = ""

    @property
    def link(self):
        """``(product_id, variation_id)`` as the store links it, or ``None`` when the store has no product."""
        return (self.product_id, self.variation_id) if self.product_id else None

    @property
    def is_known(self):
        """Whether the line names a store product at all (by link or SKU)."""
        return bool(self.product_id or self.sku)


@dataclass(frozen=True, kw_only=True)
class ShippingRef:
    """Which shipping method a shipping line used (``flat_rate``, instance ``3``, "EU-Versand")."""

    method_id: str = ""
    instance_id: str = ""
    title: str = ""


@dataclass(frozen=True, kw_only=True)
class PlanLine:
    """One sale-order line to write.

    ``store_line_id`` is the store's line id; a split part gives two plan
    lines with the same id (refunds point at it). ``price_unit`` is gross when
    ``price_include`` (the line's Odoo taxes are price-included), else net.
    ``rate_ids`` are store rate ids; the Odoo layer writes their mapped taxes.
    A ``COUPON`` line is a note: no quantity, price or taxes.
    """

    kind: str
    store_line_id: int
    name: str
    quantity: Decimal = Decimal(0)
    price_unit: Decimal = Decimal(0)
    rate_ids: tuple = ()
    price_include: bool = False
    product: ProductRef | None = None
    shipping: ShippingRef | None = None

    @property
    def is_note(self):
        """Whether this is a note line (``display_type = 'line_note'`` in Odoo)."""
        return self.kind == COUPON


@dataclass(frozen=True, kw_only=True)
class Problem:
    """Something the importer must show: ``code`` (see the module constants), message, store line id."""

    code: str
    message: str
    store_line_id: int | None = None
    blocking: bool = False


@dataclass(frozen=True, kw_only=True)
class LinesPlan:
    """The lines of one order, what Odoo will total them to, and what does not fit.

    ``odoo`` is :func:`.odoo_math.order_amounts` of the lines (notes left
    out); ``difference`` is Odoo's total minus the store's (zero when the
    order adds up; positive when Odoo's is higher).
    """

    order_id: int
    lines: tuple
    problems: tuple
    store_total: Decimal
    odoo: odoo_math.OrderAmounts
    currency_digits: int = 2

    @property
    def difference(self):
        """Odoo's ``amount_total`` minus the store's ``total``."""
        return self.odoo.amount_total - self.store_total

    @property
    def adds_up(self):
        """True when Odoo's total equals the store's to the cent."""
        return self.difference == 0

    @property
    def is_blocked(self):
        """True when a problem holds the order (a tax rate without Odoo tax, an unsupported tax)."""
        return any(problem.blocking for problem in self.problems)


def plan_lines(order, tax_map, price_digits=2):
    """Plan the sale-order lines of ``order`` (a parsed :class:`~..payloads.orders.Order`).

    ``tax_map`` maps a store rate id to the :class:`~.taxes.TaxSpec` of the
    Odoo tax it is linked to (built by the Odoo layer from the tax actually
    linked, so its percent and price-included flag are what Odoo will use).
    ``price_digits`` is Odoo's *Product Price* precision.

    Never raises for a well-parsed order: every store line gives at least one
    plan line, and whatever cannot be done is a :class:`Problem`.
    """
    digits = currency_decimals(order.currency)
    planner = _Planner(order, tax_map, digits, price_digits)
    for line in order.line_items:
        planner.add_part(line, PRODUCT, line.name or line.sku or f"Item {line.id}", line.quantity, product=_product_ref(line))
    for fee in order.fee_lines:
        planner.add_part(fee, FEE, fee.name or "Fee", 1)
    for shipping in order.shipping_lines:
        ref = ShippingRef(method_id=shipping.method_id, instance_id=shipping.instance_id, title=shipping.method_title)
        planner.add_part(shipping, SHIPPING, shipping.method_title or shipping.method_id or "Shipping", 1, shipping=ref)
    for coupon in order.coupon_lines:
        planner.notes.append(coupon_note(coupon, order.prices_include_tax, order.currency))
    return planner.finish()


def coupon_note(coupon, prices_include_tax, currency=""):
    """A visible note for a coupon: ``Coupon welcome10: -118.47``, with no amount of its own.

    Why a note and not a negative line: the store has already taken every
    coupon off the lines it applies to — a percent coupon off each line, a
    fixed-cart coupon split equally per unit and capped at the unit price —
    and taxed the discounted lines, rounding per line. The discounted unit
    prices therefore reproduce the store's line totals and taxes exactly; a
    negative coupon line would count the discount twice, and spreading it
    back over tax rates would re-round what the store already rounded (that
    is how other connectors end a cent or three off). The note shows the
    customer's saving as the store showed it: net when prices exclude tax,
    with its tax when they include it.
    """
    amount = coupon.discount + coupon.discount_tax if prices_include_tax else coupon.discount
    shown = round_money(amount, currency)
    return PlanLine(kind=COUPON, store_line_id=coupon.id, name=f"Coupon {coupon.code}: -{shown}")


def _product_ref(line):
    return ProductRef(product_id=line.product_id, variation_id=line.variation_id if line.product_id else 0, sku=line.sku)


@dataclass(kw_only=True)
class _Part:
    """A store line, fee or shipping line on its way to plan lines."""

    kind: str
    store_line_id: int
    name: str
    quantity: Decimal
    net: Decimal
    tax: Decimal
    taxes: tuple
    rate_ids: tuple
    price_include: bool
    product: ProductRef | None = None
    shipping: ShippingRef | None = None
    pieces: list = field(default_factory=list)
    #: The tax Odoo computes for the chosen pieces minus the store's (non-zero only when no split matched).
    tax_off: Decimal = Decimal(0)


class _Planner:
    """Accumulates the parts and problems of one order, then prices them."""

    def __init__(self, order, tax_map, digits, price_digits):
        self.order = order
        self.tax_map = tax_map
        self.digits = digits
        self.price_digits = price_digits
        self.parts = []
        self.notes = []
        self.problems = []

    def problem(self, code, message, line_id=None, blocking=False):
        self.problems.append(Problem(code=code, message=message, store_line_id=line_id, blocking=blocking))

    def add_part(self, part, kind, name, quantity, product=None, shipping=None):
        rate_ids = line_rate_ids(part)
        taxes = self._odoo_taxes(part.id, rate_ids)
        included = {tax.price_include for tax in taxes}
        if len(included) > 1:
            self.problem(
                UNSUPPORTED_TAX,
                f"line '{name}' (id {part.id}) mixes price-included and price-excluded Odoo taxes",
                part.id,
                blocking=True,
            )
            taxes = ()
        if product is not None and not product.is_known:
            self.problem(
                NO_PRODUCT,
                f"line '{name}' (id {part.id}) has no store product (product_id 0): imported as a described line",
                part.id,
            )
        self.parts.append(
            _Part(
                kind=kind,
                store_line_id=part.id,
                name=name,
                quantity=Decimal(quantity),
                net=round_money(part.total, self.order.currency),
                tax=round_money(part.total_tax, self.order.currency),
                taxes=taxes,
                rate_ids=rate_ids,
                price_include=included == {True},
                product=product,
                shipping=shipping,
            )
        )

    def _odoo_taxes(self, line_id, rate_ids):
        """The odoo_math taxes of a part; unmapped or unsupported rates become blocking problems.

        An unmapped rate still counts in the plan's amounts, with the percent
        the order's tax line gives it, so the plan shows what the order would
        be once the rate is mapped.
        """
        taxes = []
        for rate_id in rate_ids:
            spec = self.tax_map.get(rate_id)
            if spec is None:
                self.problem(UNMAPPED_TAX, unmapped_rate_message(rate_id, self.order), line_id, blocking=True)
                spec = self._spec_from_order(rate_id)
            elif spec.compound:
                self.problem(
                    UNSUPPORTED_TAX,
                    f"tax rate {spec.label} is compound (tax on tax); the connector does not support it",
                    line_id,
                    blocking=True,
                )
            taxes.append(odoo_math.Tax(key=rate_id, amount=spec.amount, price_include=spec.price_include))
        return tuple(taxes)

    def _spec_from_order(self, rate_id):
        for tax_line in self.order.tax_lines:
            if tax_line.rate_id == rate_id:
                spec = spec_from_tax_line(tax_line, self.order.prices_include_tax)
                if spec is not None:
                    return spec
        return TaxSpec(rate_id=rate_id, store_name="", amount=Decimal(0), price_include=self.order.prices_include_tax)

    # -- the amounts ----------------------------------------------------------

    def _amounts(self, pieces, taxes):
        lines = [odoo_math.Line(price_unit=price, quantity=qty, taxes=taxes) for qty, price in pieces]
        return odoo_math.order_amounts(lines, self.digits, self.price_digits)

    def _price(self, part, tax):
        """Pieces of ``part`` whose Odoo amounts are its net and ``tax``: see :func:`price_pieces`."""
        return price_pieces(part.net, tax, part.quantity, part.taxes, part.price_include, self.digits, self.price_digits)

    def _price_parts(self):
        for part in self.parts:
            part.pieces, fits = self._price(part, part.tax)
            if not fits:
                part.tax_off = self._amounts(part.pieces, part.taxes).amount_tax - part.tax

    def _balance(self):
        """Make up a line's cent of tax on another line with the same taxes, when a split allows it.

        A single unit (a fee, a shipping line, one discounted item) whose net
        Odoo taxes a cent differently than the store can not be split. Another
        line of the order with the same taxes and several units can often be
        split so its tax moves by the opposite cent; then the order's total
        and its tax per rate are the store's, only the two lines' taxes trade
        a cent.
        """
        for part in self.parts:
            if not part.tax_off:
                continue
            for other in self.parts:
                if other is part or other.tax_off or other.taxes != part.taxes or other.quantity < 2:
                    continue
                pieces, fits = self._price(other, other.tax - part.tax_off)
                if fits:
                    other.pieces, part.tax_off = pieces, Decimal(0)
                    break

    def finish(self):
        """Price the parts and total them as Odoo will; report any difference left."""
        self._price_parts()
        self._balance()
        lines, amount_lines = [], []
        for part in self.parts:
            for quantity, price_unit in part.pieces:
                amount_lines.append(odoo_math.Line(price_unit=price_unit, quantity=quantity, taxes=part.taxes))
                lines.append(
                    PlanLine(
                        kind=part.kind,
                        store_line_id=part.store_line_id,
                        name=part.name,
                        quantity=quantity,
                        price_unit=price_unit,
                        rate_ids=part.rate_ids,
                        price_include=part.price_include,
                        product=part.product,
                        shipping=part.shipping,
                    )
                )
        order = self.order
        odoo = odoo_math.order_amounts(amount_lines, self.digits, self.price_digits)
        store_total = round_money(order.total, order.currency)
        difference = odoo.amount_total - store_total
        if difference:
            self.problem(ROUNDING_DIFFERENCE, _difference_message(order, odoo.amount_total, store_total, difference))
        return LinesPlan(
            order_id=order.id,
            lines=tuple(lines + self.notes),
            problems=tuple(self.problems),
            store_total=store_total,
            odoo=odoo,
            currency_digits=self.digits,
        )


def price_pieces(net, tax, quantity, taxes, price_include, digits=2, price_digits=2, search=True):
    """Pieces ``[(quantity, price_unit), ...]`` of one store amount and whether their Odoo amounts are ``net`` and ``tax``.

    ``taxes`` are :class:`.odoo_math.Tax`; the unit price is gross when
    ``price_include``, else net. Tries one line at the rounded unit price,
    then the even split (two prices one step apart), then other two-price
    splits. When none gives exactly that (always so for a single unit whose
    tax Odoo rounds the other way), the even split is returned with
    ``False``. ``search=False`` stops after the even split (a credit note
    sets its tax lines to the store's instead). Used for order lines and for
    refunded lines alike.
    """
    quantity = Decimal(quantity)
    amount = net + tax if price_include else net
    step = Decimal(1).scaleb(-price_digits)
    units = amount / step
    single = [(quantity, odoo_math.round_price_unit(amount / quantity if quantity else 0, price_digits))]
    if quantity <= 0 or units != units.to_integral_value() or quantity != quantity.to_integral_value():
        # Nothing to split (no quantity, or amounts finer than Odoo's prices).
        even, splits = single, iter(())
    else:
        splits = (
            [(Decimal(qty), step * price) for qty, price in split]
            for split in _splits(int(units), int(quantity))
        )
        even = next(splits)
    # One line at the rounded price first: with more price decimals than the currency's it often fits.
    for pieces in chain([single] if single != even else [], [even], splits if search else ()):
        lines = [odoo_math.Line(price_unit=price, quantity=qty, taxes=taxes) for qty, price in pieces]
        amounts = odoo_math.order_amounts(lines, digits, price_digits)
        if amounts.amount_untaxed == net and amounts.amount_tax == tax:
            return pieces, True
    return even, False


def _splits(units, count):
    """Ways to share ``units`` price steps over ``count`` pieces: ``[(qty, price in steps), ...]``.

    First the even split (all at one price, or two prices one step apart),
    then two-price splits further from it. Prices are whole steps; the
    quantities always sum to ``count`` and the amounts to ``units``.
    """
    base, extra = divmod(units, count)
    yield [(count, base)] if not extra else [(count - extra, base), (extra, base + 1)]
    if count == 1:
        return
    seen = set()
    ks = sorted(set(range(1, min(count, _SEARCH_UNITS + 1))) | set(range(max(1, count - _SEARCH_UNITS), count)))
    for offset in range(1, _SEARCH_STEPS + 1):
        for price in (base - offset, base + offset):
            for k in ks:
                rest = units - k * price
                if rest % (count - k):
                    continue
                other = rest // (count - k)
                split = tuple(sorted(((k, price), (count - k, other)), key=lambda piece: piece[1]))
                if split not in seen:
                    seen.add(split)
                    yield list(split)


def _difference_message(order, odoo_total, store_total, difference):
    """Explain a total that does not match; the store's own rounding when it is the cause."""
    own = order.totals_difference
    if own.total and own.total == difference:
        return (
            f"the store's total {store_total} is {abs(difference)} {'less' if difference > 0 else 'more'} than its "
            f"lines and taxes ({odoo_total}): the store rounds tax at subtotal"
        )
    return f"Odoo's total {odoo_total} differs from the store's {store_total} by {difference}"
