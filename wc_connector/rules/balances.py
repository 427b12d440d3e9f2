"""The customer's online-shop balance, written to the store customer's meta so the shop can show it.

When a store's balances direction allows export, Odoo writes each linked
customer's balance (what they owe, + ; or have in credit, −) into the store
customer's ``meta_data`` under :data:`BALANCE_META_KEY`, as a string with the
currency's decimals — WooCommerce stores meta values as strings. Only
balances that differ from the value last written are sent: every write bumps
the customer's ``date_modified`` and fires a ``customer.updated`` webhook.
"""

from decimal import ROUND_HALF_UP, Decimal

#: The store customer's meta key holding the balance (readable by a theme: ``get_user_meta($id, 'odoo_balance')``).
BALANCE_META_KEY = "odoo_balance"
#: The currency of that balance (ISO code).
BALANCE_CURRENCY_META_KEY = "odoo_balance_currency"


def balance_text(amount, digits=2):
    """``amount`` as the store keeps it: a string with ``digits`` decimals, ``-0`` written ``0``."""
    quantum = Decimal(1).scaleb(-digits)
    value = Decimal(str(amount)).quantize(quantum, rounding=ROUND_HALF_UP)
    if value == 0:
        value = abs(value)
    return f"{value:.{digits}f}"


def balance_updates(balances, pushed, currency, digits=2):
    """The ``customers/batch`` updates for the balances that changed, ordered by customer id.

    ``balances``: ``{store customer id: amount}``; ``pushed``: ``{store
    customer id: text last written}`` (missing: never written).
    """
    updates = []
    for customer_id in sorted(balances):
        text = balance_text(balances[customer_id], digits)
        if pushed.get(customer_id) == text:
            continue
        updates.append({
            "id": customer_id,
            "meta_data": [
                {"key": BALANCE_META_KEY, "value": text},
                {"key": BALANCE_CURRENCY_META_KEY, "value": currency},
            ],
        })
    return updates
