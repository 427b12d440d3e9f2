"""Money from the store: always ``Decimal``, never ``float``.

The store sends amounts as strings with the shop's decimals (``"10.00"``),
per-rate tax breakdowns and some coupon discounts unrounded (``"10.2087"``,
``"6.892895"``), a line's ``price`` and a tax line's ``rate_percent`` as JSON
numbers, and an empty string where there is no amount. A float is converted
through its shortest text form, so ``14.695541666666665`` stays exactly that
and never picks up binary noise.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

#: No amount reaches this: Odoo keeps money in floats, exact to the cent only up to about 15 digits
#: (and ``"1e30"`` would overflow the rounding to cents). Larger is a broken or hostile payload.
MAX_AMOUNT = Decimal(10) ** 13

#: Currencies whose minor unit is not the cent (ISO 4217). Every other currency has 2 decimals.
_CURRENCY_DECIMALS = {
    # no minor unit
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    # thousandths
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}


def to_decimal(value):
    """Convert a store amount to ``Decimal``; ``None`` for ``""`` or ``None``.

    Raises ``ValueError`` for anything that is not an amount (booleans,
    lists, text that is not a number, NaN or infinity) and for amounts of
    :data:`MAX_AMOUNT` or more.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        # bool is an int in Python; ``True`` as a price is a broken payload.
        raise ValueError(f"expected an amount, got {value!r}")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"expected an amount, got {value!r}") from None
    else:
        raise ValueError(f"expected an amount, got {type(value).__name__} {value!r}")
    if not amount.is_finite():
        raise ValueError(f"expected an amount, got {value!r}")
    if abs(amount) >= MAX_AMOUNT:
        raise ValueError(f"expected an amount below {MAX_AMOUNT:,.0f}, got {value!r}")
    return amount


def currency_decimals(currency):
    """Number of decimals of the currency's minor unit (2 unless ISO 4217 says otherwise)."""
    return _CURRENCY_DECIMALS.get((currency or "").upper(), 2)


def round_money(amount, currency):
    """Round an amount to the currency's minor unit, halves away from zero as the store (PHP ``round``) does."""
    return amount.quantize(Decimal(1).scaleb(-currency_decimals(currency)), rounding=ROUND_HALF_UP)
