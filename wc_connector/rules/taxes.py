"""Store tax rates → the Odoo taxes the connector creates, and which tax a line carries.

On connect the connector reads the store's rates (``GET /taxes``) and makes
one Odoo tax per rate from :func:`tax_spec`: the same percent, named after
the rate and its country, and **price-included exactly when the store's
prices include tax** (``woocommerce_prices_include_tax``), so that Odoo
computes each line the way the store did (see :mod:`.lines`).

A line's taxes are always the rate ids the store lists in the line's
``taxes[]`` — never guessed from the product's tax class or the customer's
country. A rate the connector cannot map to an Odoo tax is a problem the
order is held for ("tax rate 'BTW 21%' (NL, id 5) has no Odoo tax"); the
best open-source connector dropped such rates silently and lost the VAT of
every foreign order.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..payloads.money import to_decimal


@dataclass(frozen=True, kw_only=True)
class TaxSpec:
    """One store tax rate as an Odoo tax: ``amount`` is a percent (``Decimal("19")`` for 19 %).

    ``rate_id`` is the store's rate id, the key every order uses. ``country``
    and ``state`` are the rate's (empty for "every country"); ``shipping``
    says whether the store also applies it to shipping; ``compound`` rates
    (tax on tax) are carried along so the planner can refuse them.
    """

    rate_id: int
    #: The rate's name in the store ("BTW 21%").
    store_name: str
    amount: Decimal
    price_include: bool = False
    country: str = ""
    state: str = ""
    tax_class: str = "standard"
    shipping: bool = True
    compound: bool = False

    @property
    def name(self):
        """The Odoo tax's name: the store's, with the country when the name does not say it ("BTW 21% (NL)")."""
        if self.country and self.country not in self.store_name:
            return f"{self.store_name} ({self.country})"
        return self.store_name

    @property
    def label(self):
        """How a shop owner recognises the rate: ``'BTW 21%' (NL, id 5)``."""
        return describe_rate(self.rate_id, self.store_name, self.country)


def describe_rate(rate_id, name, country=""):
    """Name a store rate for messages: ``tax rate 'BTW 21%' (NL, id 5)`` without the prefix."""
    where = f"{country}, id {rate_id}" if country else f"id {rate_id}"
    return f"'{name}' ({where})" if name else f"({where})"


def _percent(value, rate_id):
    try:
        amount = to_decimal(value)
    except (ValueError, InvalidOperation):
        amount = None
    if amount is None:
        raise ValueError(f"tax rate id {rate_id} has no usable rate ({value!r})")
    # "19.0000" → 19, "7.5000" → 7.5: the percent as a shop owner writes it.
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount.normalize()


def tax_spec(rate, prices_include_tax):
    """The Odoo tax for one store rate (an object of ``GET /taxes``).

    ``prices_include_tax`` is the store's setting; the tax is price-included
    exactly when it is on. Raises ``ValueError`` for a rate without an id or a
    numeric rate.
    """
    rate_id = rate.get("id")
    if not isinstance(rate_id, int) or isinstance(rate_id, bool) or rate_id < 1:
        raise ValueError(f"tax rate without a valid id: {rate_id!r}")
    country = (rate.get("country") or "").upper()
    name = (rate.get("name") or "").strip() or f"Tax {rate_id}"
    return TaxSpec(
        rate_id=rate_id,
        store_name=name,
        amount=_percent(rate.get("rate"), rate_id),
        price_include=bool(prices_include_tax),
        country=country,
        state=(rate.get("state") or "").upper(),
        tax_class=rate.get("class") or "standard",
        shipping=bool(rate.get("shipping", True)),
        compound=bool(rate.get("compound", False)),
    )


def tax_specs(rates, prices_include_tax):
    """The Odoo taxes for all of a store's rates, keyed by store rate id."""
    return {spec.rate_id: spec for spec in (tax_spec(rate, prices_include_tax) for rate in rates)}


def _country_from_rate_code(rate_code):
    """``"AT-UST. 20%-1"`` → ``"AT"``; the store's rate code starts with the rate's country."""
    head = (rate_code or "").split("-", 1)[0]
    return head.upper() if len(head) == 2 and head.isalpha() else ""


def spec_from_tax_line(tax_line, prices_include_tax):
    """An Odoo tax for a rate known only from an order's ``tax_lines[]`` (e.g. deleted in the store since).

    Returns ``None`` when the tax line carries no rate percent.
    """
    if tax_line.rate_percent is None or not tax_line.rate_id:
        return None
    country = _country_from_rate_code(tax_line.rate_code)
    name = tax_line.label or f"Tax {tax_line.rate_id}"
    return TaxSpec(
        rate_id=tax_line.rate_id,
        store_name=name,
        amount=_percent(tax_line.rate_percent, tax_line.rate_id),
        price_include=bool(prices_include_tax),
        country=country,
        compound=tax_line.compound,
    )


def line_rate_ids(part):
    """The store rate ids of a line, fee or shipping line, from its ``taxes[]``, in order, once each."""
    seen = []
    for tax in part.taxes:
        if tax.rate_id not in seen:
            seen.append(tax.rate_id)
    return tuple(seen)


def unmapped_rate_message(rate_id, order, known_rates=None):
    """The shop owner's message for a rate of ``order`` that has no Odoo tax.

    Names the rate from the order's tax lines, else from ``known_rates`` (the
    store's rates by id), else by its id alone.
    """
    for tax_line in order.tax_lines:
        if tax_line.rate_id == rate_id:
            country = _country_from_rate_code(tax_line.rate_code)
            return f"tax rate {describe_rate(rate_id, tax_line.label, country)} has no Odoo tax"
    known = (known_rates or {}).get(rate_id)
    if known is not None:
        return f"tax rate {known.label} has no Odoo tax"
    return f"tax rate {describe_rate(rate_id, '')} has no Odoo tax"
