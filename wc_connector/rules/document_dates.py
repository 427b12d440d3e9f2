"""Which day an invoice, a payment or a credit note is booked on: the store's own dates, in the company's time zone.

The store records every event as a moment (``date_*_gmt``, parsed to aware
UTC datetimes). An accountant books on a calendar day, and the day that
counts is the company's: an order paid at 00:30 in Berlin is paid on the
1st, although it is still the 31st in UTC. And a document is never dated by
the day the connector happened to run ("today"), except when the store gave
no date at all.

A credit note is never dated before the invoice it credits (a refund made
the same night as the sale can be a few hours "before" a completion that the
store stamped later; a credit note before its invoice would not pass an
audit), and its refund payment goes out the day of the credit note.
"""

from datetime import date, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..payloads.dates import as_utc


def company_zone(tz_name):
    """The :class:`~zoneinfo.ZoneInfo` of ``tz_name`` (e.g. ``"Europe/Berlin"``); UTC when empty or unknown."""
    if not tz_name:
        return timezone.utc
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def local_date(moment, tz_name):
    """The calendar day of aware datetime ``moment`` in time zone ``tz_name``; ``None`` for ``None``.

    A naive ``moment`` is taken as UTC (what the store's ``*_gmt`` dates are).
    """
    if moment is None:
        return None
    return as_utc(moment).astimezone(company_zone(tz_name)).date()


def invoice_date(order, tz_name, today):
    """The invoice's date: the day the store completed the order, else the day it was paid, else placed.

    ``today`` (a :class:`~datetime.date`) only when the store gave none of them.
    """
    moment = order.date_completed or order.date_paid or order.date_created
    return local_date(moment, tz_name) or today


def payment_date(order, tz_name, today):
    """The payment's date: the day the store says the order was paid (``today`` when it gave none)."""
    return local_date(order.date_paid, tz_name) or today


def credit_note_date(moment, invoiced_on, tz_name, today):
    """The credit note's (and its refund payment's) date: the refund's day, never before ``invoiced_on``.

    ``moment`` is the refund's (or, for what a refunded order left
    uncredited, the order's last change); ``invoiced_on`` the credited
    invoice's date (``None`` when it has none yet).
    """
    day = local_date(moment, tz_name) or today
    return max(day, invoiced_on) if isinstance(invoiced_on, date) else day
