"""Does the store's payment close the invoice? Which difference is written off, and which stays open.

The invoice is Odoo's total of the order's lines; the payment is what the
store says the customer paid (``order.total``). They are equal for every
order that adds up. With the store's "round tax at subtotal" option on, the
store's total is sometimes a cent off its own lines (orders 726, 728 and 731
of the captures), and Odoo, which reproduces the lines, cannot follow it.
Left alone, such an invoice stays "partially paid" with 0.01 open forever.

An accountant closes it: the payment registers the store's amount and the
difference goes to a write-off (cash-rounding) account, with a note saying
so. Only a difference of a few cents is a rounding difference; anything
larger is real money (a partial payment, an overpayment) and stays open for
someone to look at.
"""

from dataclasses import dataclass
from decimal import Decimal

from ..payloads.money import round_money

#: The largest difference written off by default (a store's rounding is a cent or two).
DEFAULT_WRITE_OFF_LIMIT = Decimal("0.05")

_ZERO = Decimal(0)


@dataclass(frozen=True, kw_only=True)
class Settlement:
    """A payment of ``paid`` on invoices with ``open_amount`` open.

    ``write_off`` is what to post to the write-off account so the invoices
    close: positive when the customer paid less than the invoice (a loss),
    negative when more (a gain), zero when nothing is written off.
    """

    open_amount: Decimal
    paid: Decimal
    write_off: Decimal = _ZERO

    @property
    def difference(self):
        """What stays open before any write-off: ``open_amount − paid``."""
        return self.open_amount - self.paid

    @property
    def closes(self):
        """True when the payment (with its write-off) leaves nothing open."""
        return self.difference == self.write_off

    @property
    def is_loss(self):
        """True when the write-off is an expense (the customer paid less than the invoice)."""
        return self.write_off > 0


def settle_payment(open_amount, paid, currency="", limit=DEFAULT_WRITE_OFF_LIMIT):
    """Decide how a payment of ``paid`` settles ``open_amount``; see :class:`Settlement`.

    Both amounts are rounded to the currency's minor unit. A difference whose
    size is at most ``limit`` (a rounding difference) is written off; a larger
    one is not (the invoice stays partly paid, or the payment partly
    unallocated). ``limit`` 0 writes nothing off.
    """
    open_amount = round_money(Decimal(open_amount), currency)
    paid = round_money(Decimal(paid), currency)
    difference = open_amount - paid
    limit = Decimal(limit or 0)
    write_off = difference if difference and abs(difference) <= limit else _ZERO
    return Settlement(open_amount=open_amount, paid=paid, write_off=write_off)
